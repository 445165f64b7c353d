/// Byte counts of Tidepool's coinbase (Docs/PROTOCOL.md §3) that a coinbase size class
/// must leave room for besides the payout outputs. `coinb1`/`coinb2` are the Stratum
/// halves of the non-witness serialization (`StratumCoinbase`):
///
/// ```
/// coinb1 = version 4 | input count 1 | prevout 36 | scriptSig length 1 | height push ≤ 5 | node tag ≤ 20
///          (extranonce1 4 | extranonce2 8)
/// coinb2 = sequence 4 | output count 1 or 3 | payouts | share commitment 47 | witness commitment 47 | lock time 4
/// ```
public enum CoinbaseLayout {
    /// Version, input count, null prevout and the one-byte scriptSig length (a scriptSig
    /// is at most 100 bytes).
    public static let coinb1FixedSize = 4 + 1 + OutPoint.serializedSize + 1
    /// The longest BIP34 height push a node builds: heights up to 2^31 − 1 take a push
    /// opcode and 4 bytes (heights below 2^23, i.e. the next ~150 years, take 3).
    public static let maxHeightPushSize = 5
    /// The highest height whose push fits `maxHeightPushSize`.
    public static let maxHeight = Int(Int32.max)
    /// The longest node tag a coinbase carries after the height push (`CoinbaseTemplate.maxNodeTagSize`).
    public static let maxNodeTagSize = 20
    /// The longest payout script: a segwit v1+ program of 40 bytes plus 2 bytes of opcodes
    /// (`ShareHeader.maxPayoutScriptSize`).
    public static let maxPayoutScriptSize = 42
    /// The longest `coinb1` a Tidepool node sends: 42 + 5 + 20 = 67 bytes.
    public static let maxCoinb1Size = coinb1FixedSize + maxHeightPushSize + maxNodeTagSize
    /// extranonce1 and extranonce2, between the halves.
    public static let extranonceSize = StratumCoinbase.extranonce1Size + StratumCoinbase.extranonce2Size
    /// `OP_RETURN PUSH36 "TDPL" <32 bytes>` with its value and length byte: 8 + 1 + 38.
    public static let shareCommitmentOutputSize = 8 + 1 + 38
    /// The BIP141 witness commitment output (`OP_RETURN PUSH36 aa21a9ed <32 bytes>`): 8 + 1 + 38.
    public static let witnessCommitmentOutputSize = 8 + 1 + 38
    /// Everything in `coinb2` except the output count and the payouts:
    /// sequence 4 + share commitment 47 + witness commitment 47 + lock time 4 = 102 bytes.
    public static let coinb2FixedSize = 4 + shareCommitmentOutputSize + witnessCommitmentOutputSize + 4
    /// The largest payout output: a witness program of 40 bytes (script 42 bytes), 8 + 1 + 42.
    public static let maxPayoutOutputSize = 8 + 1 + maxPayoutScriptSize
    /// The smallest payout output: a witness program of 2 bytes (script 4 bytes), 8 + 1 + 4.
    public static let minPayoutOutputSize = 8 + 1 + 4
    /// How far the lottery winner's output can exceed the 43-byte reserve of Docs/TIDES.md §1 step 5
    /// (which assumes a 34-byte script): 51 − 43 = 8 bytes.
    public static let lotteryOutputSlack = maxPayoutOutputSize - 43

    /// The sizes of a coinbase's Stratum halves, computed from its scriptSig and outputs
    /// without serializing it. `coinb1` counts the scriptSig without its last 12 bytes
    /// (the extranonces), so it can be compared with a firmware's `coinb1` limit.
    public struct Halves: Sendable, Hashable, CustomStringConvertible {
        /// Bytes before extranonce1.
        public var coinb1: Int
        /// Bytes after extranonce2.
        public var coinb2: Int

        /// Wraps two sizes.
        public init(coinb1: Int, coinb2: Int) {
            self.coinb1 = coinb1
            self.coinb2 = coinb2
        }

        /// The halves of `coinbase` (one input; its scriptSig ends with the 12 extranonce bytes).
        public init(coinbase: Transaction) {
            let scriptSig = coinbase.inputs.first?.scriptSig.bytes.count ?? 0
            coinb1 = 4 + compactSizeLength(UInt64(coinbase.inputs.count)) + OutPoint.serializedSize
                + compactSizeLength(UInt64(scriptSig)) + scriptSig - extranonceSize
            var outputs = 0
            for o in coinbase.outputs {
                outputs += 8 + compactSizeLength(UInt64(o.scriptPubKey.bytes.count)) + o.scriptPubKey.bytes.count
            }
            coinb2 = 4 + compactSizeLength(UInt64(coinbase.outputs.count)) + outputs + 4
        }

        /// The sizes of `coinbase`'s two halves.
        public init(_ coinbase: StratumCoinbase) {
            self.init(coinb1: coinbase.coinb1.count, coinb2: coinbase.coinb2.count)
        }

        /// The whole non-witness coinbase: `coinb1 + 12 + coinb2`.
        public var whole: Int { coinb1 + extranonceSize + coinb2 }

        public var description: String { "coinb1 \(coinb1) B, coinb2 \(coinb2) B, whole \(whole) B" }
    }
}
