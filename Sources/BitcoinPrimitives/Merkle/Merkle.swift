/// Bitcoin's transaction merkle tree (Bitcoin Core `ComputeMerkleRoot`): each level
/// pairs adjacent hashes with SHA-256d, and a level with an odd count pairs its last
/// hash with itself.
public enum Merkle {
    /// The merkle root of `leaves`; the zero hash for an empty list, the leaf itself
    /// for one leaf.
    public static func root(of leaves: [Hash256]) -> Hash256 {
        rootDetectingMutation(of: leaves).root
    }

    /// The merkle root of a block's txids in block order.
    public static func root(txids: [Txid]) -> MerkleRoot {
        MerkleRoot(rawHash: root(of: txids.map(\.rawHash)))
    }

    /// The root and whether some level had two equal adjacent hashes before padding
    /// (CVE-2012-2459: such a tree has the same root as one with transactions
    /// duplicated, so a block showing it must be rejected as mutated).
    public static func rootDetectingMutation(of leaves: [Hash256]) -> (root: Hash256, mutated: Bool) {
        if leaves.isEmpty { return (.zero, false) }
        var level = leaves  // one copy; every level is reduced in place
        var mutated = false
        let root = level.withUnsafeMutableBufferPointer { buf -> Hash256 in
            var count = buf.count
            while count > 1 {
                var pos = 0
                while pos + 1 < count {
                    if buf[pos] == buf[pos + 1] { mutated = true }
                    buf[pos / 2] = SHA256d.hash(buf[pos], buf[pos + 1])
                    pos += 2
                }
                if pos < count {  // odd: the last hash pairs with itself
                    buf[pos / 2] = SHA256d.hash(buf[pos], buf[pos])
                }
                count = (count + 1) / 2
            }
            return buf[0]
        }
        return (root, mutated)
    }

    /// The sibling hashes on the path from leaf `index` to the root, bottom first (the
    /// proof that the leaf is in the tree). Traps when `index` is out of range.
    public static func branch(of leaves: [Hash256], index: Int) -> [Hash256] {
        precondition(leaves.indices.contains(index), "merkle branch index out of range")
        var branch: [Hash256] = []
        var level = leaves
        var i = index
        var count = level.count
        level.withUnsafeMutableBufferPointer { buf in
            while count > 1 {
                let sibling = i ^ 1
                branch.append(buf[sibling < count ? sibling : i])
                var pos = 0
                while pos < count {
                    let right = pos + 1 < count ? pos + 1 : pos
                    buf[pos / 2] = SHA256d.hash(buf[pos], buf[right])
                    pos += 2
                }
                count = (count + 1) / 2
                i >>= 1
            }
        }
        return branch
    }

    /// The Stratum `merkle_branch`: the branch of the coinbase (leaf 0) of a block
    /// whose txids, in block order, are `txids` (the coinbase's own txid is the first
    /// entry and does not affect the branch; it may be any placeholder).
    public static func coinbaseBranch(txids: [Txid]) -> [Hash256] {
        branch(of: txids.map(\.rawHash), index: 0)
    }

    /// The Stratum `merkle_branch` computed from the non-coinbase txids alone.
    public static func coinbaseBranch(nonCoinbaseTxids: [Txid]) -> [Hash256] {
        var leaves: [Hash256] = [.zero]
        leaves.reserveCapacity(nonCoinbaseTxids.count + 1)
        for t in nonCoinbaseTxids { leaves.append(t.rawHash) }
        return branch(of: leaves, index: 0)
    }

    /// The root reached from `leaf` at position `index` by hashing with each sibling of
    /// `branch` in turn (left or right by the bits of `index`).
    public static func root(leaf: Hash256, branch: [Hash256], index: Int) -> Hash256 {
        precondition(index >= 0, "merkle index must be non-negative")
        var hash = leaf
        var i = index
        for sibling in branch {
            hash = i & 1 == 0 ? SHA256d.hash(hash, sibling) : SHA256d.hash(sibling, hash)
            i >>= 1
        }
        return hash
    }

    /// The block merkle root from the coinbase txid and the Stratum branch: the
    /// coinbase is always the left child, so this is `SHA256d(h || s)` for each sibling.
    public static func root(coinbaseTxid: Txid, branch: [Hash256]) -> MerkleRoot {
        var hash = coinbaseTxid.rawHash
        for sibling in branch { hash = SHA256d.hash(hash, sibling) }
        return MerkleRoot(rawHash: hash)
    }
}
