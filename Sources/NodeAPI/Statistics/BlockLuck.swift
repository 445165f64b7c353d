import BitcoinPrimitives

/// Luck of one found block: the work this node's miners did since the previous found
/// block (Σ difficulty × 2^32 of their accepted pseudo-shares, at one-minute
/// resolution) against the block's expected work `2^256 / (target + 1)`.
///
/// Effort = work done / expected work: 100 % on average, below 100 % is lucky.
public struct BlockLuck: Sendable, Hashable {
    /// The block.
    public var block: FoundBlockInfo
    /// `2^256 / (target + 1)`, exact.
    public var expectedWork: UInt256
    /// Work done in its round, exact; nil for blocks found before the node started
    /// collecting (their round is unknown).
    public var workDone: UInt128?
    /// Whether the round began when the node started collecting (a partial round).
    public var partialRound: Bool

    /// Creates a luck record.
    public init(block: FoundBlockInfo, expectedWork: UInt256, workDone: UInt128?, partialRound: Bool) {
        self.block = block
        self.expectedWork = expectedWork
        self.workDone = workDone
        self.partialRound = partialRound
    }

    /// `workDone / expectedWork × 100`; nil when unknown. Display only.
    public var effortPercent: Double? {  // display only
        workDone.map { LuckMath.percent(UInt256($0), of: expectedWork) }
    }
}

/// Luck over several blocks (or the round in progress).
public struct LuckSummary: Sendable, Hashable {
    /// Blocks counted (complete rounds only).
    public var blocks: Int
    /// Σ work done, exact.
    public var workDone: UInt256
    /// Σ expected work, exact.
    public var expectedWork: UInt256

    /// Creates a summary.
    public init(blocks: Int, workDone: UInt256, expectedWork: UInt256) {
        self.blocks = blocks
        self.workDone = workDone
        self.expectedWork = expectedWork
    }

    /// `workDone / expectedWork × 100`; nil when nothing was expected. Display only.
    public var effortPercent: Double? {  // display only
        expectedWork.isZero ? nil : LuckMath.percent(workDone, of: expectedWork)
    }

    /// The complete rounds among `lucks` found at or after `since` (Unix seconds).
    public static func of(_ lucks: [BlockLuck], since: UInt64 = 0) -> LuckSummary {
        var s = LuckSummary(blocks: 0, workDone: .zero, expectedWork: .zero)
        for l in lucks where !l.partialRound && l.block.foundAt >= since {
            guard let done = l.workDone else { continue }
            s.blocks += 1
            s.workDone += UInt256(done)
            s.expectedWork += l.expectedWork
        }
        return s
    }
}

extension UInt256 {
    /// A UInt128 widened.
    init(_ v: UInt128) { self.init(w0: UInt64(truncatingIfNeeded: v), w1: UInt64(truncatingIfNeeded: v >> 64), w2: 0, w3: 0) }

    /// The value as a Double (display only).
    var approximateDouble: Double {  // display only
        Double(w3) * 0x1p192 + Double(w2) * 0x1p128 + Double(w1) * 0x1p64 + Double(w0)
    }
}

/// Display ratios of exact integers.
enum LuckMath {
    /// `a / b × 100` as a Double, display only.
    static func percent(_ a: UInt256, of b: UInt256) -> Double {  // display only
        b.isZero ? 0 : a.approximateDouble / b.approximateDouble * 100
    }
}
