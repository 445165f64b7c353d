internal import CSodium

/// libsodium initialisation, performed once per process.
///
/// A global `let` is initialised lazily and exactly once (Swift uses `swift_once`), so every
/// entry point that touches libsodium evaluates `Sodium.ready` first. `sodium_init()` returns
/// 0 on first success, 1 when already initialised, and -1 on failure; failure means the
/// library cannot provide randomness or its CPU-feature dispatch, so the process stops.
enum Sodium {
    static let ready: Void = {
        if sodium_init() < 0 {
            fatalError("libsodium: sodium_init() failed; cannot use Ed25519")
        }
    }()

    /// Fills `count` bytes from the operating system's CSPRNG via `randombytes_buf`.
    static func randomBytes(_ count: Int) -> [UInt8] {
        _ = ready
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, $0.count) }
        return bytes
    }

    /// Overwrites `bytes` with zeros in a way the optimiser may not remove.
    static func zero(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { sodium_memzero(base, buffer.count) }
        }
    }
}
