/// A metric's name read by the one naming rule of `bench`, `load`, `report`, `charts` and `history`.
///
/// A name is either `<base>`, one sample per request or per run (as `load` writes `e2e`, `ttft`,
/// `throughput`), or `<base>_p<NN>`, one sample per repetition holding the NN-th percentile of that
/// repetition's requests (as `bench` writes `e2e_p95`). The legacy base `latency` (older `bench`
/// reports and committed baselines: `latency_p50`, `latency_p95`) reads as `e2e`.
public struct MetricName: Sendable, Hashable, CustomStringConvertible {
    /// The base name with aliases resolved: `e2e` for `latency_p95`.
    public var base: String
    /// `NN` of a `<base>_p<NN>` name; `nil` for a plain `<base>`.
    public var percentile: Int?
    /// The name as written in the report.
    public var description: String

    /// Bases written under an older name, old → current.
    public static let aliases = ["latency": "e2e"]

    /// Reads `name`: a trailing `_p` followed by one to three digits (at most 100) is a percentile;
    /// anything else (`ttft_ratio`, `cpu_per_request`) is a plain base.
    public init(_ name: String) {
        description = name
        var base = name
        if let underscore = name.lastIndex(of: "_"), underscore > name.startIndex {
            let suffix = name[name.index(after: underscore)...]
            let digits = suffix.dropFirst()
            if suffix.first == "p", !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(digits), value <= 100
            {
                percentile = value
                base = String(name[..<underscore])
            }
        }
        self.base = Self.aliases[base] ?? base
    }

    /// The role of the base name (``MetricRole/other`` when the table does not list it).
    public var role: MetricRole { MetricRole.of(base: base) }
}

/// What a metric's base name measures; ``MetricRole/table`` lists every known base.
public enum MetricRole: String, Sendable, Hashable, CaseIterable {
    /// End-to-end request latency: `e2e` (legacy `latency`). The seed's "p95 < 1 s" is about it.
    case requestLatency = "request_latency"
    /// Token latencies of a streamed answer: `ttft`, `itl`, `tpot`.
    case tokenLatency = "token_latency"
    /// Micro-benchmark timings, not requests: `wall_clock`, `time`, `duration`, `cpu_total`.
    case timing
    /// Rates, higher is better: `throughput` (req/s), `output_tokens_per_second`.
    case rate
    /// The fraction of requests that failed: `error_rate`.
    case errorRate = "error_rate"
    /// Resources a run used: `cpu_utilization`, `cpu_per_request`, `peak_rss`.
    case resource
    /// Allocation counts per operation: `allocations`, `allocated_bytes`, `mallocs`, `allocations_*`.
    case allocation
    /// Anything else (`goodput`, `ttft_ratio`, `first_node_share`, `scaling_efficiency`, …).
    case other

    /// Every known base name and its role: the one table the naming rule reads.
    public static let table: [(base: String, role: MetricRole)] = [
        ("e2e", .requestLatency),
        ("ttft", .tokenLatency), ("itl", .tokenLatency), ("tpot", .tokenLatency),
        ("wall_clock", .timing), ("time", .timing), ("duration", .timing), ("cpu_total", .timing),
        ("throughput", .rate), ("output_tokens_per_second", .rate),
        ("error_rate", .errorRate),
        ("cpu_utilization", .resource), ("cpu_per_request", .resource), ("peak_rss", .resource),
        ("allocations", .allocation), ("allocated_bytes", .allocation), ("mallocs", .allocation),
    ]

    private static let byBase = Dictionary(table.map { ($0.base, $0.role) }, uniquingKeysWith: { first, _ in first })

    /// The role of a base name (aliases already resolved); `allocations_*` counts as ``allocation``.
    public static func of(base: String) -> MetricRole {
        if let role = byBase[base] { return role }
        return base.hasPrefix("allocations_") ? .allocation : .other
    }

    /// Whether metrics of this role are latencies or timings (a time unit, lower is better).
    public var isLatency: Bool { self == .requestLatency || self == .tokenLatency || self == .timing }
}
