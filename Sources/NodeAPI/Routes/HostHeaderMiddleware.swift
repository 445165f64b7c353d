import Hummingbird

/// Refuses requests whose `Host` names a public DNS name (403): a page on an attacker's
/// domain that resolves to the node's address (DNS rebinding) could otherwise read the
/// API — `/api/v1/miners` lists every miner's address and IP — from a victim's browser.
///
/// Accepted: no `Host` header (non-browser clients), an IPv4 or bracketed IPv6 literal,
/// `localhost`, a single-label name (`mynode`) and mDNS names (`*.local`), none of which
/// a remote attacker can point at the node. Other names must be listed in `allowed`.
struct HostHeaderMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowed: Set<String>

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        // HTTP/1.1's Host header arrives as the request's authority (or, from some
        // clients, as a plain header): both must be allowed.
        let names = [request.head.authority, request.headers.first(where: { $0.name.canonicalName == "host" })?.value]
        if let host = names.compactMap({ $0 }).first(where: { !Self.isAllowed(host: $0, allowed: allowed) }) {
            return APIResponse.error("Host '\(host.prefix(100))' is not allowed (DNS rebinding protection); "
                                     + "use the node's IP address or localhost", status: .forbidden)
        }
        return try await next(request, context)
    }

    /// Whether a `Host` header value (`name[:port]`) may reach the API.
    static func isAllowed(host value: String, allowed: Set<String>) -> Bool {
        var name = value.lowercased()
        if name.hasPrefix("[") { return name.contains("]") }  // [IPv6]:port
        if let colon = name.lastIndex(of: ":") { name = String(name[..<colon]) }
        if name.hasSuffix(".") { name.removeLast() }
        if name.isEmpty { return false }
        if allowed.contains(name) || name == "localhost" || name.hasSuffix(".localhost") { return true }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count == 4, labels.allSatisfy({ UInt8($0) != nil }) { return true }  // IPv4
        if labels.count == 1 { return true }                                           // LAN single-label
        return labels.last == "local"                                                   // mDNS
    }
}
