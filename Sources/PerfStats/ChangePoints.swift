/// Where a series shifted: one change point found by ``Stats/changePoints(_:options:)``.
public struct ChangePoint: Sendable, Hashable, Codable {
    /// Index of the first value after the shift.
    public var index: Int
    /// The E-divisive statistic Q̂ at this split (larger means a clearer split).
    public var qHat: Double
    /// Welch t-test p-value between the values before and after, within the segment that was split.
    public var pValue: Double
    /// Permutation p-value of Q̂: the share of shuffled segments whose best split scores as high.
    public var permutationPValue: Double
    /// Median of the segment before the shift.
    public var medianBefore: Double
    /// Median of the segment after the shift.
    public var medianAfter: Double
    /// Mean of the segment before the shift.
    public var meanBefore: Double
    /// Mean of the segment after the shift.
    public var meanAfter: Double
}

/// Settings of the change-point search; the defaults are Otava's.
public struct ChangePointOptions: Sendable, Hashable {
    /// A split is kept only when the t-test between its sides gives a p-value below this.
    public var maxPValue: Double
    /// The smallest number of values on each side of a split.
    public var minSegment: Int
    /// A shift smaller than this fraction of the earlier mean is ignored (Otava's `min_magnitude`).
    public var minMagnitude: Double
    /// Shuffles of the segment for the permutation test; 0 turns it off (t-test only, as Otava).
    public var permutations: Int
    /// A split is kept only when its permutation p-value is at most this.
    public var permutationAlpha: Double
    /// Seed of the shuffles, so the result repeats exactly.
    public var seed: UInt64

    /// Creates options: `maxPValue` 0.001 and `minMagnitude` 0 as in Otava, plus E-divisive's own
    /// permutation test (999 shuffles, kept at p ≤ 0.01).
    public init(
        maxPValue: Double = 0.001,
        minSegment: Int = 3,
        minMagnitude: Double = 0,
        permutations: Int = 999,
        permutationAlpha: Double = 0.01,
        seed: UInt64 = 1
    ) {
        self.maxPValue = maxPValue
        self.minSegment = minSegment
        self.minMagnitude = minMagnitude
        self.permutations = permutations
        self.permutationAlpha = permutationAlpha
        self.seed = seed
    }
}

extension Stats {
    /// Change points of a series by E-divisive with a t-test, as Otava (Hunter) does it.
    ///
    /// In a segment of κ values, every split τ gets
    /// `Q̂(τ) = τ(κ−τ)/κ · Ê` with
    /// `Ê = 2/(τ(κ−τ))·Σ|X−Y| − C(τ,2)⁻¹·Σ|X−X'| − C(κ−τ,2)⁻¹·Σ|Y−Y'|`
    /// (X the values before τ, Y after). The split with the largest Q̂ is kept when Welch's
    /// t-test between X and Y gives `p < maxPValue` (Otava's test), the best split of the segment
    /// shuffled scores as high in at most `permutationAlpha` of `permutations` seeded shuffles
    /// (Matteson & James's test), and the means differ by at least `minMagnitude`; then both
    /// halves are searched the same way. The t-test alone is fooled by its own choice of the best
    /// split (on flat noise of 25 runs it raises false alarms 4% of the time, not 0.1%); the
    /// permutation test accounts for that choice (1.5%), and at p ≤ 0.01 it still finds a clean
    /// step in a history of 12 runs (a 6/6 split can reach p = 2/C(12,6) ≈ 0.002). Pairwise distances are summed from a prefix-sum table, so one scan of
    /// n values costs O(n²), and the permutation test up to `permutations` scans per split.
    ///
    /// - Returns: the change points in index order; none for a series shorter than `2·minSegment`.
    /// - Throws: ``StatsError`` for a non-finite value or `minSegment` below 2.
    public static func changePoints(
        _ series: [Double],
        options: ChangePointOptions = .init()
    ) throws(StatsError)
        -> [ChangePoint]
    {
        guard options.minSegment >= 2 else {
            throw StatsError(.invalidParameter, "minSegment must be at least 2 (the t-test needs 2 values a side)")
        }
        guard series.allSatisfy(\.isFinite) else { throw StatsError(.nonFiniteValue, "the series holds a non-finite value") }
        let table = DistanceTable(series)
        var found: [ChangePoint] = []
        var pending = [(series.startIndex, series.endIndex)]
        while let (start, end) = pending.popLast() {
            guard let split = table.bestSplit(start, end, minSegment: options.minSegment) else { continue }
            let before = Array(series[start..<split.index])
            let after = Array(series[split.index..<end])
            guard let test = try? welchTTest(before, after), test.pValue < options.maxPValue else { continue }
            let permutationP = permutationPValue(
                Array(series[start..<end]),
                observed: split.q,
                options: options,
                seed: options.seed ^ UInt64(start) << 32 ^ UInt64(end)
            )
            guard permutationP <= options.permutationAlpha else { continue }
            let (meanBefore, _) = meanVariance(before)
            let (meanAfter, _) = meanVariance(after)
            let magnitude = meanBefore == 0 ? abs(meanAfter) : abs(meanAfter - meanBefore) / abs(meanBefore)
            guard magnitude >= options.minMagnitude else { continue }
            found.append(
                ChangePoint(
                    index: split.index,
                    qHat: split.q,
                    pValue: test.pValue,
                    permutationPValue: permutationP,
                    medianBefore: try median(before),
                    medianAfter: try median(after),
                    meanBefore: meanBefore,
                    meanAfter: meanAfter
                )
            )
            pending.append((start, split.index))
            pending.append((split.index, end))
        }
        return found.sorted { $0.index < $1.index }
    }
}

extension Stats {
    /// `(1 + k) / (1 + R)` where k of R seeded shuffles of `segment` have a best split scoring at
    /// least `observed`; stops early once the p-value can no longer reach `permutationAlpha`.
    static func permutationPValue(_ segment: [Double], observed: Double, options: ChangePointOptions, seed: UInt64) -> Double {
        guard options.permutations > 0 else { return 0 }
        var generator = SplitMix64(seed: seed)
        var values = segment
        var exceeded = 0
        let total = Double(options.permutations + 1)
        for _ in 0..<options.permutations {
            // Fisher-Yates with our own generator, so the order is the same on every Swift version.
            for i in stride(from: values.count - 1, to: 0, by: -1) {
                values.swapAt(i, generator.next(below: i + 1))
            }
            if let best = DistanceTable(values).bestSplit(0, values.count, minSegment: options.minSegment), best.q >= observed {
                exceeded += 1
                if Double(exceeded + 1) / total > options.permutationAlpha { return Double(exceeded + 1) / total }
            }
        }
        return Double(exceeded + 1) / total
    }
}

/// Sums of |x_i − x_j| over rectangles of index pairs in O(1), from a 2-D prefix sum.
struct DistanceTable {
    private let n: Int
    /// `prefix[i·(n+1) + j]` = Σ |x_a − x_b| for a < i, b < j.
    private let prefix: [Double]

    init(_ values: [Double]) {
        n = values.count
        var table = [Double](repeating: 0, count: (n + 1) * (n + 1))
        for i in 0..<n {
            var row = 0.0
            for j in 0..<n {
                row += abs(values[i] - values[j])
                table[(i + 1) * (n + 1) + j + 1] = table[i * (n + 1) + j + 1] + row
            }
        }
        prefix = table
    }

    /// Σ |x_a − x_b| for a in rows, b in columns.
    func sum(_ rows: Range<Int>, _ columns: Range<Int>) -> Double {
        let w = n + 1
        return prefix[rows.upperBound * w + columns.upperBound] - prefix[rows.lowerBound * w + columns.upperBound]
            - prefix[rows.upperBound * w + columns.lowerBound] + prefix[rows.lowerBound * w + columns.lowerBound]
    }

    /// The split of `start..<end` with the largest Q̂, each side at least `minSegment` long.
    func bestSplit(_ start: Int, _ end: Int, minSegment: Int) -> (index: Int, q: Double)? {
        let kappa = end - start
        guard kappa >= 2 * minSegment else { return nil }
        var best: (index: Int, q: Double)?
        for tau in (start + minSegment)...(end - minSegment) {
            let left = Double(tau - start)
            let right = Double(end - tau)
            let between = sum(start..<tau, tau..<end)
            // Each unordered pair appears twice in the square sum.
            let withinLeft = sum(start..<tau, start..<tau) / 2
            let withinRight = sum(tau..<end, tau..<end) / 2
            let e =
                2 / (left * right) * between - withinLeft / (left * (left - 1) / 2)
                - withinRight / (right * (right - 1) / 2)
            let q = left * right / Double(kappa) * e
            if best == nil || q > (best?.q ?? 0) { best = (tau, q) }
        }
        return best
    }
}
