import Sharechain

/// The query of `GET /api/v1/shares`, validated: `limit` 1…1000 (default 50) and an
/// optional `before` share hash in display hex.
public struct SharesQuery: Sendable, Equatable {
    /// Rows when `limit` is absent.
    public static let defaultLimit = 50
    /// The largest `limit` accepted.
    public static let maximumLimit = 1000

    /// How many rows.
    public var limit: Int
    /// Start below this share; nil for the tip.
    public var before: ShareHash?

    /// Creates a query.
    public init(limit: Int = SharesQuery.defaultLimit, before: ShareHash? = nil) {
        self.limit = limit
        self.before = before
    }

    /// Validates the raw query values (nil when absent).
    public init(limit rawLimit: String?, before rawBefore: String?) throws(NodeAPIError) {
        var limit = Self.defaultLimit
        if let rawLimit {
            guard let n = Int(rawLimit), (1...Self.maximumLimit).contains(n) else {
                throw .badRequest("limit must be an integer from 1 to \(Self.maximumLimit)")
            }
            limit = n
        }
        var before: ShareHash?
        if let rawBefore {
            guard let hash = ShareHash(displayHex: rawBefore) else {
                throw .badRequest("before must be a share hash, 64 hex digits")
            }
            before = hash
        }
        self.init(limit: limit, before: before)
    }
}
