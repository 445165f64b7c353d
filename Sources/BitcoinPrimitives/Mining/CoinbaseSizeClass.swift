/// The consensus set of coinbase sizes a share may declare (share version 2, the
/// header's `coinbase_class` byte). Each class is defined by what mining firmware
/// accepts — a limit on `coinb1`, on `coinb2`, or on the whole coinbase
/// (`coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2`) — and from that limit, with the rest
/// of Tidepool's coinbase accounted for (`CoinbaseLayout`), follows the payout byte
/// budget of Docs/TIDES.md §1 step 5. A coinbase built for a class never exceeds its limits,
/// whatever the payees' script types, so firmware never truncates it.
///
/// Sources of the limits (see Docs/FIRMWARE.md for versions and links):
/// - 255 B whole: NerdMiner_v2 assembles the coinbase as hex in a 512-char buffer and
///   silently truncates longer ones (BitMaker-hub/NerdMiner_v2#809).
/// - 384 B per half: ESP-Miner (Bitaxe) PR bitaxeorg/ESP-Miner#1897 adds
///   `MAX_COINBASE_BIN_LEN 384` for coinb1 and coinb2 each and cuts longer halves silently.
/// - 500 B whole: OCEAN DATUM Gateway's "nicehash" coinbase (datum_coinbaser.c, type 1).
/// - 730 B whole: DATUM's stock-Antminer coinbase, its universal default (type 2; its code
///   caps at 755, its comment says "roughly 730"; we take the lower).
/// - 2,250 B whole: DATUM's "antminer2" for Antminer S21 and Braiins OS (type 5).
/// - 6,500 B whole: DATUM's "whatsminer", also given to Bitaxe (type 3).
/// - 16,000 B whole: DATUM's "YUGE" for ePIC PowerPlay and xminer (type 4).
///
/// The classes are nested: a coinbase that fits a class fits every larger one, and the
/// budgets increase with the id, so a node may always fall back to a smaller class.
public enum CoinbaseSizeClass: UInt8, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// Whole coinbase ≤ 255 bytes (NerdMiner). Pays the lottery output only.
    case bytes255 = 1
    /// coinb1 ≤ 384 and coinb2 ≤ 384 bytes (ESP-Miner with `MAX_COINBASE_BIN_LEN`).
    case halves384 = 2
    /// Whole coinbase ≤ 500 bytes (NiceHash).
    case bytes500 = 3
    /// Whole coinbase ≤ 730 bytes (stock Antminer S19 and older).
    case bytes730 = 4
    /// Whole coinbase ≤ 2,250 bytes (Antminer S21, Braiins OS).
    case bytes2250 = 5
    /// Whole coinbase ≤ 6,500 bytes (Whatsminer).
    case bytes6500 = 6
    /// Whole coinbase ≤ 16,000 bytes (ePIC PowerPlay, xminer).
    case bytes16000 = 7

    /// The class for firmware nobody identified: the smallest, the only one known to be
    /// accepted by every firmware in Docs/FIRMWARE.md. Smaller is never unfair: what does
    /// not fit goes to the lottery, and expected payouts stay exact (Docs/TIDES.md §1 step 6).
    public static let safest: CoinbaseSizeClass = .bytes255

    /// A firmware limit on the Stratum coinbase; nil means no limit of that kind.
    public struct Limits: Sendable, Hashable, CustomStringConvertible {
        /// Most bytes of `coinb1`.
        public var coinb1: Int?
        /// Most bytes of `coinb2`.
        public var coinb2: Int?
        /// Most bytes of `coinb1 + 12 + coinb2`.
        public var whole: Int?

        public var description: String {
            [coinb1.map { "coinb1 ≤ \($0) B" }, coinb2.map { "coinb2 ≤ \($0) B" }, whole.map { "whole ≤ \($0) B" }]
                .compactMap { $0 }.joined(separator: ", ")
        }
    }

    /// The firmware limits that define the class.
    public var limits: Limits {
        switch self {
        case .bytes255: return Limits(coinb1: nil, coinb2: nil, whole: 255)
        case .halves384: return Limits(coinb1: 384, coinb2: 384, whole: nil)
        case .bytes500: return Limits(coinb1: nil, coinb2: nil, whole: 500)
        case .bytes730: return Limits(coinb1: nil, coinb2: nil, whole: 730)
        case .bytes2250: return Limits(coinb1: nil, coinb2: nil, whole: 2250)
        case .bytes6500: return Limits(coinb1: nil, coinb2: nil, whole: 6500)
        case .bytes16000: return Limits(coinb1: nil, coinb2: nil, whole: 16000)
        }
    }

    /// The number a miner or operator writes to ask for the class (`cb=384`): the
    /// whole-coinbase limit, or the per-half limit.
    public var nominalSize: Int { limits.whole ?? limits.coinb2 ?? 0 }

    /// Whether a coinbase with these halves is within the class's limits.
    public func admits(_ halves: CoinbaseLayout.Halves) -> Bool {
        if let l = limits.coinb1, halves.coinb1 > l { return false }
        if let l = limits.coinb2, halves.coinb2 > l { return false }
        if let l = limits.whole, halves.whole > l { return false }
        return true
    }

    // MARK: Derived sizes (consensus: the budget enters every split)

    /// The longest `coinb2` a node's coinbase may have: the `coinb2` limit, or the whole
    /// limit less the longest `coinb1` (67) and the extranonces (12).
    public var maxCoinb2: Int {
        let fromWhole = (limits.whole ?? Int.max) - CoinbaseLayout.maxCoinb1Size - CoinbaseLayout.extranonceSize
        return min(limits.coinb2 ?? Int.max, fromWhole)
    }

    /// Bytes of the output count: 1 while the class cannot hold 253 outputs of the
    /// smallest kind, else 3.
    public var outputCountSize: Int {
        let room1 = maxCoinb2 - CoinbaseLayout.coinb2FixedSize - 1
        let maxOutputs = room1 / CoinbaseLayout.minPayoutOutputSize + 2
        return compactSizeLength(UInt64(maxOutputs))
    }

    /// Bytes left in `coinb2` for all payout outputs (the lottery output included).
    public var payoutRoom: Int { maxCoinb2 - CoinbaseLayout.coinb2FixedSize - outputCountSize }

    /// The payout byte budget of Docs/TIDES.md §1 step 5 for shares of this class: the payout
    /// room less 8 bytes, because the lottery winner's output may be 51 bytes while the
    /// step-5 reserve is 43. Paid outputs use at most `budget − 43`, the winner at most 51,
    /// so the payouts never exceed `payoutRoom`.
    public var payoutBudgetBytes: Int { payoutRoom - CoinbaseLayout.lotteryOutputSlack }

    /// The largest non-witness coinbase of the class.
    public var maxCoinbaseSize: Int {
        min(limits.whole ?? Int.max, CoinbaseLayout.maxCoinb1Size + CoinbaseLayout.extranonceSize + maxCoinb2)
    }

    /// The largest weight of a coinbase of the class in a block (BIP141: 4 × size, plus
    /// 36 for the marker, flag and the 32-byte witness reserved value).
    public var maxCoinbaseWeight: Int { 4 * maxCoinbaseSize + 36 }

    /// The largest class no larger than `self` whose coinbase fits `weight` weight units
    /// (a template's room for the coinbase), or nil when even the smallest does not.
    public func capped(toCoinbaseWeight weight: Int) -> CoinbaseSizeClass? {
        Self.allCases.filter { $0 <= self && $0.maxCoinbaseWeight <= weight }.max()
    }

    public static func < (a: CoinbaseSizeClass, b: CoinbaseSizeClass) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        limits.whole.map { "\($0) B" } ?? "\(limits.coinb1 ?? 0)/\(limits.coinb2 ?? 0) B per half"
    }

    /// The class table as it enters the consensus ID: a CompactSize count, then per class
    /// `u8 id ‖ u32 coinb1 limit ‖ u32 coinb2 limit ‖ u32 whole limit ‖ u32 budget`
    /// (0 for "no limit").
    public static func encodeTable(to writer: inout ByteWriter) {
        writer.writeCompactSize(UInt64(allCases.count))
        for c in allCases {
            writer.write(c.rawValue)
            writer.writeLittleEndian(UInt32(c.limits.coinb1 ?? 0))
            writer.writeLittleEndian(UInt32(c.limits.coinb2 ?? 0))
            writer.writeLittleEndian(UInt32(c.limits.whole ?? 0))
            writer.writeLittleEndian(UInt32(c.payoutBudgetBytes))
        }
    }
}
