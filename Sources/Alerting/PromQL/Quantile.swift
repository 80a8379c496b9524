/// Quantiles as Prometheus computes them: over raw values (`quantile`, `quantile_over_time`) and over
/// classic histogram buckets (`histogram_quantile`).
enum Quantile {
    /// The φ-quantile of `values` with linear interpolation between the closest ranks; NaN for no values
    /// or a NaN φ, -Inf for φ < 0, +Inf for φ > 1. NaN values sort first, as in Prometheus.
    static func of(_ q: Double, _ values: [Double]) -> Double {
        if values.isEmpty || q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let sorted = values.sorted { !$1.isNaN && ($0.isNaN || $0 < $1) }
        let n = Double(sorted.count)
        let rank = q * (n - 1)
        let lower = GoMath.max(0, rank.rounded(.down))
        let upper = GoMath.min(n - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[Int(lower)] * (1 - weight) + sorted[Int(upper)] * weight
    }

    /// One classic histogram bucket: its upper bound (`le`) and cumulative count.
    struct Bucket {
        var upperBound: Double
        var count: Double
    }

    /// Prometheus' `bucketQuantile`: sorts by `le`, needs a `+Inf` bucket, merges equal bounds, forces
    /// counts to be monotonic, and interpolates linearly inside the bucket holding the rank (from 0 for the
    /// first bucket); a rank in the `+Inf` bucket gives the highest finite bound.
    static func fromBuckets(_ q: Double, _ input: [Bucket]) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        var buckets = input.sorted { $0.upperBound < $1.upperBound }
        guard let top = buckets.last, top.upperBound == .infinity else { return .nan }
        buckets = coalesce(buckets)
        var runningMax = buckets[0].count
        for index in buckets.indices.dropFirst() {
            if buckets[index].count > runningMax {
                runningMax = buckets[index].count
            } else if buckets[index].count < runningMax {
                buckets[index].count = runningMax
            }
        }
        if buckets.count < 2 { return .nan }
        let observations = buckets[buckets.count - 1].count
        if observations == 0 { return .nan }
        var rank = q * observations
        // Go's sort.Search over all but the +Inf bucket.
        var b = 0
        var high = buckets.count - 1
        while b < high {
            let middle = (b + high) / 2
            if buckets[middle].count >= rank {
                high = middle
            } else {
                b = middle + 1
            }
        }
        if b == buckets.count - 1 { return buckets[buckets.count - 2].upperBound }
        if b == 0 && buckets[0].upperBound <= 0 { return buckets[0].upperBound }
        var start = 0.0
        let end = buckets[b].upperBound
        var count = buckets[b].count
        if b > 0 {
            start = buckets[b - 1].upperBound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        return start + (end - start) * (rank / count)
    }

    private static func coalesce(_ buckets: [Bucket]) -> [Bucket] {
        var result: [Bucket] = []
        for bucket in buckets {
            if let last = result.last, last.upperBound == bucket.upperBound {
                result[result.count - 1].count += bucket.count
            } else {
                result.append(bucket)
            }
        }
        return result
    }
}
