/// A Fenwick tree of the miners' current hash rates: pick a miner with probability
/// proportional to its hash rate in O(log n), change one rate in O(log n).
struct HashrateTree {
    private var tree: [Double]
    private(set) var rates: [Double]
    private(set) var total = 0.0
    private let top: Int

    init(count: Int) {
        tree = Array(repeating: 0, count: count + 1)
        rates = Array(repeating: 0, count: count)
        var t = 1
        while t * 2 <= count { t *= 2 }
        top = t
    }

    mutating func set(_ i: Int, _ rate: Double) {
        let delta = rate - rates[i]
        guard delta != 0 else { return }
        rates[i] = rate
        total += delta
        var k = i + 1
        while k < tree.count { tree[k] += delta; k += k & -k }
        if total < 1e-9 * Swift.max(1, abs(delta)) { total = rates.reduce(0, +) }
    }

    /// The miner whose cumulative interval holds `x` in [0, total).
    func pick(_ x: Double) -> Int {
        var pos = 0, rest = x, step = top
        while step > 0 {
            let next = pos + step
            if next < tree.count && tree[next] <= rest { pos = next; rest -= tree[next] }
            step >>= 1
        }
        // Guard rounding at the upper edge: fall back to the last miner with a rate.
        var i = Swift.min(pos, rates.count - 1)
        while rates[i] == 0 && i > 0 { i -= 1 }
        return i
    }
}
