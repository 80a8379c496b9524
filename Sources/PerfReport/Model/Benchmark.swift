/// One benchmark (a named scenario) and the metrics measured for it.
public struct Benchmark: Sendable, Hashable, Codable {
    /// Name, unique within a report, e.g. `Gateway/chat` or `Route/nodes=8`.
    public var name: String
    /// Optional grouping, such as the Go package or the package-benchmark target.
    public var group: String?
    /// Free-form tags; omitted from JSON when empty.
    public var tags: [String]
    /// Metrics, each with a unique name.
    public var metrics: [Metric]

    /// Creates a benchmark.
    public init(name: String, group: String? = nil, tags: [String] = [], metrics: [Metric]) {
        self.name = name
        self.group = group
        self.tags = tags
        self.metrics = metrics
    }

    /// The first metric called `name`, if any.
    public func metric(named name: String) -> Metric? {
        metrics.first { $0.name == name }
    }

    private enum CodingKeys: String, CodingKey {
        case name, group, tags, metrics
    }

    /// Decodes a benchmark; `group` and `tags` may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decode(String.self, forKey: .name)
        self.group = try container.decodeIfPresent(String.self, forKey: .group)
        self.tags = try container.decodeIfPresent([String].self, forKey: .tags) ?? []
        self.metrics = try container.decode([Metric].self, forKey: .metrics)
    }

    /// Encodes the benchmark, leaving out a missing group and empty tags.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(group, forKey: .group)
        if !tags.isEmpty { try container.encode(tags, forKey: .tags) }
        try container.encode(metrics, forKey: .metrics)
    }
}
