import Sharechain
import TIDES

/// What the HTTP API asks of the node. The node implements it; the API owns it.
///
/// Every method may throw `NodeAPIError` to choose the HTTP status (e.g.
/// `.notFound` for an unknown `before` share, `.unavailable` when there is no block
/// template to split yet); any other error becomes a 500.
public protocol NodeStatusProvider: Sendable {
    /// `GET /api/v1/status`.
    func status() async throws -> NodeStatus
    /// `GET /api/v1/payouts`: the TIDES split if a block were found now.
    func payouts() async throws -> TidesSplit
    /// `GET /api/v1/shares`: up to `limit` shares of the best chain, newest first,
    /// starting below `before` (its parent first) or at the tip when nil.
    func shares(limit: Int, before: ShareHash?) async throws -> [ShareRow]
    /// One share by hash, on any branch (nil when unknown).
    func share(_ hash: ShareHash) async throws -> ShareRow?
    /// `GET /api/v1/miners`: the node's Stratum workers.
    func miners() async throws -> [MinerRow]
    /// `GET /api/v1/blocks`: Bitcoin blocks the sharechain found, newest first.
    func blocks() async throws -> [FoundBlockRow]
    /// `GET /api/v1/peers`: connected peers.
    func peers() async throws -> [PeerRow]
    /// `GET /api/v1/stats`: the node's statistics (default: 503, not collected).
    func statistics() async throws -> PoolStatisticsReport
    /// `GET /api/v1/miners/ADDRESS`: nil for an address with neither statistics nor
    /// TIDES window work (404); throw `.badRequest` for text that is not an address of
    /// the node's network (default: 503, not collected).
    func minerStatistics(address: String) async throws -> MinerStatisticsReport?
}

extension NodeStatusProvider {
    /// Not collected: 503.
    public func statistics() async throws -> PoolStatisticsReport {
        throw NodeAPIError.unavailable("statistics are not collected by this node")
    }

    /// Not collected: 503.
    public func minerStatistics(address: String) async throws -> MinerStatisticsReport? {
        throw NodeAPIError.unavailable("statistics are not collected by this node")
    }
}

/// An error a provider throws to pick the HTTP status; the message becomes
/// `{"error": "..."}`.
public enum NodeAPIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 400: the request is wrong.
    case badRequest(String)
    /// 404: the thing asked for does not exist.
    case notFound(String)
    /// 503: the node cannot answer yet (e.g. no block template).
    case unavailable(String)

    public var description: String {
        switch self {
        case .badRequest(let m), .notFound(let m), .unavailable(let m): return m
        }
    }
}
