extension Stats {
    /// hyperfine's outlier threshold: 10 scaled MADs, `10 × 1.4826`.
    public static let outlierThreshold = 14.826

    /// Indices of samples whose modified z-score `|x − median| / MAD` exceeds `threshold`, as
    /// hyperfine flags them (it warns and keeps them; so should callers).
    ///
    /// MAD is raw (``medianAbsoluteDeviation(_:)``). When MAD is 0 (more than half the samples are
    /// equal), every sample that differs from the median is flagged, as hyperfine's division by 0 does.
    ///
    /// - Throws: ``StatsError`` when `samples` is empty or holds NaN or an infinite value.
    public static func outlierIndices(_ samples: [Double], threshold: Double = outlierThreshold) throws(StatsError) -> [Int] {
        try validate(samples, "samples")
        let median = medianOfSorted(samples.sorted())
        let mad = medianOfSorted(samples.map { abs($0 - median) }.sorted())
        return samples.indices.filter { index in
            let deviation = abs(samples[index] - median)
            return mad == 0 ? deviation > 0 : deviation / mad > threshold
        }
    }
}
