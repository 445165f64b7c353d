import BitcoinPrimitives

/// A complete TIDES split: the answer to "who is paid what in this coinbase".
public struct TidesSplit: Sendable, Equatable {
    /// Credited work per payee (steps 1–3).
    public var weights: WindowWeights
    /// Exact proportional amounts per payee, script order (step 4).
    public var allocation: [PayoutEntry]
    /// Budget and lottery outcome (steps 5–6).
    public var budgeted: BudgetedPayout

    /// Payout outputs in coinbase order (step 7, before the share commitment and
    /// the witness commitment).
    public var outputs: [PayoutEntry] { budgeted.outputs }
    /// `W`, the credited work of the window.
    public var windowWork: UInt256 { weights.total }
}

extension Tides {
    /// Steps 4–7 for weights already computed (by a walk or by `TidesWindow`).
    public static func split(
        reward: Amount, weights: WindowWeights, parameters: TidesParameters, lotterySeed: Hash256
    ) -> TidesSplit {
        let allocation = allocate(reward: reward, weights: weights)
        let budgeted = applyBudget(allocation, parameters: parameters, lotterySeed: lotterySeed)
        return TidesSplit(weights: weights, allocation: allocation, budgeted: budgeted)
    }

    /// The whole rule from a list of shares, newest first (the share being mined
    /// first). `lotterySeed` is the previous share's hash in internal byte order
    /// (32 zero bytes for a chain's first share).
    public static func split(
        reward: Amount, networkTarget: UInt256, sharesNewestFirst shares: some Sequence<TidesShare>,
        parameters: TidesParameters, lotterySeed: Hash256
    ) throws(TidesError) -> TidesSplit {
        let capacity = try windowCapacity(networkTarget: networkTarget, multiplier: parameters.windowMultiplier)
        let weights = try windowWeights(capacity: capacity, sharesNewestFirst: shares)
        return split(reward: reward, weights: weights, parameters: parameters, lotterySeed: lotterySeed)
    }
}
