// swift-tools-version: 6.1
// The Tidepool package. Layers (dependencies point one way only):
//   pure core  : BitcoinPrimitives, JSON (the one JSON codec), TIDES, Sharechain (+ Ed25519 over libsodium)
//   codecs     : PeerProtocol, StratumProtocol, BitcoinRPC models
//   NIO level  : NIOSupport (read pausing shared by the Stratum and peer handlers)
//   services   : SharechainStore (LevelDB), SharechainService (the chain owner), PeerNetwork,
//                PeerStore (LevelDB address book and bans), StratumServer, BitcoinRPC client,
//                StratumClient (the `tidepool mine` CPU miner), NodeAPI (HTTP API),
//                DevnetBitcoin (the simulated bitcoind of `tidepool devnet`)
//   commands   : TidepoolCommands (JSON front ends of the core)
//   executable : tidepool
import PackageDescription

let package = Package(
    name: "Tidepool",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tidepool", targets: ["tidepool"]),
        .library(name: "BitcoinPrimitives", targets: ["BitcoinPrimitives"]),
        .library(name: "TIDES", targets: ["TIDES"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // MARK: C libraries from Debian (libsodium-dev, libleveldb-dev)
        .systemLibrary(name: "CSodium", path: "Sources/CSodium", pkgConfig: "libsodium",
                       providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CLevelDB", path: "Sources/CLevelDB",
                       providers: [.apt(["libleveldb-dev"])]),

        // MARK: Pure core
        // SHA-256 without allocation (x86 SHA extensions when present, portable C otherwise)
        // for the hashing on every share's validation path.
        .target(name: "CSHA256"),
        .target(name: "BitcoinPrimitives",
                dependencies: ["CSHA256"]),
        // The one JSON codec (ordered objects, numbers kept as text, bounded parsing) for
        // Stratum, bitcoind's RPC, the HTTP API, `tidepool tides` and the devnet launcher.
        .target(name: "JSON"),
        .target(name: "TIDES", dependencies: ["BitcoinPrimitives", "JSON"]),
        .target(name: "Sharechain", dependencies: ["BitcoinPrimitives", "TIDES", "Ed25519"]),
        // Payout-scheme simulator behind `tidepool simulate` (Docs/SIMULATION.md): pure, seeded, no clock.
        .target(name: "PayoutSimulation", dependencies: ["BitcoinPrimitives", "TIDES"]),

        // Helpers every test target shares: timeouts, polling, temporary directories, quiet
        // loggers, locating the crash-writer executables. Never linked by the node.
        .target(name: "TidepoolTestSupport", dependencies: [
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // Test and benchmark helpers (share factory, synthetic chains, in-memory store); never linked by the node.
        .target(name: "SharechainTestSupport", dependencies: ["Sharechain", "BitcoinPrimitives", "TIDES", "Ed25519"]),

        // MARK: Wrappers of the C libraries
        .target(name: "Ed25519", dependencies: ["CSodium", "BitcoinPrimitives"]),
        .target(name: "LevelDB", dependencies: ["CLevelDB"]),

        // MARK: Codecs
        .target(name: "PeerProtocol", dependencies: ["Sharechain", "BitcoinPrimitives", "Ed25519"]),
        // The Stratum v1 wire layer and session state machine: Bitcoin primitives and JSON only
        // (the coinbase halves, size classes and the 2^-32 difficulty live in BitcoinPrimitives).
        .target(name: "StratumProtocol", dependencies: ["JSON", "BitcoinPrimitives"]),
        .target(name: "BitcoinRPC", dependencies: [
            "BitcoinPrimitives", "JSON",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // The simulated bitcoind behind `tidepool devnet` and the RPC tests: a chain with real
        // proof of work and difficulty, served over the same JSON-RPC as Bitcoin Core.
        .target(name: "DevnetBitcoin", dependencies: [
            "BitcoinRPC", "BitcoinPrimitives", "JSON",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // MARK: Services with I/O
        // NIO pieces both network services share: read pausing (backpressure).
        .target(name: "NIOSupport", dependencies: [.product(name: "NIOCore", package: "swift-nio")]),
        .target(name: "SharechainStore", dependencies: [
            "Sharechain", "LevelDB", "BitcoinPrimitives", "Ed25519",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Test helper: writes batches until killed; LevelDBTests SIGKILLs it and checks recovery.
        .executableTarget(name: "leveldb-crash-writer", dependencies: ["LevelDB"]),
        // The chain owner: validation, commit, orphans, pruning, tip and acceptance events.
        .target(name: "SharechainService", dependencies: [
            "Sharechain", "BitcoinPrimitives", "TIDES",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "PeerNetwork", dependencies: [
            "PeerProtocol", "Sharechain", "SharechainService", "Ed25519", "BitcoinPrimitives", "NIOSupport",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOExtras", package: "swift-nio-extras"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The peer network's LevelDB-backed address book and ban list: PeerNetwork's
        // PeerAddressStore and PeerBanStore over SharechainStore's PeerAddressBook.
        .target(name: "PeerStore", dependencies: ["PeerNetwork", "PeerProtocol", "SharechainStore"]),
        .target(name: "StratumServer", dependencies: [
            "StratumProtocol", "Sharechain", "NIOSupport",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOExtras", package: "swift-nio-extras"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Stratum v1 client and CPU miner behind `tidepool mine`: a pure state machine and a NIO connection,
        // sharing the JSON codec and the notify forms (StratumPrevHash) with the server side.
        .target(name: "StratumClient", dependencies: [
            "BitcoinPrimitives", "JSON", "StratumProtocol",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOExtras", package: "swift-nio-extras"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The HTTP API (DESIGN §7) and Prometheus metrics, over a provider the node implements.
        .target(name: "NodeAPI", dependencies: [
            "JSON", "TIDES", "Sharechain", "BitcoinPrimitives",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Test helper: commits synthetic shares until killed; SharechainStoreTests SIGKILLs it.
        .executableTarget(name: "sharechain-crash-writer", dependencies: [
            "SharechainStore", "SharechainTestSupport", "Sharechain", "BitcoinPrimitives",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // MARK: The node (composition of the services)
        .target(name: "TidepoolNode", dependencies: [
            "Sharechain", "SharechainService", "SharechainStore", "BitcoinRPC", "DevnetBitcoin", "StratumProtocol", "StratumServer", "PeerNetwork", "PeerStore", "NodeAPI", "JSON",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            "BitcoinPrimitives", "TIDES", "Ed25519",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // MARK: Command front ends and the executable
        .target(name: "TidepoolCommands", dependencies: ["BitcoinPrimitives", "JSON", "TIDES", "PayoutSimulation"]),
        .executableTarget(name: "tidepool", dependencies: [
            "TidepoolCommands", "PayoutSimulation", "TidepoolNode", "BitcoinPrimitives", "BitcoinRPC", "Sharechain", "SharechainStore", "StratumClient", "NodeAPI", "JSON",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Coverage-guided fuzzing of every decoder a stranger can reach; built only by
        // Scripts/fuzz (AddressSanitizer + libFuzzer), see Docs/SECURITY.md.
        .executableTarget(name: "tidepool-fuzz", dependencies: [
            "BitcoinPrimitives", "BitcoinRPC", "JSON", "PeerProtocol", "Sharechain", "StratumProtocol", "TidepoolCommands", "TidepoolNode",
        ]),

        // MARK: Tests
        .testTarget(name: "BitcoinPrimitivesTests", dependencies: [
            "BitcoinPrimitives", "CSHA256",
            // swift-crypto's SHA-256 (BoringSSL) is the independent reference CSHA256 is checked against.
            .product(name: "Crypto", package: "swift-crypto"),
        ],
                    resources: [.copy("Vectors")]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "TIDESTests", dependencies: ["TIDES", "JSON", "BitcoinPrimitives"],
                    resources: [.copy("Vectors")]),
        .testTarget(name: "SharechainTests", dependencies: ["Sharechain", "SharechainTestSupport", "BitcoinPrimitives", "TIDES", "Ed25519"],
                    resources: [.copy("Vectors")]),
        .testTarget(name: "SharechainServiceTests", dependencies: [
            "SharechainService", "Sharechain", "SharechainStore", "SharechainTestSupport", "BitcoinPrimitives",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "PeerProtocolTests", dependencies: ["PeerProtocol", "Sharechain", "Ed25519", "BitcoinPrimitives", "TIDES"]),
        .testTarget(name: "PeerNetworkTests", dependencies: [
            "PeerNetwork", "PeerProtocol", "Sharechain", "SharechainService", "SharechainTestSupport", "Ed25519", "BitcoinPrimitives", "TIDES",
            "TidepoolTestSupport",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "StratumProtocolTests", dependencies: ["StratumProtocol", "JSON", "Sharechain", "BitcoinPrimitives", "TIDES"],
                    resources: [.copy("Vectors")]),
        .testTarget(name: "StratumServerTests", dependencies: [
            "StratumServer", "StratumProtocol", "JSON", "Sharechain", "BitcoinPrimitives", "TIDES",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ]),
        .testTarget(name: "BitcoinRPCTests", dependencies: [
            "BitcoinRPC", "DevnetBitcoin", "BitcoinPrimitives", "JSON", "TidepoolTestSupport",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], resources: [.copy("Vectors")]),
        .testTarget(name: "StratumClientTests", dependencies: [
            "StratumClient", "StratumProtocol", "BitcoinPrimitives", "JSON",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOExtras", package: "swift-nio-extras"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "NodeAPITests", dependencies: [
            "NodeAPI", "JSON", "TIDES", "Sharechain", "BitcoinPrimitives", "TidepoolCommands",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "SharechainStoreTests", dependencies: [
            "SharechainStore", "Sharechain", "LevelDB", "Ed25519", "BitcoinPrimitives", "SharechainTestSupport",
            "TidepoolTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        // Spawns the built `tidepool` executable: a real multi-node devnet on loopback.
        .testTarget(name: "TidepoolEndToEndTests", dependencies: [
            "TidepoolNode", "tidepool", "BitcoinPrimitives", "Sharechain", "SharechainStore",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "TidepoolNodeTests", dependencies: [
            "TidepoolNode", "BitcoinRPC", "BitcoinPrimitives", "Sharechain", "SharechainTestSupport", "StratumServer",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            "StratumProtocol", "SharechainStore", "SharechainService", "PeerNetwork", "NodeAPI",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .testTarget(name: "PayoutSimulationTests", dependencies: ["PayoutSimulation", "TIDES", "BitcoinPrimitives"]),
        .testTarget(name: "Ed25519Tests", dependencies: ["Ed25519"]),
        .testTarget(name: "PeerStoreTests", dependencies: [
            "PeerStore", "PeerNetwork", "PeerProtocol", "SharechainStore",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "NIOSupportTests", dependencies: [
            "NIOSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ]),
        .testTarget(name: "LevelDBTests", dependencies: ["LevelDB", "TidepoolTestSupport"]),
        // Replays the TIDES reference vectors (Tests/TIDESTests/Vectors) through the command.
        .testTarget(name: "TidepoolCommandsTests", dependencies: ["TidepoolCommands", "JSON", "tidepool"]),

        // MARK: Load generator (Docs/BENCHMARKS.md, "Stratum")
        .executableTarget(
            name: "stratum-load",
            dependencies: [
                "StratumServer", "StratumProtocol", "JSON", "Sharechain", "BitcoinPrimitives", "TIDES", "BitcoinRPC",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/StratumLoad"),

        // MARK: Benchmarks (swift package benchmark)
        .executableTarget(
            name: "PrimitivesBenchmarks",
            dependencies: ["BitcoinPrimitives", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/PrimitivesBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "SharechainBenchmarks",
            dependencies: ["Sharechain", "SharechainTestSupport", "BitcoinPrimitives", "TIDES", "Ed25519",
                           .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/SharechainBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "TIDESBenchmarks",
            dependencies: ["TIDES", "BitcoinPrimitives", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/TIDESBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "StoreBenchmarks",
            dependencies: ["SharechainStore", "SharechainTestSupport", "Sharechain", "LevelDB", "BitcoinPrimitives",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/StoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "StratumBenchmarks",
            dependencies: ["StratumProtocol", "Sharechain", "TIDES", "BitcoinPrimitives",
                           .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/StratumBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "SimulationBenchmarks",
            dependencies: ["PayoutSimulation", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/SimulationBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        // A measured harness (not the plugin): latency percentiles across in-process
        // loopback nodes and sync throughput. `swift run -c release PeerBenchmarks`.
        .executableTarget(
            name: "PeerBenchmarks",
            dependencies: ["PeerNetwork", "PeerProtocol", "Sharechain", "SharechainService", "SharechainTestSupport", "BitcoinPrimitives", "TIDES", "Ed25519",
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/PeerBenchmarks"),
    ]
)
