/// Hash rate estimated from accepted pseudo-shares over a window:
/// `Σ difficulty × 2^32 / seconds`.
///
/// Pseudo-shares arrive as a Poisson process, so with `n` of them in the window the
/// estimate's relative standard error is ≈ `1/√n` (10 % at 100 shares, 3 % at
/// 1,000). `hashes` and `samples` are exact; the rates are for display only.
public struct HashrateEstimate: Sendable, Hashable {
    /// The window asked for, seconds (60, 300 or 3600).
    public var windowSeconds: UInt64
    /// The part of the window the node has observed, seconds: the divisor.
    public var coveredSeconds: UInt64
    /// Expected hashes of the accepted pseudo-shares (sharechain: chain work), exact.
    public var hashes: UInt128
    /// Pseudo-shares (sharechain: shares) behind the estimate, `n`.
    public var samples: UInt64

    /// Creates an estimate.
    public init(windowSeconds: UInt64, coveredSeconds: UInt64, hashes: UInt128, samples: UInt64) {
        self.windowSeconds = windowSeconds
        self.coveredSeconds = coveredSeconds
        self.hashes = hashes
        self.samples = samples
    }

    /// `hashes / coveredSeconds`; 0 before anything was observed. Display only.
    public var hashesPerSecond: Double {  // display only
        coveredSeconds == 0 ? 0 : Double(hashes) / Double(coveredSeconds)
    }

    /// `1/√n`, the estimate's relative standard error; nil when `n` is 0. Display only.
    public var relativeError: Double? {  // display only
        samples == 0 ? nil : 1 / Double(samples).squareRoot()
    }
}
