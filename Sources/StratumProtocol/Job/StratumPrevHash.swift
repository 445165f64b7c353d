import BitcoinPrimitives

/// The previous-block hash as `mining.notify` carries it: the 32 bytes in internal order
/// with every 4-byte group reversed (eight big-endian 32-bit words). The node encodes it
/// (`MiningJob`), the built-in miner decodes it (StratumClient's `PoolJob`).
public enum StratumPrevHash {
    /// The Stratum text of `hash` (64 lowercase hex digits).
    public static func encode(_ hash: Hash256) -> String {
        Hex.encode(swapWords(hash.bytes))
    }

    /// The hash a Stratum prevhash text stands for; nil unless it is 64 hex digits.
    public static func decode(_ text: String) -> Hash256? {
        guard let raw = Hex.decode(text), raw.count == 32 else { return nil }
        return Hash256(bytes: swapWords(raw))
    }

    private static func swapWords(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        for start in stride(from: 0, to: bytes.count, by: 4) { out.append(contentsOf: bytes[start..<start + 4].reversed()) }
        return out
    }
}
