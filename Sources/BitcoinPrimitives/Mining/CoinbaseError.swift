/// Why a coinbase could not be built from a template or rebuilt from a share.
public enum CoinbaseError: Error, Equatable, Sendable {
    /// The node tag is longer than `CoinbaseTemplate.maxNodeTagSize` bytes.
    case nodeTagTooLong(size: Int)
    /// The scriptSig is shorter than 2 bytes (Bitcoin's `bad-cb-length`).
    case scriptSigTooShort(size: Int)
    /// The scriptSig is longer than 100 bytes (Bitcoin's `bad-cb-length`).
    case scriptSigTooLong(size: Int)
    /// The payout amounts do not add up to the coinbase value `V`
    /// (`sum` is nil when the sum exceeds `Amount.maxMoney`).
    case payoutsDoNotSumToValue(sum: Amount?, value: Amount)
    /// The witness commitment is neither empty nor `OP_RETURN 0x24 aa21a9ed <32 bytes>`.
    case invalidWitnessCommitment
    /// The block height is negative.
    case negativeHeight(Int)
    /// An extranonce has the wrong size (`expected` is 4 for extranonce1, 8 for extranonce2).
    case extranonceSize(expected: Int, actual: Int)
}
