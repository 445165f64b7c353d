import BitcoinPrimitives
import Ed25519
import TIDES

/// Every consensus parameter of a sharechain. Two nodes agree on every share
/// exactly when they agree on these values, so all of them are hashed into the
/// `consensusID` that peers compare in the handshake. See `Docs/PROTOCOL.md`.
public struct SharechainParameters: Sendable, Hashable {
    /// Which network these parameters belong to.
    public var network: SharechainNetwork
    /// Target time between shares, seconds (the ASERT schedule aims at it).
    public var shareInterval: UInt64
    /// ASERT half-life, seconds: a share arriving this late halves the difficulty.
    public var retargetHalfLife: UInt64
    /// The easiest share target allowed (the minimum share difficulty).
    public var maximumShareTarget: CompactTarget
    /// The target the first share must declare; the ASERT anchor.
    public var genesisShareTarget: CompactTarget
    /// TIDES window multiplier and dust limit. Its `payoutBudgetBytes` is not used by the
    /// sharechain since share version 2: each share's `CoinbaseSizeClass` sets the budget
    /// (`tides(for:)`); it remains the default of `tidepool tides`.
    public var tides: TidesParameters
    /// Password and node-key allowlist of a private network.
    public var privateNetwork: PrivateNetwork
    /// Deepest fork a node considers, in shares (policy, not in the consensus ID;
    /// Docs/PROTOCOL.md §9 "Fork depth"): a share whose branch leaves the best chain more
    /// than this many shares below the best tip, or runs more than this many shares past
    /// the fork point, is dropped without penalty. It bounds the TIDES window work one
    /// share can cause (a share on an old parent gets an easy ASERT target, so deep forks
    /// are cheap to mine). 2,880 shares is a day at a 30 s share interval; 1,800 is an
    /// hour at regtest's and devnet's 2 s.
    public var maximumForkDepth: UInt32

    public init(network: SharechainNetwork, shareInterval: UInt64, retargetHalfLife: UInt64,
                maximumShareTarget: CompactTarget, genesisShareTarget: CompactTarget,
                tides: TidesParameters, privateNetwork: PrivateNetwork = PrivateNetwork()) {
        self.network = network
        self.shareInterval = shareInterval
        self.retargetHalfLife = retargetHalfLife
        self.maximumShareTarget = maximumShareTarget
        self.genesisShareTarget = genesisShareTarget
        self.tides = tides
        self.privateNetwork = privateNetwork
        switch network {
        case .mainnet, .testnet4, .signet: maximumForkDepth = 2_880
        case .regtest, .devnet: maximumForkDepth = 1_800
        }
    }

    /// Version of the share header format these parameters describe.
    /// Version 2 added the header's `coinbase_class` byte (`CoinbaseSizeClass`).
    public static let shareVersion: UInt32 = 2

    /// The TIDES parameters of a share declaring `coinbaseSizeClass`: the network's
    /// multiplier and dust limit with the class's payout byte budget.
    public func tides(for coinbaseSizeClass: CoinbaseSizeClass) -> TidesParameters {
        var t = tides
        t.payoutBudgetBytes = coinbaseSizeClass.payoutBudgetBytes
        return t
    }

    /// SHA-256d over a tagged, fixed-order serialization of every parameter
    /// (allowlisted keys sorted by bytes, the password only as its SHA-256). The
    /// coinbase size class table takes the place of version 1's single payout budget.
    public var consensusID: ConsensusID {
        var w = ByteWriter()
        w.writeVarBytes(Array("tidepool/consensus/v1".utf8))
        w.writeVarBytes(Array(network.rawValue.utf8))
        w.writeLittleEndian(Self.shareVersion)
        w.writeLittleEndian(shareInterval)
        w.writeLittleEndian(retargetHalfLife)
        w.writeLittleEndian(maximumShareTarget.rawValue)
        w.writeLittleEndian(genesisShareTarget.rawValue)
        w.writeLittleEndian(tides.windowMultiplier)
        w.writeLittleEndian(tides.dustLimit.satoshis)
        CoinbaseSizeClass.encodeTable(to: &w)
        if let password = privateNetwork.password {
            w.write(1 as UInt8)
            w.write(SingleSHA256.hash(Array("tidepool/password".utf8) + Array(password.utf8)))
        } else {
            w.write(0 as UInt8)
        }
        if let keys = privateNetwork.allowedNodeKeys {
            let sorted = keys.map(\.rawRepresentation).sorted { $0.lexicographicallyPrecedes($1) }
            w.write(1 as UInt8)
            w.writeCompactSize(UInt64(sorted.count))
            for k in sorted { w.write(k) }
        } else {
            w.write(0 as UInt8)
        }
        return ConsensusID(rawHash: SHA256d.hash(w.bytes))
    }

    /// The built-in parameters of a network (public, no password, no allowlist).
    public static func standard(_ network: SharechainNetwork) -> SharechainParameters {
        switch network {
        case .mainnet, .testnet4, .signet:
            // 30 s shares (as P2Pool on Bitcoin), half-life 1 hour (120 shares).
            // Minimum share difficulty 2^16 keeps share spam expensive.
            return SharechainParameters(
                network: network, shareInterval: 30, retargetHalfLife: 3600,
                maximumShareTarget: CompactTarget(rawValue: 0x1b00_ffff),
                genesisShareTarget: CompactTarget(rawValue: 0x1b00_ffff),
                tides: .standard)
        case .regtest, .devnet:
            // Fast local chains: 2 s shares, half-life 1 minute, CPU-mineable targets.
            // Regtest starts at difficulty 1/128 (`1d7fff80`, 2^25 hashes: about 3.4 s of one cpuminer
            // 2.5.1 thread at ~10 MH/s, 1.1 s for three), so a few CPU miners are near the
            // 2 s interval from the first share; the devnet's built-in miners are slower
            // (~1.8 MH/s each), so it starts at 1/65536.
            return SharechainParameters(
                network: network, shareInterval: 2, retargetHalfLife: 60,
                maximumShareTarget: CompactTarget(rawValue: 0x207f_ffff),
                genesisShareTarget: CompactTarget(rawValue: network == .regtest ? 0x1d7f_ff80 : 0x1f00_ffff),
                tides: .standard)
        }
    }
}
