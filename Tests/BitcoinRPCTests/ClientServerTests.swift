import BitcoinPrimitives
import Foundation
import Testing
@testable import BitcoinRPC
@testable import DevnetBitcoin

@Suite(.timeLimit(.minutes(1))) struct ClientServerTests {
    @Test func templateMineSubmitAndQueries() async throws {
        let chain = SharedDevnetChain()
        let running = try await RunningServer.start(chain: chain)
        defer { running.task.cancel() }
        let client = makeClient(port: running.port)
        let before = try await client.getBestBlockHash()
        #expect(before == chain.snapshot.genesisHash)
        let template = try await client.getBlockTemplate()
        #expect(template.previousBlockHash == before && template.height == 1)
        let block = TestMiner.block(for: template)
        #expect(try await client.submitBlock(block) == .accepted)
        #expect(try await client.getBestBlockHash() == block.hash)
        #expect(try await client.submitBlock(block) == .duplicate)
        let info = try await client.getBlockchainInfo()
        #expect(info.chain == "regtest" && info.isDevnet && info.blocks == 1 && info.bestBlockHash == block.hash)
        #expect(try await client.getBlockCount() == 1)
        #expect(try await client.call("getblockhash", [1]) == .string(block.hash.description))
        let raw = try await client.call("getblock", [.string(block.hash.description), 0])
        #expect(raw.stringValue == Hex.encode(block.serialized))
        let verbose = try await client.call("getblock", [.string(block.hash.description)])
        #expect(verbose["height"] == 1 && verbose["confirmations"] == 1)
        #expect(verbose["tx"] == [.string(block.transactions[0].txid.description)])
        #expect(verbose["previousblockhash"] == .string(before.description))
        // A rejected block reports bitcoind's reason.
        let stale = TestMiner.block(for: template, extra: [9, 9])
        #expect(try await client.submitBlock(stale) == .inconclusive)
        let next = try await client.getBlockTemplate()
        var bad = TestMiner.block(for: next)
        bad.header = TestMiner.missTarget(bad.header)
        #expect(try await client.submitBlock(bad) == .rejected("high-hash"))
        try await running.stop()
    }

    @Test func jsonRPCErrorsAreTyped() async throws {
        let running = try await RunningServer.start(chain: SharedDevnetChain())
        defer { running.task.cancel() }
        let client = makeClient(port: running.port)
        await #expect(throws: RPCError.server(code: -32601, message: "Method not found")) {
            try await client.call("getnetworkhashps")
        }
        await #expect(throws: RPCError.server(code: -22, message: "Block decode failed")) {
            try await client.submitBlock(hex: "00ff")
        }
        await #expect(throws: RPCError.server(code: -8, message: "Block height out of range")) {
            try await client.call("getblockhash", [99])
        }
        await #expect(throws: RPCError.self) { try await client.getBlockTemplate(rules: []) }
        running.server.setUnavailable((code: -28, message: "Loading block index…"))
        do {
            _ = try await client.getBestBlockHash()
            Issue.record("expected warm-up error")
        } catch let error as RPCError {
            #expect(error.isWarmingUp)
        }
        running.server.setUnavailable(nil)
        _ = try await client.getBestBlockHash()
        try await running.stop()
    }

    @Test func wrongPasswordIsUnauthorized() async throws {
        let running = try await RunningServer.start(chain: SharedDevnetChain())
        defer { running.task.cancel() }
        let client = makeClient(port: running.port, credentials: .userPassword(user: "alice", password: "wrong"))
        await #expect(throws: RPCError.unauthorized) { try await client.getBestBlockHash() }
        try await running.stop()
    }

    @Test func cookieAuthIsReReadAfterARestart() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tidepool-rpc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cookie = dir.appendingPathComponent(".cookie").path
        try "__cookie__:first".write(toFile: cookie, atomically: true, encoding: .utf8)
        let chain = SharedDevnetChain()
        let first = try await RunningServer.start(chain: chain, user: "__cookie__", password: "first")
        defer { first.task.cancel() }
        let client = makeClient(port: first.port, credentials: .cookieFile(path: cookie))
        _ = try await client.getBestBlockHash()
        // bitcoind restarts with a new cookie.
        try await first.stop()
        try "__cookie__:second".write(toFile: cookie, atomically: true, encoding: .utf8)
        let second = try await RunningServer.start(chain: chain, port: first.port, user: "__cookie__", password: "second")
        defer { second.task.cancel() }
        _ = try await client.getBestBlockHash()
        try await second.stop()
        // A missing cookie file is its own error.
        let lost = makeClient(port: first.port, credentials: .cookieFile(path: dir.appendingPathComponent("none").path))
        await #expect(throws: RPCError.self) { try await lost.getBestBlockHash() }
    }

    @Test func stoppedServerIsUnreachableAndRestartRecovers() async throws {
        let chain = SharedDevnetChain()
        let first = try await RunningServer.start(chain: chain)
        defer { first.task.cancel() }
        let client = makeClient(port: first.port)
        let tip = try await client.getBestBlockHash()
        try await first.stop()
        do {
            _ = try await client.getBestBlockHash()
            Issue.record("expected a connection error")
        } catch let error as RPCError {
            guard case .unreachable(let host, let port, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(host == "127.0.0.1" && port == first.port)
        }
        let second = try await RunningServer.start(chain: chain, port: first.port)
        defer { second.task.cancel() }
        #expect(try await client.getBestBlockHash() == tip)
        try await second.stop()
    }

    @Test func concurrentCallsShareTheConnection() async throws {
        let running = try await RunningServer.start(chain: SharedDevnetChain())
        defer { running.task.cancel() }
        let client = makeClient(port: running.port)
        let hashes = try await withThrowingTaskGroup(of: BlockHash.self) { group in
            for _ in 0..<20 { group.addTask { try await client.getBestBlockHash() } }
            return try await group.reduce(into: Set<BlockHash>()) { $0.insert($1) }
        }
        #expect(hashes.count == 1)
        try await running.stop()
    }
}
