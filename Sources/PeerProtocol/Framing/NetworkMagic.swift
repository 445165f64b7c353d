import Sharechain

/// The four bytes that open every frame. Fixed per network (not derived from the
/// consensus ID) so that two nodes of the same network with different consensus
/// parameters still frame each other's messages and can exchange a `reject`
/// naming the mismatch instead of failing on garbage.
public struct NetworkMagic: Sendable, Hashable, CustomStringConvertible {
    /// The bytes in wire order.
    public let bytes: [UInt8]

    /// Wraps four bytes; traps on any other length.
    public init(_ bytes: [UInt8]) {
        precondition(bytes.count == 4, "magic is 4 bytes")
        self.bytes = bytes
    }

    /// `t i d <n>`: ASCII "tid" followed by the network number.
    public init(network: SharechainNetwork) {
        let n: UInt8
        switch network {
        case .mainnet: n = 1
        case .testnet4: n = 2
        case .signet: n = 3
        case .regtest: n = 4
        case .devnet: n = 5
        }
        self.init([0x74, 0x69, 0x64, n])
    }

    public var description: String { bytes.map { String($0, radix: 16) }.joined() }
}
