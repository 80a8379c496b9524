/// How a Mann-Whitney p-value was computed.
public enum MannWhitneyMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// From the exact null distribution of U (no correction for ties).
    case exact
    /// From the normal approximation with tie correction and continuity correction.
    case asymptotic
}

/// The outcome of a two-sided Mann-Whitney U test.
public struct MannWhitneyResult: Sendable, Hashable, Codable {
    /// U of the first sample (scipy's `U1`): `Σ [x > y] + ½·[x = y]` over all pairs. The second
    /// sample's U is `n1·n2 − u`.
    public var u: Double
    /// Two-sided p-value, in [0, 1].
    public var pValue: Double
    /// How ``pValue`` was computed.
    public var method: MannWhitneyMethod

    /// Creates a result from already computed values; ``Stats/mannWhitneyU(_:_:method:)`` is the usual way to get one.
    public init(u: Double, pValue: Double, method: MannWhitneyMethod) {
        self.u = u
        self.pValue = pValue
        self.method = method
    }
}

extension Stats {
    /// The two-sided Mann-Whitney U test of `x` against `y`, matching
    /// `scipy.stats.mannwhitneyu(x, y, alternative="two-sided", method="auto")` (scipy 1.17).
    ///
    /// With `method == nil` the method is chosen as scipy's `_mwu_choose_method` does:
    /// - ``MannWhitneyMethod/asymptotic`` when both samples have more than 8 values;
    /// - otherwise ``MannWhitneyMethod/asymptotic`` when any value is tied (within or across samples);
    /// - otherwise ``MannWhitneyMethod/exact``.
    ///
    /// Exact: with `U = max(U1, U2)`, `p = 2·P(U' ≥ U) = 2·P(U' ≤ n1·n2 − U)` under the null
    /// distribution of U (computed as the coefficients of the Gaussian binomial [n1+n2 choose n1]),
    /// clipped to 1. Like scipy, a forced exact test on tied data truncates a half-integer `U` to an integer.
    ///
    /// Asymptotic: `z = (U − n1·n2/2 − ½)/σ` with
    /// `σ = √(n1·n2/12 · ((N + 1) − Σ(t³ − t)/(N(N − 1))))` over tie-group sizes t, and
    /// `p = 2·Φ(−z)` clipped to 1. When every value is equal σ = 0 and p = 1.
    ///
    /// - Parameters:
    ///   - x: the first sample; ``MannWhitneyResult/u`` is its statistic.
    ///   - y: the second sample.
    ///   - method: force a method (benchstat, for example, uses exact up to 50 samples per side);
    ///     `nil` applies scipy's rule above.
    /// - Throws: ``StatsError`` when either sample is empty or holds NaN or an infinite value.
    public static func mannWhitneyU(
        _ x: [Double],
        _ y: [Double],
        method: MannWhitneyMethod? = nil
    ) throws(StatsError) -> MannWhitneyResult {
        try validate(x, "x")
        try validate(y, "y")
        let n1 = x.count
        let n2 = y.count
        let (rankSumX, tieSizes) = rankSumOfFirst(x, y)
        let u1 = rankSumX - Double(n1) * Double(n1 + 1) / 2
        let u2 = Double(n1) * Double(n2) - u1
        let u = Swift.max(u1, u2)
        let chosen = method ?? ((n1 > 8 && n2 > 8) || !tieSizes.isEmpty ? .asymptotic : .exact)
        let p: Double
        switch chosen {
        case .exact:
            p = 2 * exactUpperTail(Int(u), n1: n1, n2: n2)
        case .asymptotic:
            p = 2 * asymptoticUpperTail(u, n1: n1, n2: n2, tieSizes: tieSizes)
        }
        return MannWhitneyResult(u: u1, pValue: Swift.min(Swift.max(p, 0), 1), method: chosen)
    }

    /// The smallest two-sided p-value the exact test can give for sample sizes `n1` and `n2`:
    /// `2 / C(n1 + n2, n1)`, capped at 1.
    ///
    /// When it exceeds α no data can be significant; benchstat warns "need >= 4 samples to detect
    /// a difference at alpha level 0.05" because n = 3 gives 0.1 and n = 4 gives 0.0286.
    /// Returns 1 when either size is below 1.
    public static func minimumPValue(n1: Int, n2: Int) -> Double {
        guard n1 >= 1, n2 >= 1 else { return 1 }
        return Swift.min(1, 2 / SpecialFunctions.binomial(n1 + n2, n1))
    }

    /// The sum of the average ranks of `x` in the pooled sample, and the sizes of tie groups larger than 1.
    static func rankSumOfFirst(_ x: [Double], _ y: [Double]) -> (rankSum: Double, tieSizes: [Int]) {
        let pooled = (x.map { ($0, true) } + y.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var rankSum = 0.0
        var tieSizes: [Int] = []
        var start = 0
        while start < pooled.count {
            var end = start + 1
            while end < pooled.count && pooled[end].0 == pooled[start].0 { end += 1 }
            // Ranks start..<end (0-based) share the average 1-based rank (start + 1 + end)/2.
            let averageRank = Double(start + 1 + end) / 2
            let fromX = pooled[start..<end].reduce(0) { $0 + ($1.1 ? 1 : 0) }
            rankSum += averageRank * Double(fromX)
            if end - start > 1 { tieSizes.append(end - start) }
            start = end
        }
        return (rankSum, tieSizes)
    }

    /// P(U ≥ u) under the null hypothesis for sample sizes `n1` and `n2`, exactly (no ties).
    static func exactUpperTail(_ u: Int, n1: Int, n2: Int) -> Double {
        // By symmetry P(U ≥ u) = P(U ≤ n1·n2 − u); summing the lower tail keeps the work small.
        let lowerBound = n1 * n2 - u
        guard lowerBound >= 0 else { return 0 }
        let counts = uCounts(upTo: lowerBound, m: Swift.min(n1, n2), n: Swift.max(n1, n2))
        let total = SpecialFunctions.binomial(n1 + n2, n1)
        return counts.reduce(0, +) / total
    }

    /// How many of the C(m + n, m) arrangements give U = 0, 1, …, `upTo`.
    ///
    /// These are the coefficients of the Gaussian binomial `∏ᵢ₌₁ᵐ (1 − q^{n+i})/(1 − q^i)`,
    /// truncated after q^upTo: each factor is one multiplication and one running-sum division,
    /// O(m·upTo) in all (versus O(m·n·upTo) for the textbook recurrence).
    static func uCounts(upTo limit: Int, m: Int, n: Int) -> [Double] {
        var counts = [Double](repeating: 0, count: limit + 1)
        counts[0] = 1
        guard m >= 1 else { return counts }
        for i in 1...m {
            let shift = n + i
            if shift <= limit {
                for k in stride(from: limit, through: shift, by: -1) {
                    counts[k] -= counts[k - shift]
                }
            }
            if i <= limit {
                for k in i...limit {
                    counts[k] += counts[k - i]
                }
            }
        }
        return counts
    }

    /// P(U ≥ u) from the normal approximation with tie and continuity corrections, as scipy's `_get_mwu_z`.
    static func asymptoticUpperTail(_ u: Double, n1: Int, n2: Int, tieSizes: [Int]) -> Double {
        let mean = Double(n1) * Double(n2) / 2
        let total = Double(n1 + n2)
        let tieTerm = tieSizes.reduce(0.0) { sum, size in
            let t = Double(size)
            return sum + (t * t * t - t)
        }
        let variance = Double(n1) * Double(n2) / 12 * ((total + 1) - tieTerm / (total * (total - 1)))
        guard variance > 0 else { return 1 }  // every value equal: no evidence either way
        let z = (u - mean - 0.5) / variance.squareRoot()
        return SpecialFunctions.normalCDF(-z)
    }
}
