/// One measured quantity of a benchmark: its raw samples, unit, direction and summary.
///
/// Names are snake_case (`wall_clock`, `allocations`, `throughput`, `ttft_p95`); units are short
/// symbols (`ns`, `us`, `ms`, `s`, `B`, `count`, `req/s`, `MB/s`). A `deterministic` metric is a
/// count that does not vary from run to run (allocations, instructions) and is compared exactly.
public struct Metric: Sendable, Hashable, Codable {
    /// Metric name, unique within its benchmark.
    public var name: String
    /// Unit of every sample.
    public var unit: String
    /// Whether lower or higher values are better.
    public var direction: Direction
    /// True for counts that should compare exactly rather than statistically.
    public var deterministic: Bool
    /// Raw samples, one per repetition, in the order measured.
    public var samples: [Double] {
        didSet { summary = Summary(samples: samples) }
    }
    /// Statistics of ``samples``; kept in step with them on every change.
    public private(set) var summary: Summary

    /// Creates a metric; the summary is computed from `samples`.
    public init(name: String, unit: String, direction: Direction, deterministic: Bool = false, samples: [Double]) {
        self.name = name
        self.unit = unit
        self.direction = direction
        self.deterministic = deterministic
        self.samples = samples
        self.summary = Summary(samples: samples)
    }

    /// Time units whose samples are durations and so can never be negative.
    static let timeUnits: Set<String> = ["ns", "us", "µs", "ms", "s", "min", "h"]

    /// True when the unit is a duration (see ``timeUnits``).
    var isDuration: Bool { Self.timeUnits.contains(unit) }

    private enum CodingKeys: String, CodingKey {
        case name, unit, direction, deterministic, samples, summary
    }

    /// Decodes a metric; any stored `summary` is ignored and recomputed from `samples`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name),
            unit: try container.decode(String.self, forKey: .unit),
            direction: try container.decode(Direction.self, forKey: .direction),
            deterministic: try container.decode(Bool.self, forKey: .deterministic),
            samples: try container.decode([Double].self, forKey: .samples)
        )
    }

    /// Encodes every field, the summary included.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(unit, forKey: .unit)
        try container.encode(direction, forKey: .direction)
        try container.encode(deterministic, forKey: .deterministic)
        try container.encode(samples, forKey: .samples)
        try container.encode(summary, forKey: .summary)
    }
}
