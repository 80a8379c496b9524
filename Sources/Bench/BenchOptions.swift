import Foundation

/// How `bench` runs: which scenarios, how often, how long, over how many nodes and threads.
public struct BenchOptions: Sendable, Hashable {
    /// Scenarios in the order they run.
    public var scenarios: [Scenario]
    /// Repetitions of each configuration (like Go's `-count`): each is one sample per metric.
    public var count: Int
    /// Measured load per repetition.
    public var duration: Duration
    /// Node counts for scenarios that scale with nodes (like Go's `-cpu=1,2,4`).
    public var nodeCounts: [Int]
    /// Gateway NIO thread counts; every scenario runs at each.
    public var gatewayThreads: [Int]
    /// Time between CPU, memory and network readings of the timeline.
    public var sampleInterval: Duration
    /// A request unfinished after this long counts as a timeout.
    public var requestTimeout: Duration
    /// Where to write a CPU profile of each benchmark (`--profile DIR`); nil: none.
    public var profileDirectory: URL?

    /// - Parameters:
    ///   - scenarios: what to run, in order (default: every built-in scenario).
    ///   - count: repetitions of each configuration.
    ///   - duration: measured load per repetition.
    ///   - nodeCounts: node counts for scenarios that scale with nodes.
    ///   - gatewayThreads: the gateway's event-loop thread counts.
    ///   - sampleInterval: time between resource readings.
    ///   - requestTimeout: when an unfinished request counts as a timeout.
    public init(
        scenarios: [Scenario] = Scenario.all,
        count: Int = 5,
        duration: Duration = .seconds(10),
        nodeCounts: [Int] = [1, 2, 4],
        gatewayThreads: [Int] = [2],
        sampleInterval: Duration = .milliseconds(500),
        requestTimeout: Duration = .seconds(10)
    ) {
        self.scenarios = scenarios
        self.count = count
        self.duration = duration
        self.nodeCounts = nodeCounts
        self.gatewayThreads = gatewayThreads
        self.sampleInterval = sampleInterval
        self.requestTimeout = requestTimeout
    }

    /// `--quick`: a smoke run that still gives `compare` enough samples (4 per metric, the fewest
    /// with which the U test can reach p < 0.05): 4 repetitions of 0.5 s and one node count. The
    /// gateway threads stay at the default, so a quick run's benchmarks have the names of a
    /// standard run's and compare with a standard baseline.
    public static func quick(scenarios: [Scenario] = Scenario.all) -> BenchOptions {
        BenchOptions(
            scenarios: scenarios,
            count: 4,
            duration: .milliseconds(500),
            nodeCounts: [1],
            gatewayThreads: [2],
            sampleInterval: .milliseconds(100),
            requestTimeout: .seconds(5)
        )
    }

    /// Every problem with the values, each starting with its setting's name (`count: must be at
    /// least 1, got 0`), which is also the name of `bench`'s flag; empty when usable.
    public func problems() -> [String] {
        var found: [String] = []
        if scenarios.isEmpty { found.append("scenario: no scenario chosen") }
        if count < 1 { found.append("count: must be at least 1, got \(count)") }
        if !(duration > .zero && duration <= .seconds(3600)) {
            found.append("duration: must be more than 0 s and at most 1 h per repetition, got \(duration)")
        }
        if nodeCounts.isEmpty || nodeCounts.contains(where: { !(1...64).contains($0) }) {
            found.append("nodes: node counts must be 1...64, e.g. 1,2,4")
        }
        if gatewayThreads.isEmpty || gatewayThreads.contains(where: { !(1...256).contains($0) }) {
            found.append("gateway-threads: thread counts must be 1...256, e.g. 1,2")
        }
        if !(sampleInterval > .zero) { found.append("sample-interval: must be positive") }
        if !(requestTimeout > .zero) { found.append("timeout: must be positive") }
        return found
    }

    /// Parses a comma-separated list of positive counts (`--nodes 1,2,4`); `nil` when it is not one.
    public static func counts(_ text: String) -> [Int]? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return parts.compactMap { $0 }
    }
}
