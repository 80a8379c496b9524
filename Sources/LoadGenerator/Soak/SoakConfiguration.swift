import Foundation

/// The faults every simulated node of a soak runs with (the node simulator's fault settings, docs/node-sim.md).
public struct SoakFaults: Sendable, Equatable, Codable {
    /// Share of requests answered at once with a 500.
    public var errorRate: Double
    /// Share of requests that fail halfway through their stream (node 0 and 2 send an error
    /// line, node 1 drops the connection: both modes are exercised).
    public var midStreamFailureRate: Double
    /// Share of requests that never answer (the gateway's `response_timeout` ends them).
    public var hangRate: Double
    /// Seed of the fault draws; a restarted node adds its restart count.
    public var seed: Int

    /// Faults with the given rates; the defaults are the soak's (1% errors, 1% mid-stream failures, 0.2% hangs).
    public init(errorRate: Double = 0.01, midStreamFailureRate: Double = 0.01, hangRate: Double = 0.002, seed: Int = 1) {
        self.errorRate = errorRate
        self.midStreamFailureRate = midStreamFailureRate
        self.hangRate = hangRate
        self.seed = seed
    }
}

/// What a fault soak runs: simulated nodes with faults as child processes, a gateway child over
/// them, `streams` clients streaming through it for `duration`, one node killed and restarted every
/// `killInterval`.
public struct SoakConfiguration: Sendable {
    /// The `ollama-distributed` binary whose `node-sim` and `start` become the children.
    public var executable: URL
    /// How long clients keep starting requests.
    public var duration: Duration
    /// Concurrent streaming clients, each sending one request after another.
    public var streams: Int
    /// Time between two node kills (SIGKILL, then a restart on the same port).
    public var killInterval: Duration
    /// Time between two progress lines (the gateway's RSS and the counts).
    public var sampleInterval: Duration
    /// A client that receives no byte for this long gives up and counts a hang.
    public var clientTimeout: Duration
    /// Simulated nodes.
    public var nodes: Int
    /// The model every request names.
    public var model: String
    /// `num_predict` of every request (tokens per answer).
    public var maxTokens: Int
    /// The nodes' faults.
    public var faults: SoakFaults
    /// Where the children's logs and the gateway's configuration go.
    public var workDirectory: URL

    /// A soak with the defaults: 10 minutes, 1,000 streams, a node killed every minute.
    /// - Parameters:
    ///   - executable: the `ollama-distributed` binary to run the children from.
    ///   - workDirectory: where the children's logs go (created when missing).
    public init(
        executable: URL,
        duration: Duration = .seconds(600),
        streams: Int = 1000,
        killInterval: Duration = .seconds(60),
        sampleInterval: Duration = .seconds(10),
        clientTimeout: Duration = .seconds(30),
        nodes: Int = 3,
        model: String = "qwen2.5:0.5b",
        maxTokens: Int = 32,
        faults: SoakFaults = SoakFaults(),
        workDirectory: URL
    ) {
        self.executable = executable
        self.duration = duration
        self.streams = streams
        self.killInterval = killInterval
        self.sampleInterval = sampleInterval
        self.clientTimeout = clientTimeout
        self.nodes = nodes
        self.model = model
        self.maxTokens = maxTokens
        self.faults = faults
        self.workDirectory = workDirectory
    }

    /// Every bad setting at once, each naming the setting; empty when the soak can run.
    public func problems() -> [String] {
        var found: [String] = []
        if duration <= .zero { found.append("duration: must be positive") }
        if !(1...10_000).contains(streams) { found.append("streams: must be between 1 and 10000, got \(streams)") }
        if killInterval <= .zero { found.append("kill interval: must be positive") }
        if sampleInterval <= .zero { found.append("sample interval: must be positive") }
        if clientTimeout < .seconds(6) { found.append("client timeout: must be at least 6s (the gateway's node timeouts are a sixth of it)") }
        if !(2...16).contains(nodes) { found.append("nodes: must be between 2 and 16, got \(nodes)") }
        if maxTokens < 1 { found.append("max tokens: must be at least 1") }
        for (name, rate) in [
            ("error rate", faults.errorRate), ("mid-stream failure rate", faults.midStreamFailureRate), ("hang rate", faults.hangRate),
        ]
        where !(0...1).contains(rate) {
            found.append("\(name): must be between 0 and 1, got \(rate)")
        }
        return found
    }

    /// The gateway's node timeouts: short enough that a hung node becomes a clean error well
    /// before a client gives up (two attempts and the queue wait stay under the client timeout).
    var gatewayTimeout: Duration { clientTimeout / 6 }
}
