/// A payment destination that has an address form: P2PKH, P2SH, or a segwit
/// witness program (P2WPKH, P2WSH, P2TR and future versions).
///
/// The value is network-independent, like the output script it stands for;
/// the network only matters for text. Parse with `init(_:network:)` (which
/// insists on one network) or `decode(_:)` (which reports the networks), and
/// print with `encoded(for:)`.
///
/// Legacy addresses are Base58Check of a version byte and a 20-byte hash;
/// segwit addresses are Bech32 (v0, BIP173) or Bech32m (v1+, BIP350).
public enum Address: Sendable, Hashable {
    /// Pay to public key hash: `OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG`.
    case p2pkh(Hash160)
    /// Pay to script hash (BIP16): `OP_HASH160 <20> OP_EQUAL`.
    case p2sh(Hash160)
    /// A native segwit output: `OP_n <program>`.
    case witness(WitnessProgram)

    /// Pay to witness public key hash: witness v0 with a 20-byte program.
    public static func p2wpkh(_ keyHash: Hash160) -> Address {
        .witness(WitnessProgram(unchecked: 0, keyHash.bytes))
    }

    /// Pay to witness script hash: witness v0 with the 32-byte SHA-256 of the
    /// witness script; nil unless `scriptHash` is 32 bytes.
    public static func p2wsh(_ scriptHash: [UInt8]) -> Address? {
        scriptHash.count == 32 ? .witness(WitnessProgram(unchecked: 0, scriptHash)) : nil
    }

    /// Pay to taproot (BIP341): witness v1 with a 32-byte x-only output key;
    /// nil unless `outputKey` is 32 bytes.
    public static func p2tr(_ outputKey: [UInt8]) -> Address? {
        outputKey.count == 32 ? .witness(WitnessProgram(unchecked: 1, outputKey)) : nil
    }
}

// MARK: - Text

extension Address {
    /// Parses an address and requires it to belong to `network`.
    ///
    /// testnet4 and signet share every address form ("tb", 0x6f, 0xc4); regtest
    /// shares the testnet Base58 versions but has its own HRP "bcrt".
    ///
    /// - Throws: the precise reason the text is not an address, or
    ///   `.wrongNetwork` when it is a valid address of other networks.
    public init(_ text: String, network: BitcoinNetwork) throws(AddressError) {
        let (address, networks) = try Address.decode(text)
        guard networks.contains(network) else { throw .wrongNetwork(expected: network, actual: networks) }
        self = address
    }

    /// Parses an address of any supported network.
    ///
    /// - Returns: the address and every network it is valid on (never empty).
    public static func decode(_ text: String) throws(AddressError) -> (address: Address, networks: [BitcoinNetwork]) {
        if text.isEmpty { throw .empty }
        let scalars = Array(text.unicodeScalars.prefix(Bech32.maxLength + 1))
        if scalars.count > Bech32.maxLength {
            throw .tooLong(length: text.unicodeScalars.count, limit: Bech32.maxLength)
        }
        // A known HRP before the last "1" means a segwit address; anything else
        // is read as Base58Check unless it is shaped like Bech32 with another HRP.
        let hrp = bech32HRP(scalars)
        if let hrp {
            let networks = BitcoinNetwork.allCases.filter { $0.bech32HRP == hrp }
            if !networks.isEmpty {
                let (_, program) = try WitnessProgram.decode(text)
                return (.witness(program), networks)
            }
        }
        let unknownHRP = looksLikeBech32(scalars) ? hrp : nil
        if let unknownHRP, !scalars.allSatisfy(Base58.isDigit) { throw .unknownHRP(unknownHRP) }
        do {
            return try decodeBase58(text)
        } catch {
            // All Base58 digits, yet also a checksummed Bech32 string: an unknown HRP.
            if let unknownHRP, (try? Bech32.decode(text)) != nil { throw .unknownHRP(unknownHRP) }
            throw error
        }
    }

    /// The address text on `network`: Base58Check for P2PKH/P2SH, lowercase
    /// Bech32 (v0) or Bech32m (v1+) for witness programs.
    public func encoded(for network: BitcoinNetwork) -> String {
        switch self {
        case .p2pkh(let hash): return Base58Check.encode([network.p2pkhVersion] + hash.bytes)
        case .p2sh(let hash): return Base58Check.encode([network.p2shVersion] + hash.bytes)
        case .witness(let program): return program.encoded(hrp: network.bech32HRP)
        }
    }

    /// Decodes a legacy address: Base58Check of a version byte and a 20-byte hash.
    private static func decodeBase58(_ text: String) throws(AddressError) -> (address: Address, networks: [BitcoinNetwork]) {
        let payload = try Base58Check.decode(text)
        guard let version = payload.first else { throw .invalidPayloadLength(0) }
        let p2pkh = BitcoinNetwork.allCases.filter { $0.p2pkhVersion == version }
        let p2sh = BitcoinNetwork.allCases.filter { $0.p2shVersion == version }
        guard !p2pkh.isEmpty || !p2sh.isEmpty else { throw .unknownVersionByte(version) }
        guard let hash = Hash160(bytes: payload.dropFirst()) else { throw .invalidPayloadLength(payload.count) }
        return p2pkh.isEmpty ? (.p2sh(hash), p2sh) : (.p2pkh(hash), p2pkh)
    }

    /// The lowercased text before the last "1", when non-empty and ASCII.
    private static func bech32HRP(_ scalars: [Unicode.Scalar]) -> String? {
        guard let separator = scalars.lastIndex(of: "1"), separator > 0 else { return nil }
        var hrp = [UInt8]()
        for scalar in scalars[..<separator] {
            guard (33...126).contains(scalar.value) else { return nil }
            hrp.append(Bech32.lowercased(UInt8(scalar.value)))
        }
        return String(decoding: hrp, as: UTF8.self)
    }

    /// Single case, with at least six Bech32 data characters after the last "1".
    private static func looksLikeBech32(_ scalars: [Unicode.Scalar]) -> Bool {
        guard let separator = scalars.lastIndex(of: "1") else { return false }
        let data = scalars[(separator + 1)...]
        let hasLower = scalars.contains { ("a"..."z").contains($0) }
        let hasUpper = scalars.contains { ("A"..."Z").contains($0) }
        return !(hasLower && hasUpper) && data.count >= Bech32.checksumLength && data.allSatisfy {
            $0.value < 128 && Bech32.charValues[Int(Bech32.lowercased(UInt8($0.value)))] >= 0
        }
    }
}

extension Address: CustomStringConvertible {
    /// The kind and hex payload, e.g. `p2wpkh(751e…)`; use `encoded(for:)` for the address text.
    public var description: String {
        switch self {
        case .p2pkh(let hash): return "p2pkh(\(hash.hex))"
        case .p2sh(let hash): return "p2sh(\(hash.hex))"
        case .witness(let w):
            switch (w.version, w.program.count) {
            case (0, 20): return "p2wpkh(\(Hex.encode(w.program)))"
            case (0, _): return "p2wsh(\(Hex.encode(w.program)))"
            case (1, 32): return "p2tr(\(Hex.encode(w.program)))"
            default: return "witness_v\(w.version)(\(Hex.encode(w.program)))"
            }
        }
    }
}
