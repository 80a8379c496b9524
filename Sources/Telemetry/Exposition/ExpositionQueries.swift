extension Array where Element == ExpositionFamily {
    /// The value of the sample named `name` whose labels include every given pair.
    ///
    /// Matches by sample name across all families, so `latency_seconds_count` works for a
    /// histogram. Returns nil when nothing matches; when several samples match (the given
    /// labels do not pin one series) their values are summed.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = samples(named: name, matching: labels)
        guard !matching.isEmpty else { return nil }
        return matching.reduce(0) { $0 + $1.value }
    }

    /// The sum over every sample named `name` whose labels include the given pairs; 0 if none.
    public func sum(_ name: String, where labels: [String: String] = [:]) -> Double {
        value(name, labels) ?? 0
    }

    /// The family called `name` (the base name for histograms and summaries), if any.
    public func family(_ name: String) -> ExpositionFamily? {
        first { $0.name == name }
    }

    private func samples(named name: String, matching labels: [String: String]) -> [ExpositionSample] {
        flatMap(\.samples).filter { sample in
            sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }
    }
}
