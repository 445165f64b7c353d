import Benchmark
import BitcoinPrimitives

/// Hot paths of mining and share validation: header hashing and merkle roots.
let benchmarks: @Sendable () -> Void = {
    let perHash = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(3))
    let perTree = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .one,
        maxDuration: .seconds(3))

    // The block 100000 header.
    let header = BlockHeader(
        version: 1,
        prevBlock: BlockHash(displayHex: "000000000002d01c1fccc21636b607dfd930d31d01c3a62104612a1719011250")!,
        merkleRoot: MerkleRoot(displayHex: "f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766")!,
        time: 1_293_623_863, bits: CompactTarget(rawValue: 0x1b04_864c), nonce: 274_148_111)
    let headerBytes = header.serialized

    Benchmark("SHA256d of an 80-byte header", configuration: perHash) { benchmark in
        headerBytes.withUnsafeBytes { raw in
            for _ in benchmark.scaledIterations {
                blackHole(SHA256d.hash(bufferPointer: raw))
            }
        }
    }

    Benchmark("BlockHeader.hash (serialize + SHA256d)", configuration: perHash) { benchmark in
        var h = header
        for _ in benchmark.scaledIterations {
            h.nonce &+= 1
            blackHole(h.hash)
        }
    }

    // 4,000 distinct txids, about a full block's worth.
    let txids = (0..<4000).map { i in Txid(rawHash: SHA256d.hash([UInt8(i & 0xff), UInt8(i >> 8)])) }

    Benchmark("Merkle root of 4000 txids", configuration: perTree) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Merkle.root(txids: txids))
        }
    }

    // Share validation: coinbase txid + 12-level Stratum branch (a 4,000-transaction block).
    let branch = Merkle.coinbaseBranch(txids: txids)

    Benchmark("Merkle root from coinbase + 12-hash branch", configuration: perHash) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Merkle.root(coinbaseTxid: txids[0], branch: branch))
        }
    }

    // A real segwit transaction (mainnet f5864806…).
    let segwitTx = Hex.decode(
        "02000000000101595895ea20179de87052b4046dfe6fd515860505d6511a9004cf12a1f93cac7c0100000000ffffffff01deb807000000000017a9140f3444e271620c736808aa7b33e370bd87cb5a078702483045022100fb60dad8df4af2841adc0346638c16d0b8035f5e3f3753b88db122e70c79f9370220756e6633b17fd2710e626347d28d60b0a2d6cbb41de51740644b9fb3ba7751040121028fa937ca8cba2197a37c007176ed8941055d3bcb8627d085e94553e62f057dcc00000000")!

    Benchmark("Decode segwit transaction + txid", configuration: perHash) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole((try? Transaction(serialized: segwitTx))?.txid)
        }
    }
}
