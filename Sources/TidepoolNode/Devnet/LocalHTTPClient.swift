import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 GET over SwiftNIO for the devnet launcher's progress
/// and summary queries to the nodes' APIs and `tidepool status` (bounded body).
public struct LocalHTTPClient: Sendable {
    let group: any EventLoopGroup

    /// A client on `group`.
    public init(group: any EventLoopGroup) { self.group = group }
    static let maxBody = 8 << 20

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// GETs `path` from `host:port`; returns status code and body text. A request whose
    /// fresh connection the server closed before answering (a node under load or just
    /// restarted) is tried once more.
    public func get(host: String, port: Int, path: String, timeout: TimeAmount = .seconds(5)) async throws -> (Int, String) {
        do {
            return try await getOnce(host: host, port: port, path: path, timeout: timeout)
        } catch let error as ChannelError where error == .ioOnClosedChannel || error == .outputClosed {
            return try await getOnce(host: host, port: port, path: path, timeout: timeout)
        } catch let error as Failure where error.description.hasPrefix("connection closed") {
            return try await getOnce(host: host, port: port, path: path, timeout: timeout)
        }
    }

    private func getOnce(host: String, port: Int, path: String, timeout: TimeAmount) async throws -> (Int, String) {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
            head.headers.add(name: "Host", value: "\(host):\(port)")
            head.headers.add(name: "Connection", value: "close")
            try await outbound.write(.head(head))
            try await outbound.write(.end(nil))
            var status = 0
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let h): status = Int(h.status.code)
                case .body(var chunk):
                    guard body.readableBytes + chunk.readableBytes <= Self.maxBody else {
                        throw Failure(description: "response from \(host):\(port)\(path) is too large")
                    }
                    body.writeBuffer(&chunk)
                case .end: return (status, String(buffer: body))
                }
            }
            throw Failure(description: "connection closed before the response ended")
        }
    }
}
