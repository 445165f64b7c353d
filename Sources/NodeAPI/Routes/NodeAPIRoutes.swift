import Hummingbird
import Sharechain

/// The routes of Docs/HTTP-API.md on a Hummingbird router. Each handler asks the provider
/// and renders; validation lives in `SharesQuery`, rendering in the models.
public enum NodeAPIRoutes {
    /// Content type of `/metrics` (Prometheus text exposition format 0.0.4).
    public static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// A router serving the API from `provider` and `/metrics` from `metrics`.
    /// `allowedHostNames`: DNS names besides IP literals, localhost, single-label and
    /// `.local` names that browsers may use to reach the API (DNS rebinding protection).
    public static func router(provider: some NodeStatusProvider, metrics: NodeMetrics,
                              allowedHostNames: Set<String> = []) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        router.add(middleware: HostHeaderMiddleware(allowed: Set(allowedHostNames.map { $0.lowercased() })))
        let api = router.group("api/v1")
        api.get("status") { _, _ in
            APIResponse.json(try await provider.status().json)
        }
        api.get("payouts") { _, _ in
            APIResponse.json(TidesCommandRendering.render(try await provider.payouts()))
        }
        api.get("shares") { request, _ in
            let query = try SharesQuery(limit: request.uri.queryParameters["limit"].map(String.init),
                                        before: request.uri.queryParameters["before"].map(String.init))
            let rows = try await provider.shares(limit: query.limit, before: query.before)
            return APIResponse.json(.array(rows.prefix(query.limit).map(\.json)))
        }
        api.get("shares/:hash") { _, context in
            guard let text = context.parameters.get("hash"), let hash = ShareHash(displayHex: text) else {
                throw NodeAPIError.badRequest("share hash must be 64 hex digits")
            }
            guard let row = try await provider.share(hash) else { throw NodeAPIError.notFound("share \(text) is not known") }
            return APIResponse.json(row.json)
        }
        api.get("miners") { _, _ in
            APIResponse.json(.array(try await provider.miners().map(\.json)))
        }
        api.get("stats") { _, _ in
            APIResponse.json(try await provider.statistics().json)
        }
        api.get("miners/:address") { _, context in
            guard let address = context.parameters.get("address"), !address.isEmpty, address.count <= 128 else {
                throw NodeAPIError.badRequest("address must be a payout address")
            }
            guard let report = try await provider.minerStatistics(address: address) else {
                throw NodeAPIError.notFound("address \(address) has no statistics and no work in the TIDES window")
            }
            return APIResponse.json(report.json)
        }
        api.get("blocks") { _, _ in
            APIResponse.json(.array(try await provider.blocks().map(\.json)))
        }
        api.get("peers") { _, _ in
            APIResponse.json(.array(try await provider.peers().map(\.json)))
        }
        router.get("/") { _, _ in DashboardPage.response }
        router.get("dashboard") { _, _ in DashboardPage.response }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: metricsContentType],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
        }
        return router
    }
}
