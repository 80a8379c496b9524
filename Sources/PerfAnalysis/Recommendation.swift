/// One finding from the data: which benchmark, what the numbers show, what to do about it.
public struct Recommendation: Sendable, Hashable, Codable {
    /// How much it matters; recommendations are listed highest first.
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case high, medium, low

        private var rank: Int {
            switch self {
            case .high: 0
            case .medium: 1
            case .low: 2
            }
        }

        /// High sorts before medium before low.
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    /// The rule that fired: `regression`, `allocations_up`, `tail_latency`, `error_rate`,
    /// `errors_under_load`, `noisy`, `few_samples`, `cpu_saturated`, `memory_growth`.
    public var rule: String
    public var severity: Severity
    /// The benchmark it is about, or `timeline` for resource findings.
    public var benchmark: String
    public var metric: String?
    /// The numbers that triggered it.
    public var evidence: String
    /// What to try.
    public var suggestion: String
}
