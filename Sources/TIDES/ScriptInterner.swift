#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BitcoinPrimitives

/// Numbers distinct payout scripts 0, 1, 2… in order of first use.
///
/// A script seen recently is found by a cheap key of its bytes and one comparison, without
/// hashing it: consecutive shares come from the same few miners, so most lookups (replay,
/// and every share validation's tentative tip) hit. Other lookups go through a dictionary
/// (Swift's seeded hashing: a peer cannot choose scripts that collide). Lookups never
/// depend on what the cache holds: a hit is confirmed by comparing bytes.
public struct ScriptInterner: Sendable {
    /// Scripts by id.
    public private(set) var scripts: [Script] = []
    private var ids: [Script: UInt32] = [:]
    /// Recently used ids by `recentSlot` (`.max`: empty).
    private var recent = [UInt32](repeating: .max, count: ScriptInterner.recentSlots)
    private static let recentSlots = 256

    /// An empty table.
    public init() {}

    /// Number of scripts interned.
    public var count: Int { scripts.count }

    /// The script with id `id`.
    public subscript(id: UInt32) -> Script { scripts[Int(id)] }

    /// The id of `script`, assigning the next one on first use.
    public mutating func id(for script: Script) -> UInt32 {
        let slot = Self.recentSlot(script)
        let cached = recent[slot]
        if cached != .max, Self.sameBytes(scripts[Int(cached)], script) { return cached }
        let id: UInt32
        if let known = ids[script] {
            id = known
        } else {
            id = UInt32(scripts.count)
            scripts.append(script)
            ids[script] = id
        }
        recent[slot] = id
        return id
    }

    /// A slot of `recent` from the script's length and last (up to) 8 bytes, which differ
    /// between payees (a P2WPKH or P2TR script ends in its program).
    private static func recentSlot(_ script: Script) -> Int {
        script.bytes.withUnsafeBytes { raw -> Int in
            var key = UInt64(raw.count)
            for i in Swift.max(0, raw.count - 8)..<raw.count { key = key << 8 | UInt64(raw[i]) }
            key = (key ^ (key >> 29)) &* 0xBF58_476D_1CE4_E5B9
            return Int(truncatingIfNeeded: key >> 56) & (recentSlots - 1)
        }
    }

    private static func sameBytes(_ a: Script, _ b: Script) -> Bool {
        a.bytes.withUnsafeBytes { x in
            b.bytes.withUnsafeBytes { y in
                x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
    }
}
