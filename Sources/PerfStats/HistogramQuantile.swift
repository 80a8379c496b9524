/// Prometheus 2.42's `histogram_quantile` over classic (`le`) buckets: the gateway's history
/// computes percentiles from its own cumulative histograms with it, and the embedded PromQL
/// evaluator's `histogram_quantile` is it, so both agree with a PromQL query exactly.
public enum HistogramQuantile {
    /// The φ-quantile `q` of cumulative `buckets`, as Prometheus' `bucketQuantile`.
    ///
    /// Buckets may come in any order; equal upper bounds are merged and counts are forced
    /// monotonic. Special cases: NaN `q` → NaN; `q < 0` → -Inf; `q > 1` → +Inf; no `+Inf`
    /// bucket, fewer than two buckets or zero observations → NaN. A quantile that falls in
    /// the `+Inf` bucket returns the second-highest upper bound; one in a lowest bucket
    /// whose bound is ≤ 0 returns that bound. Otherwise it interpolates linearly within the
    /// bucket, from 0 for the lowest bucket. Like Prometheus, `q = 0` with an empty lowest
    /// bucket yields NaN (0/0).
    public static func quantile(_ q: Double, buckets: [(upperBound: Double, count: Double)]) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        // Stable by bound, like Go's sort of a slice that is usually already in order.
        let sorted = buckets.enumerated()
            .sorted { ($0.element.upperBound, $0.offset) < ($1.element.upperBound, $1.offset) }
            .map(\.element)
        guard let highest = sorted.last, highest.upperBound == .infinity else { return .nan }
        let merged = monotonic(coalesced(sorted))
        guard merged.count >= 2 else { return .nan }
        let observations = merged[merged.count - 1].count
        guard observations != 0 else { return .nan }

        var rank = q * observations
        // sort.Search over all but the +Inf bucket: index count-1 means "not found".
        let b = merged.dropLast().firstIndex { $0.count >= rank } ?? merged.count - 1
        if b == merged.count - 1 { return merged[merged.count - 2].upperBound }
        if b == 0 && merged[0].upperBound <= 0 { return merged[0].upperBound }
        var start = 0.0
        let end = merged[b].upperBound
        var count = merged[b].count
        if b > 0 {
            start = merged[b - 1].upperBound
            count -= merged[b - 1].count
            rank -= merged[b - 1].count
        }
        return start + (end - start) * (rank / count)
    }

    /// The increase of each cumulative bucket between two scrapes, for a quantile over
    /// just that interval (what `rate(…_bucket[…])` feeds `histogram_quantile`).
    ///
    /// Returns `current` unchanged when any count went down (the counters were reset, so
    /// `current` already is the increase since the reset) or when the bounds differ
    /// (no common baseline to subtract).
    public static func delta(
        current: [(upperBound: Double, count: Double)],
        previous: [(upperBound: Double, count: Double)]
    ) -> [(upperBound: Double, count: Double)] {
        guard current.count == previous.count,
            zip(current, previous).allSatisfy({ $0.upperBound == $1.upperBound }),
            !zip(current, previous).contains(where: { $0.count < $1.count })
        else { return current }
        return zip(current, previous).map { ($0.upperBound, $0.count - $1.count) }
    }

    /// Merges adjacent buckets with equal bounds by adding their counts (input sorted).
    private static func coalesced(
        _ sorted: [(upperBound: Double, count: Double)]
    ) -> [(upperBound: Double, count: Double)] {
        var merged: [(upperBound: Double, count: Double)] = []
        for bucket in sorted {
            if let last = merged.last, last.upperBound == bucket.upperBound {
                merged[merged.count - 1].count += bucket.count
            } else {
                merged.append(bucket)
            }
        }
        return merged
    }

    /// Raises every count to the running maximum: the envelope Prometheus uses so the
    /// binary search sees non-decreasing counts.
    private static func monotonic(
        _ buckets: [(upperBound: Double, count: Double)]
    ) -> [(upperBound: Double, count: Double)] {
        guard var highest = buckets.first?.count else { return buckets }
        // Spelled out rather than max(): a NaN count must stay NaN, as in Prometheus.
        return buckets.map { bucket in
            if bucket.count > highest {
                highest = bucket.count
            } else if bucket.count < highest {
                return (bucket.upperBound, highest)
            }
            return bucket
        }
    }
}
