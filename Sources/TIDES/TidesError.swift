/// Why a TIDES split could not be computed. All are caller errors: the split of a
/// well-formed share with well-formed ancestors always exists.
public enum TidesError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The window is empty: at least one share (the one being mined) is needed.
    case noShares
    /// `windowMultiplier` is zero.
    case zeroWindowMultiplier
    /// `windowMultiplier × work(network target)` does not fit in 256 bits.
    case windowCapacityOverflow

    public var description: String {
        switch self {
        case .noShares: return "no shares: the window needs at least the share being mined"
        case .zeroWindowMultiplier: return "window multiplier must be at least 1"
        case .windowCapacityOverflow: return "window capacity (multiplier × work of the network target) exceeds 2^256"
        }
    }
}
