/// How `bench` runs: which scenarios, how often, how long, over how many nodes and threads.
public struct BenchOptions: Sendable, Hashable {
    /// Scenarios in the order they run.
    public var scenarios: [Scenario]
    /// Repetitions of each configuration (like Go's `-count`): each is one sample per metric.
    public var count: Int
    /// Seconds of measured load per repetition.
    public var durationSeconds: Double
    /// Node counts for scenarios that scale with nodes (like Go's `-cpu=1,2,4`).
    public var nodeCounts: [Int]
    /// Gateway NIO thread counts; every scenario runs at each.
    public var gatewayThreads: [Int]
    /// Seconds between CPU and memory readings of the timeline.
    public var sampleIntervalSeconds: Double
    /// A request unfinished after this long counts as a timeout, seconds.
    public var requestTimeoutSeconds: Double

    public init(
        scenarios: [Scenario] = Scenario.all, count: Int = 5, durationSeconds: Double = 10, nodeCounts: [Int] = [1, 2, 4],
        gatewayThreads: [Int] = [2], sampleIntervalSeconds: Double = 0.5, requestTimeoutSeconds: Double = 10
    ) {
        self.scenarios = scenarios
        self.count = count
        self.durationSeconds = durationSeconds
        self.nodeCounts = nodeCounts
        self.gatewayThreads = gatewayThreads
        self.sampleIntervalSeconds = sampleIntervalSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
    }

    /// `--quick`: a smoke run that still gives `compare` enough samples (4 per metric, the fewest
    /// with which the U test can reach p < 0.05): 4 repetitions of 0.5 s and one node count. The
    /// gateway threads stay at the default, so a quick run's benchmarks have the names of a
    /// standard run's and compare with a standard baseline.
    public static func quick(scenarios: [Scenario] = Scenario.all) -> BenchOptions {
        BenchOptions(
            scenarios: scenarios, count: 4, durationSeconds: 0.5, nodeCounts: [1], gatewayThreads: [2],
            sampleIntervalSeconds: 0.1, requestTimeoutSeconds: 5)
    }

    /// Every problem with the values, each naming its flag; empty when usable.
    public func problems() -> [String] {
        var found: [String] = []
        if scenarios.isEmpty { found.append("--scenario: no scenario chosen") }
        if count < 1 { found.append("--count: must be at least 1, got \(count)") }
        if !(durationSeconds > 0 && durationSeconds <= 3600) {
            found.append("--duration: must be more than 0 s and at most 1 h per repetition, got \(durationSeconds) s")
        }
        if nodeCounts.isEmpty || nodeCounts.contains(where: { !(1...64).contains($0) }) {
            found.append("--nodes: node counts must be 1...64, e.g. 1,2,4")
        }
        if gatewayThreads.isEmpty || gatewayThreads.contains(where: { !(1...256).contains($0) }) {
            found.append("--gateway-threads: thread counts must be 1...256, e.g. 1,2")
        }
        if !(sampleIntervalSeconds > 0) { found.append("--sample-interval: must be positive") }
        if !(requestTimeoutSeconds > 0) { found.append("--timeout: must be positive") }
        return found
    }
}
