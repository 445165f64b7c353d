import Testing
@testable import BitcoinPrimitives

@Suite struct MerkleTests {
    static func block100000() throws -> HeaderVector { try Vectors.load("headers", as: HeaderVectors.self).block100000 }

    static func txids(_ v: HeaderVector) throws -> [Txid] {
        try (v.txids ?? []).map { try #require(Txid(displayHex: $0)) }
    }

    /// A reference root built the obvious way (new arrays per level), for cross-checks.
    static func referenceRoot(_ leaves: [Hash256]) -> Hash256 {
        if leaves.isEmpty { return .zero }
        var level = leaves
        while level.count > 1 {
            if level.count % 2 == 1 { level.append(level[level.count - 1]) }
            level = stride(from: 0, to: level.count, by: 2).map { SHA256d.hash(level[$0].bytes + level[$0 + 1].bytes) }
        }
        return level[0]
    }

    /// Deterministic distinct leaves.
    static func leaves(_ n: Int) -> [Hash256] {
        (0..<n).map { i in SHA256d.hash([UInt8(i & 0xff), UInt8(i >> 8), 0x5a]) }
    }

    @Test func block100000Root() throws {
        let v = try Self.block100000()
        let txids = try Self.txids(v)
        #expect(Merkle.root(txids: txids).description == v.merkleRoot)
    }

    @Test func block100000CoinbaseBranch() throws {
        let v = try Self.block100000()
        let txids = try Self.txids(v)
        let branch = Merkle.coinbaseBranch(txids: txids)
        #expect(branch.count == 2)
        #expect(branch[0] == txids[1].rawHash)
        #expect(Merkle.root(coinbaseTxid: txids[0], branch: branch).description == v.merkleRoot)
        #expect(Merkle.coinbaseBranch(nonCoinbaseTxids: Array(txids.dropFirst())) == branch)
        #expect(Merkle.root(leaf: txids[0].rawHash, branch: branch, index: 0) == Merkle.root(txids: txids).rawHash)
    }

    @Test func everyBranchReproducesTheRoot() {
        for n in [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33] {
            let leaves = Self.leaves(n)
            let root = Merkle.root(of: leaves)
            #expect(root == Self.referenceRoot(leaves), "n=\(n)")
            for i in 0..<n {
                let branch = Merkle.branch(of: leaves, index: i)
                #expect(Merkle.root(leaf: leaves[i], branch: branch, index: i) == root, "n=\(n) i=\(i)")
            }
            let cb = Merkle.branch(of: leaves, index: 0)
            #expect(Merkle.root(coinbaseTxid: Txid(rawHash: leaves[0]), branch: cb).rawHash == root)
        }
    }

    @Test func largeTreeMatchesReference() {
        let leaves = Self.leaves(4000)
        #expect(Merkle.root(of: leaves) == Self.referenceRoot(leaves))
    }

    @Test func smallTrees() {
        #expect(Merkle.root(of: []) == .zero)
        let one = Self.leaves(1)
        #expect(Merkle.root(of: one) == one[0])
        #expect(Merkle.branch(of: one, index: 0).isEmpty)
        let two = Self.leaves(2)
        #expect(Merkle.root(of: two) == SHA256d.hash(two[0], two[1]))
        #expect(SHA256d.hash(two[0], two[1]) == SHA256d.hash(two[0].bytes + two[1].bytes))
    }

    /// CVE-2012-2459: [a, b, c] and [a, b, c, c] share a root; the second is flagged.
    @Test func mutationDetected() {
        let l = Self.leaves(3)
        let plain = Merkle.rootDetectingMutation(of: l)
        let dup = Merkle.rootDetectingMutation(of: l + [l[2]])
        #expect(plain.root == dup.root)
        #expect(!plain.mutated)
        #expect(dup.mutated)
    }
}
