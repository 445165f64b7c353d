import Hummingbird
import HummingbirdTesting
import Logging
import NodeAPI
import Prometheus
import ServiceLifecycle
import Testing

@Suite("NodeAPIService")
struct NodeAPIServiceTests {
    static func service(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> NodeAPIService {
        NodeAPIService(host: "127.0.0.1", port: 0, provider: FakeNode(),
                       metrics: NodeMetrics(registry: PrometheusCollectorRegistry()),
                       logger: Logger(label: "test.api"), onServerRunning: onServerRunning)
    }

    @Test("serves over a real socket", .timeLimit(.minutes(1)))
    func live() async throws {
        try await Self.service().makeApplication().test(.live) { client in
            try await client.execute(uri: "/api/v1/status", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"network\":\"devnet\""))
            }
        }
    }

    @Test("binds, reports its port and stops on graceful shutdown", .timeLimit(.minutes(1)))
    func gracefulShutdown() async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let service = Self.service { port in continuation.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "test.group")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next()
            #expect((port ?? 0) > 0)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
