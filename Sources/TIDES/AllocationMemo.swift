import BitcoinPrimitives

/// Step-4 quotients remembered per payee between consecutive splits.
///
/// A payee's amount `floor(V × Wp / W)` and remainder depend only on `(Wp, V, W)`. From one
/// share to the next the window usually keeps `W = Z` and the template keeps `V`, and only
/// the payees at the window's two ends change `Wp`, so most of the exact 320-by-256-bit
/// divisions repeat. The memo is keyed by value — an entry is used only when its `Wp`, `V`
/// and `W` equal the ones asked for — so the result is exactly the division's whatever
/// the memo holds (tests compare splits with and without it). Indexed by the weights'
/// script-table id, which only spreads payees over slots. Used when `W` needs more than one
/// 64-bit limb (mainnet-sized windows); a one-limb `W` divides in one instruction.
public struct AllocationMemo: Sendable {
    private var reward: UInt64 = 0
    private var total = UInt256.zero
    /// Entries of older `(V, W)` carry an older generation and are ignored; 0 marks an empty slot.
    private var generation: UInt32 = 0
    private var generations: [UInt32] = []
    private var works: [UInt256] = []
    private var quotients: [UInt64] = []
    private var remainders: [UInt256] = []

    /// An empty memo.
    public init() {}

    /// `scaledQuotient(wp, times: v, dividedBy: w)`, from the memo when slot `id` holds it.
    mutating func quotient(slot id: Int, work wp: UInt256, reward v: UInt64, total w: UInt256)
        -> (quotient: UInt64, remainder: UInt256)
    {
        if v != reward || w != total {
            reward = v
            total = w
            generation &+= 1
            if generation == 0 {
                // Wrapped after 2^32 changes: no old entry may look current.
                for k in generations.indices { generations[k] = 0 }
                generation = 1
            }
        }
        if id < works.count {
            if generations[id] == generation && works[id] == wp { return (quotients[id], remainders[id]) }
        } else {
            let grow = id + 1 - works.count
            generations.append(contentsOf: repeatElement(0, count: grow))
            works.append(contentsOf: repeatElement(.zero, count: grow))
            quotients.append(contentsOf: repeatElement(0, count: grow))
            remainders.append(contentsOf: repeatElement(.zero, count: grow))
        }
        let result = UInt256.scaledQuotient(wp, times: v, dividedBy: w)
        generations[id] = generation
        works[id] = wp
        quotients[id] = result.quotient
        remainders[id] = result.remainder
        return result
    }
}
