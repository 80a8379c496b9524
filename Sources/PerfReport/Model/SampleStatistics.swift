import PerfStats

/// The few descriptive statistics a report stores next to its raw samples.
///
/// Deliberately small: percentiles are PerfStats' one numpy-pinned rule (``Stats/percentile(_:_:)``),
/// and the comparison and regression statistics (Mann-Whitney U, confidence intervals) live in a
/// separate module that works from the raw samples, not from these numbers.
enum SampleStatistics {
    /// The `p`-th percentile (0...100) of already sorted values by PerfStats' rule (numpy's
    /// `method="linear"`); 0 for no values, as every field of an empty ``Summary``.
    static func percentile(sorted values: [Double], _ p: Double) -> Double {
        values.isEmpty ? 0 : Stats.percentile(values, p)
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
