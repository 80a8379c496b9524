extension PerformanceReport {
    /// Checks what the types cannot: a supported schema version, unique names, at least one
    /// sample per metric, finite samples, and no negative durations.
    ///
    /// - Parameter source: the file name (or other label) to start every message with.
    /// - Throws: the first problem found, e.g. `current.json: benchmark "Gateway/chat" metric
    ///   "latency" has 0 samples (need at least 1)`.
    public func validate(source: String) throws(ReportError) {
        guard schemaVersion == Self.currentSchemaVersion else {
            throw .unsupportedSchema(source, version: schemaVersion)
        }
        if let (name, count) = Self.firstDuplicate(in: benchmarks.map(\.name)) {
            throw .invalid(source, benchmark: name, "appears \(count) times (benchmark names must be unique)")
        }
        for benchmark in benchmarks {
            try benchmark.validate(source: source)
        }
        for (index, point) in (timeline ?? []).enumerated() {
            try point.validate(source: source, index: index)
        }
    }

    /// The first name that occurs more than once, with how often it occurs.
    static func firstDuplicate(in names: [String]) -> (String, Int)? {
        var counts: [String: Int] = [:]
        for name in names { counts[name, default: 0] += 1 }
        guard let name = names.first(where: { (counts[$0] ?? 0) > 1 }) else { return nil }
        return (name, counts[name] ?? 0)
    }
}

extension Benchmark {
    func validate(source: String) throws(ReportError) {
        if let (metric, count) = PerformanceReport.firstDuplicate(in: metrics.map(\.name)) {
            throw .invalid(
                source,
                benchmark: name,
                metric: metric,
                "appears \(count) times (metric names must be unique within a benchmark)"
            )
        }
        for metric in metrics {
            try metric.validate(source: source, benchmark: name)
        }
    }
}

extension Metric {
    func validate(source: String, benchmark: String) throws(ReportError) {
        guard !samples.isEmpty else {
            throw .invalid(source, benchmark: benchmark, metric: name, "has 0 samples (need at least 1)")
        }
        let isDuration = isDuration
        for (index, sample) in samples.enumerated() {
            guard sample.isFinite else {
                throw .invalid(
                    source,
                    benchmark: benchmark,
                    metric: name,
                    "sample \(index + 1) is \(sample) (samples must be finite numbers)"
                )
            }
            if isDuration && sample < 0 {
                throw .invalid(
                    source,
                    benchmark: benchmark,
                    metric: name,
                    "sample \(index + 1) is \(sample) \(unit) (a duration cannot be negative)"
                )
            }
        }
    }
}

extension TimelinePoint {
    func validate(source: String, index: Int) throws(ReportError) {
        guard t.isFinite, t >= 0 else {
            throw .invalid(source, "timeline point \(index + 1) has t = \(t) (need a finite number of seconds ≥ 0)")
        }
        if let (name, value) = values.sorted(by: { $0.key < $1.key }).first(where: { !$0.value.isFinite }) {
            throw .invalid(source, "timeline point \(index + 1) has \(name) = \(value) (values must be finite numbers)")
        }
    }
}
