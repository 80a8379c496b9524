/// A versioned record of one benchmark run: metadata, benchmarks with raw samples, and an
/// optional resource timeline. Its JSON form is described in `docs/report-format.md` and
/// `docs/report-schema.json`.
///
/// Read one with ``load(path:format:)`` or ``parse(_:source:format:createdAt:)``, check it with
/// ``validate(source:)`` and save it with ``write(to:)``.
public struct PerformanceReport: Sendable, Hashable, Codable {
    /// The schema version this build writes and reads.
    public static let currentSchemaVersion = 1

    /// Version of the format; ``currentSchemaVersion`` for reports built here.
    public var schemaVersion: Int
    /// When, where and how the results were produced.
    public var metadata: Metadata
    /// The benchmarks, in the order they ran.
    public var benchmarks: [Benchmark]
    /// Resource samples over the run, if recorded.
    public var timeline: [TimelinePoint]?

    /// Creates a report at the current schema version.
    public init(metadata: Metadata, benchmarks: [Benchmark], timeline: [TimelinePoint]? = nil) {
        self.schemaVersion = Self.currentSchemaVersion
        self.metadata = metadata
        self.benchmarks = benchmarks
        self.timeline = timeline
    }

    /// The first benchmark called `name`, if any.
    public func benchmark(named name: String) -> Benchmark? {
        benchmarks.first { $0.name == name }
    }

    private enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case metadata, benchmarks, timeline
    }
}
