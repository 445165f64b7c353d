/// Why a header fails Bitcoin Core's `CheckProofOfWork`.
public enum ProofOfWorkError: Error, Equatable, Sendable {
    /// `bits` is negative, overflows, or is zero.
    case invalidTarget(CompactTarget.DecodeError)
    /// `bits` decodes to a target easier than the network's proof-of-work limit.
    case targetAboveLimit
    /// The header hash, read as a little-endian number, exceeds the target.
    case hashAboveTarget
}

extension BlockHeader {
    /// Checks that `bits` is a valid target no easier than `powLimit` and that the
    /// header hash meets it (Bitcoin Core `CheckProofOfWork`).
    public func checkProofOfWork(powLimit: UInt256) throws(ProofOfWorkError) {
        let target: UInt256
        do { target = try bits.target() } catch { throw .invalidTarget(error) }
        if target > powLimit { throw .targetAboveLimit }
        if !Work.meets(hash.rawHash, target: target) { throw .hashAboveTarget }
    }
}
