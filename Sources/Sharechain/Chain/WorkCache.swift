import BitcoinPrimitives

/// Remembers `work(bits)` for recently seen compact targets: consecutive shares
/// mostly declare the same few targets, and the 256-bit division is the
/// expensive part of inserting a share.
struct WorkCache: Sendable {
    private var entries: [CompactTarget: UInt256] = [:]

    /// `work(bits)`; undecodable bits count as work 1 (validation rejects them
    /// before they are ever inserted).
    mutating func work(of bits: CompactTarget) -> UInt256 {
        if let w = entries[bits] { return w }
        let w = (try? Work.of(bits: bits)) ?? .one
        if entries.count >= 4096 { entries.removeAll(keepingCapacity: true) }
        entries[bits] = w
        return w
    }
}
