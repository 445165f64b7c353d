/// Named configurations: the default run of `tidepool simulate` and the benchmark's.
public enum SimulationPresets {
    /// 1,000 miners (power-law hash rates, exponent 1.5, as Rubin's simulation), a pool of
    /// 5% of a 700 EH/s network, 30-second shares (mainnet), 3.125 BTC blocks, 10,000 pool
    /// blocks, 5% churn and two hoppers at 1% each: every scheme.
    public static func benchmark(seed: UInt64 = 1, blocks: Int = 10_000, miners: Int = 1_000) -> SimulationConfig {
        let network = NetworkModel(hashrate: 700e18, blockInterval: 600, reward: 312_500_000)
        let pool = network.hashrate * 0.05
        let expected = Double(blocks) * network.blockInterval * network.hashrate / pool
        let population = PopulationSpec(count: miners, poolHashrate: pool, distribution: .powerLaw(exponent: 1.5),
                                        churn: 0.05, hoppers: 2, hopperFraction: 0.01)
        return SimulationConfig(seed: seed, blocks: blocks, network: network, shareInterval: 30,
                                miners: population.miners(seed: seed, expectedDuration: expected))
    }
}
