import BitcoinPrimitives

/// Remembers `work(bits)` for recently seen compact targets: consecutive shares
/// mostly declare the same few targets, and the 256-bit division is the
/// expensive part of inserting a share.
struct WorkCache: Sendable {
    private var entries: [CompactTarget: UInt256] = [:]
    /// The last target asked for and its work (most asks repeat it: no hashing then).
    private var last: (bits: CompactTarget, work: UInt256)?

    /// `work(bits)`; undecodable bits count as work 1 (validation rejects them
    /// before they are ever inserted).
    mutating func work(of bits: CompactTarget) -> UInt256 {
        if let last, last.bits == bits { return last.work }
        let w: UInt256
        if let known = entries[bits] {
            w = known
        } else {
            w = (try? Work.of(bits: bits)) ?? .one
            if entries.count >= 4096 { entries.removeAll(keepingCapacity: true) }
            entries[bits] = w
        }
        last = (bits, w)
        return w
    }
}
