import BitcoinPrimitives

/// The consensus parameters of a TIDES split (Docs/TIDES.md §1). Every node of a network
/// uses the same values; they are part of the network's consensus ID.
public struct TidesParameters: Sendable, Hashable {
    /// The window holds `windowMultiplier × work(network target)` of share work.
    /// OCEAN's TIDES uses 8: each share is expected to be paid by about 8 blocks.
    public var windowMultiplier: UInt64
    /// Entries below this many satoshis are never paid as their own output; they
    /// go to the lottery.
    public var dustLimit: Amount
    /// Upper bound on the serialized size of all payout outputs in a coinbase,
    /// lottery output included, so the coinbase fits the firmware it serves.
    public var payoutBudgetBytes: Int

    /// Bytes reserved inside the budget for the lottery winner's output
    /// (8-byte value + 1-byte length + a 34-byte P2WSH/P2TR script).
    public static let lotteryReserveBytes = 43

    public init(windowMultiplier: UInt64 = 8, dustLimit: Amount, payoutBudgetBytes: Int) {
        self.windowMultiplier = windowMultiplier
        self.dustLimit = dustLimit
        self.payoutBudgetBytes = payoutBudgetBytes
    }

    /// The defaults shared by every built-in network (see `Docs/PROTOCOL.md`):
    /// multiplier 8, dust limit 546 sat (the P2PKH dust threshold, the largest of
    /// the standard output types), payout budget 500 bytes (a stock Antminer S19
    /// accepts about 755 bytes of coinbase in total; 500 leaves room for the input,
    /// the share commitment and the witness commitment).
    public static let standard = TidesParameters(
        windowMultiplier: 8, dustLimit: Amount(satoshis: 546 as Int64)!, payoutBudgetBytes: 500)
}
