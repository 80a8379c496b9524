/// The few descriptive statistics a report stores next to its raw samples.
///
/// Deliberately small: the comparison and regression statistics (Mann-Whitney U, confidence
/// intervals) live in a separate module that works from the raw samples, not from these numbers.
enum SampleStatistics {
    /// The `p`-th percentile (0...100) of already sorted values, interpolated linearly between
    /// the two nearest ranks, as numpy's default (`method="linear"`) does:
    /// rank `h = (n - 1) * p / 100`, value `x[⌊h⌋] + (h - ⌊h⌋) * (x[⌊h⌋ + 1] - x[⌊h⌋])`.
    /// Returns 0 for no values.
    static func percentile(sorted values: [Double], _ p: Double) -> Double {
        guard let first = values.first else { return 0 }
        guard values.count > 1 else { return first }
        let rank = Double(values.count - 1) * min(max(p, 0), 100) / 100
        let lower = Int(rank.rounded(.down))
        let upper = min(lower + 1, values.count - 1)
        let fraction = rank - Double(lower)
        return values[lower] + fraction * (values[upper] - values[lower])
    }

    /// The arithmetic mean; 0 for no values.
    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    /// The sample standard deviation (divides by `n - 1`, as hyperfine and most tools report it);
    /// 0 for fewer than two values.
    static func standardDeviation(_ values: [Double], mean: Double) -> Double {
        guard values.count > 1 else { return 0 }
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (squares / Double(values.count - 1)).squareRoot()
    }
}
