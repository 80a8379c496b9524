/// Quantiles over raw values as Prometheus computes them (`quantile`, `quantile_over_time`); over
/// histogram buckets see ``HistogramQuantileFunction``.
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
}
