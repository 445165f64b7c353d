import BitcoinPrimitives
import Sharechain

/// The key schema of a share store (Docs/STORAGE.md). Every key starts with one tag byte
/// naming its record kind; integers inside keys are big-endian so that bytewise order is
/// numeric order. Values use the little-endian consensus encodings.
enum StoreKeys {
    /// `0x00 "schema"` → schema version, u32 little-endian.
    static let schema: [UInt8] = [0x00] + Array("schema".utf8)
    /// `'c'` → number of stored shares, u64 little-endian (kept in every commit's batch).
    static let count: [UInt8] = [UInt8(ascii: "c")]
    /// `'t'` → best tip hash (32 bytes, internal order).
    static let tip: [UInt8] = [UInt8(ascii: "t")]
    /// `'r'` → `PruneState` of the last prune (chain root and retention reference).
    static let pruneState: [UInt8] = [UInt8(ascii: "r")]
    /// `'m' "nodekey"` → node key metadata.
    static let nodeKey: [UInt8] = [UInt8(ascii: "m")] + Array("nodekey".utf8)

    static let shareTag = UInt8(ascii: "s")
    static let summaryTag = UInt8(ascii: "i")
    static let peerTag = UInt8(ascii: "p")

    /// `'s' ‖ hash` → `WireShare`.
    static func share(_ hash: ShareHash) -> [UInt8] {
        var writer = ByteWriter(capacity: 33)
        writer.write(shareTag)
        writer.write(hash.rawHash)
        return writer.bytes
    }

    /// `'i' ‖ height u32 BE ‖ hash` → `ShareSummary`.
    static func summary(height: UInt32, hash: ShareHash) -> [UInt8] {
        var writer = ByteWriter(capacity: 37)
        writer.write(summaryTag)
        writer.writeBigEndian(height)
        writer.write(hash.rawHash)
        return writer.bytes
    }

    /// `'i' ‖ height u32 BE`: the first key of a height (and the end of the range below it).
    static func summaryPrefix(height: UInt32) -> [UInt8] {
        [summaryTag, UInt8(truncatingIfNeeded: height >> 24), UInt8(truncatingIfNeeded: height >> 16),
         UInt8(truncatingIfNeeded: height >> 8), UInt8(truncatingIfNeeded: height)]
    }

    /// The height and hash a summary key names, or nil if it is not 37 bytes.
    static func parseSummary(_ key: [UInt8]) -> (height: UInt32, hash: ShareHash)? {
        guard key.count == 37, key[0] == summaryTag, let hash = Hash256(bytes: key[5...]) else { return nil }
        let height = key[1..<5].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return (height, ShareHash(rawHash: hash))
    }

    /// `'p' ‖ "host:port"` (IPv6 hosts in brackets).
    static func peer(host: String, port: UInt16) -> [UInt8] {
        [peerTag] + Array(PeerAddressEntry.text(host: host, port: port).utf8)
    }

    /// Lower-case hex of a key, for error messages.
    static func describe(_ key: [UInt8]) -> String { Hex.encode(key) }
}

/// Little-endian fixed-width helpers for small store values.
enum LittleEndian {
    static func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<T.bitWidth / 8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    static func value<T: FixedWidthInteger>(_ bytes: [UInt8], as _: T.Type = T.self) -> T? {
        guard bytes.count == T.bitWidth / 8 else { return nil }
        return bytes.reversed().reduce(T.zero) { $0 << 8 | T($1) }
    }
}
