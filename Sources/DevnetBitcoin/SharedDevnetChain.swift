import BitcoinPrimitives
import BitcoinRPC
import NIOConcurrencyHelpers

/// A `DevnetChain` shared between threads (RPC connections, the launcher, tests)
/// behind a lock. It outlives any one `DevnetRPCServer`, so a server can be stopped
/// and started again on the same chain.
public final class SharedDevnetChain: Sendable {
    private let state: NIOLockedValueBox<DevnetChain>

    /// Wraps a chain.
    public init(_ chain: DevnetChain = DevnetChain()) { state = NIOLockedValueBox(chain) }

    /// Runs `body` with exclusive access to the chain.
    public func withChain<R: Sendable, E: Error>(_ body: (inout DevnetChain) throws(E) -> R) throws(E) -> R {
        try state.withLockedValue { chain in Result { () throws(E) -> R in try body(&chain) } }.get()
    }

    /// A copy of the chain as it is now.
    public var snapshot: DevnetChain { state.withLockedValue { $0 } }

    /// Validates and stores a block; see `DevnetChain.submit(_:now:)`.
    public func submit(_ block: Block, now: UInt32? = nil) -> SubmitBlockResult {
        state.withLockedValue { $0.submit(block, now: now) }
    }

    /// A template on the current tip; see `DevnetChain.template(now:)`.
    public func template(now: UInt32) -> BlockTemplate { state.withLockedValue { $0.template(now: now) } }
}
