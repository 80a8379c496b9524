/// Which way a metric improves; written as `"lower"` or `"higher"` in JSON.
public enum Direction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Smaller values are better: times, latencies, bytes, allocation counts.
    case lowerIsBetter = "lower"
    /// Larger values are better: throughput such as `req/s` or `MB/s`.
    case higherIsBetter = "higher"
}
