/// An amount of bitcoin in satoshis, always within `0...Amount.maxMoney`.
///
/// Arithmetic is checked: sums that would leave the valid range return nil
/// instead of wrapping, because a coinbase value is consensus-critical.
public struct Amount: Sendable, Hashable, Comparable {
    /// Satoshis, `0...21_000_000 × 10^8`.
    public let satoshis: Int64

    /// Bitcoin Core's `MAX_MONEY`: 21 million BTC.
    public static let maxMoney = Amount(unchecked: 21_000_000 * 100_000_000)
    /// Zero satoshis.
    public static let zero = Amount(unchecked: 0)
    /// Satoshis per bitcoin.
    public static let satoshisPerBitcoin: Int64 = 100_000_000

    /// A valid amount, or nil when `satoshis` is negative or above `maxMoney`.
    public init?(satoshis: Int64) {
        guard satoshis >= 0, satoshis <= 21_000_000 * 100_000_000 else { return nil }
        self.satoshis = satoshis
    }

    /// A valid amount from an unsigned count, or nil when above `maxMoney`.
    public init?(satoshis: UInt64) {
        guard satoshis <= UInt64(21_000_000 * 100_000_000) else { return nil }
        self.satoshis = Int64(satoshis)
    }

    private init(unchecked satoshis: Int64) { self.satoshis = satoshis }

    /// `self + other`, or nil when the sum exceeds `maxMoney`.
    public func adding(_ other: Amount) -> Amount? { Amount(satoshis: satoshis + other.satoshis) }

    /// `self - other`, or nil when the result would be negative.
    public func subtracting(_ other: Amount) -> Amount? { Amount(satoshis: satoshis - other.satoshis) }

    /// The sum of amounts, or nil when it exceeds `maxMoney`.
    public static func sum(_ amounts: some Sequence<Amount>) -> Amount? {
        var total = Amount.zero
        for a in amounts {
            guard let t = total.adding(a) else { return nil }
            total = t
        }
        return total
    }

    public static func < (lhs: Amount, rhs: Amount) -> Bool { lhs.satoshis < rhs.satoshis }
}

extension Amount: CustomStringConvertible {
    /// `"<sat> sat"`.
    public var description: String { "\(satoshis) sat" }
}
