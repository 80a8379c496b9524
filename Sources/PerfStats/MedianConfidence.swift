/// A distribution-free confidence interval for the population median, bounded by two order statistics.
public struct MedianConfidenceInterval: Sendable, Hashable, Codable {
    /// Number of samples.
    public var count: Int
    /// Sample median (as ``Stats/median(_:)``).
    public var median: Double
    /// Lower bound, or `nil` when the interval is unbounded below (the sample is too small).
    public var low: Double?
    /// Upper bound, or `nil` when the interval is unbounded above (the sample is too small).
    public var high: Double?
    /// The confidence level that was asked for.
    public var requestedConfidence: Double
    /// The coverage actually achieved, P(low ≤ true median ≤ high) ≥ ``requestedConfidence``;
    /// 1 when the interval is unbounded.
    public var confidence: Double
    /// 1-based rank of the lower bound in the sorted samples; 0 means −∞.
    public var lowOrder: Int
    /// 1-based rank of the upper bound in the sorted samples; `count + 1` means +∞.
    public var highOrder: Int

    /// Whether both bounds are finite sample values.
    public var isBounded: Bool { low != nil && high != nil }

    /// Creates an interval from already computed values; ``Stats/medianConfidenceInterval(_:confidence:)`` is the usual way to get one.
    public init(
        count: Int,
        median: Double,
        low: Double?,
        high: Double?,
        requestedConfidence: Double,
        confidence: Double,
        lowOrder: Int,
        highOrder: Int
    ) {
        self.count = count
        self.median = median
        self.low = low
        self.high = high
        self.requestedConfidence = requestedConfidence
        self.confidence = confidence
        self.lowOrder = lowOrder
        self.highOrder = highOrder
    }
}

extension Stats {
    /// The confidence interval for the median from order statistics, as benchstat computes it.
    ///
    /// The number of samples below the population median is Binomial(n, ½). Starting from the
    /// central mode, whole probability masses are added, always the larger neighbour and the left
    /// one on a tie (benchstat's left bias), until the total reaches `confidence`. The interval is
    /// then `sorted[lowOrder − 1] … sorted[highOrder − 1]` and ``MedianConfidenceInterval/confidence``
    /// is the exact coverage. This is go-moremath's `QuantileCI(n, 0.5, confidence)`; benchstat
    /// switches to a normal approximation above n = 30, where its bounds may differ from these
    /// exact ones by one order statistic.
    ///
    /// When even `[min, max]` covers less than `confidence` the interval is unbounded: `low` and
    /// `high` are `nil` and `confidence` is 1. At 95% that happens for n < 6 (`[min, max]` of six
    /// samples covers 1 − 2/2⁶ = 96.875%); at 99% for n < 8. See
    /// ``minimumSamplesForMedianInterval(confidence:)``.
    ///
    /// - Parameters:
    ///   - samples: the samples, in any order.
    ///   - confidence: the coverage wanted, in (0, 1); default 0.95.
    /// - Throws: ``StatsError`` for empty or non-finite samples, or a confidence outside (0, 1).
    public static func medianConfidenceInterval(
        _ samples: [Double],
        confidence: Double = 0.95
    ) throws(StatsError) -> MedianConfidenceInterval {
        try validate(samples, "samples")
        try validateConfidence(confidence)
        let sorted = samples.sorted()
        let n = sorted.count
        let (lowOrder, highOrder, achieved) = medianOrders(n: n, confidence: confidence)
        let bounded = lowOrder >= 1 && highOrder <= n
        return MedianConfidenceInterval(
            count: n,
            median: medianOfSorted(sorted),
            low: bounded ? sorted[lowOrder - 1] : nil,
            high: bounded ? sorted[highOrder - 1] : nil,
            requestedConfidence: confidence,
            confidence: bounded ? achieved : 1,
            lowOrder: bounded ? lowOrder : 0,
            highOrder: bounded ? highOrder : n + 1
        )
    }

    /// The smallest sample count whose median interval at `confidence` is bounded, or `nil` when
    /// more than `limit` samples would be needed.
    ///
    /// 6 at 0.95 and 8 at 0.99, matching benchstat's "need >= 6 samples for confidence interval".
    public static func minimumSamplesForMedianInterval(confidence: Double = 0.95, limit: Int = 1000) -> Int? {
        guard confidence > 0, confidence < 1, limit >= 1 else { return nil }
        // [min, max] covers 1 − 2·2⁻ⁿ, so the first n where that reaches `confidence` is the answer.
        for n in 1...limit {
            let (lowOrder, highOrder, _) = medianOrders(n: n, confidence: confidence)
            if lowOrder >= 1 && highOrder <= n { return n }
        }
        return nil
    }

    /// The 1-based orders [lowOrder, highOrder] and their coverage; orders outside 1…n mean unbounded.
    static func medianOrders(n: Int, confidence: Double) -> (lowOrder: Int, highOrder: Int, confidence: Double) {
        let pmf = halfBinomialPMF(n)
        func mass(_ k: Int) -> Double { k >= 0 && k <= n ? pmf[k] : 0 }
        // k counts samples below the median, so mass k belongs to the gap between sorted[k-1] and
        // sorted[k]; the gaps [l, r) are bounded by orders l and r. Start at the lower mode.
        let mode = (n + 1 + 1) / 2 - 1  // ceil((n + 1)/2) − 1
        var accumulated = mass(mode)
        var l = mode
        var r = mode + 1
        var leftMass = mass(l - 1)
        var rightMass = mass(r)
        while accumulated < confidence && (leftMass > 0 || rightMass > 0) {
            if leftMass >= rightMass {
                accumulated += leftMass
                l -= 1
                leftMass = mass(l - 1)
            } else {
                accumulated += rightMass
                r += 1
                rightMass = mass(r)
            }
        }
        return (Swift.max(l, 0), Swift.min(r, n + 1), accumulated)
    }

    /// The Binomial(n, ½) probabilities, computed outward from the centre and mirrored so that
    /// `pmf[k] == pmf[n − k]` exactly and the left-bias tie rule behaves the same on every platform.
    static func halfBinomialPMF(_ n: Int) -> [Double] {
        var pmf = [Double](repeating: 0, count: n + 1)
        let centre = n / 2
        pmf[centre] = 1
        var k = centre
        while k > 0 {
            // C(n, k−1) = C(n, k)·k/(n − k + 1); tails that underflow to 0 carry no mass anyway.
            pmf[k - 1] = pmf[k] * Double(k) / Double(n - k + 1)
            k -= 1
        }
        for k in 0..<centre { pmf[n - k] = pmf[k] }
        if n % 2 == 1 { pmf[centre + 1] = pmf[centre] }
        // Normalising by the computed total (rather than 2ⁿ) keeps large n free of underflow.
        var total = 0.0
        for k in 0...n { total += pmf[k] }
        return pmf.map { $0 / total }
    }
}
