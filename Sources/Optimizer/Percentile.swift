extension Array where Element == Double {
    /// The exact `p`-quantile (`p` in [0, 1]) by linear interpolation between the closest ranks
    /// (NumPy's default): rank `p·(n-1)` of the sorted values. Nil when empty.
    func percentile(_ p: Double) -> Double? {
        guard !isEmpty else { return nil }
        let sorted = self.sorted()
        let rank = Swift.min(Swift.max(p, 0), 1) * Double(sorted.count - 1)
        let low = Int(rank.rounded(.down))
        let high = Swift.min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - Double(low))
    }
}

extension Duration {
    /// Seconds as a `Double`, the unit the limiter computes in.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
