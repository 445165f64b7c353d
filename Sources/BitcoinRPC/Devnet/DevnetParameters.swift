import BitcoinPrimitives

/// The rules of a devnet chain: Tidepool's simulated Bitcoin chain (Docs/PROTOCOL.md §1).
public struct DevnetParameters: Sendable, Equatable {
    /// The block interval the difficulty adjustment aims at, in seconds.
    public var targetBlockInterval: Int64
    /// ASERT half-life in seconds: a chain this far ahead of or behind schedule
    /// has its target halved or doubled.
    public var halfLife: Int64
    /// The easiest target any block may have (regtest's `0x207fffff` by default).
    public var powLimit: UInt256
    /// The target of block 1, the anchor of the difficulty adjustment.
    public var initialBits: CompactTarget
    /// Blocks between subsidy halvings (150, as on regtest).
    public var halvingInterval: Int
    /// Header time of the genesis block, Unix seconds (fixed, so every node of a
    /// devnet derives the same genesis).
    public var genesisTime: UInt32

    /// Creates parameters. `halfLife` defaults to ten block intervals.
    public init(targetBlockInterval: Int64 = 10, halfLife: Int64? = nil,
                powLimit: UInt256 = DevnetParameters.regtestPowLimit,
                initialBits: CompactTarget = CompactTarget(rawValue: 0x207f_ffff),
                halvingInterval: Int = 150, genesisTime: UInt32 = 1_296_688_602) {
        precondition(targetBlockInterval > 0, "the block interval must be positive")
        self.targetBlockInterval = targetBlockInterval
        self.halfLife = max(1, halfLife ?? 10 * targetBlockInterval)
        self.powLimit = powLimit
        self.initialBits = initialBits
        self.halvingInterval = halvingInterval
        self.genesisTime = genesisTime
    }

    /// Regtest's proof-of-work limit, the target of compact `0x207fffff`.
    public static let regtestPowLimit = UInt256(w0: 0, w1: 0, w2: 0, w3: 0x7fff_ff00_0000_0000)

    /// The block subsidy at `height`: 50 BTC halved every `halvingInterval` blocks,
    /// zero after 64 halvings (Bitcoin Core `GetBlockSubsidy`).
    public func subsidy(height: Int) -> Amount {
        let halvings = height / halvingInterval
        if halvings >= 64 { return .zero }
        return Amount(satoshis: (50 * Amount.satoshisPerBitcoin) >> Int64(halvings)) ?? .zero
    }
}
