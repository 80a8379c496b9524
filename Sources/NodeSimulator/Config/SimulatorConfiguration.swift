/// Everything one simulated node needs: where it listens, its models, its capacity and faults.
public struct SimulatorConfiguration: Sendable, Hashable {
    /// Interface to bind; loopback unless told otherwise.
    public var host: String
    /// TCP port; 0 asks the system for a free one.
    public var port: Int
    /// A label for logs (`node-0`, `node-1`, ...).
    public var name: String
    /// What `/api/version` answers: by default a current Ollama (0.32.15), one that serves
    /// `/v1/messages` and `/v1/responses` as the simulator does.
    public var version: String
    public var models: [SimulatedModel]
    /// What `/api/pull` can fetch.
    public var registry: [SimulatedModel]
    public var limits: ModelScheduler.Limits
    public var faults: FaultConfiguration
    /// Largest request body accepted; bigger gets 413.
    public var maxBodyBytes: Int

    public init(
        host: String = "127.0.0.1",
        port: Int = 11434,
        name: String = "node-sim",
        version: String = "0.32.15",
        models: [SimulatedModel] = SimulatedModel.defaults,
        registry: [SimulatedModel] = SimulatedModel.registry,
        limits: ModelScheduler.Limits = .init(),
        faults: FaultConfiguration = .init(),
        maxBodyBytes: Int = 32 << 20
    ) {
        self.host = host
        self.port = port
        self.name = name
        self.version = version
        self.models = models
        self.registry = registry
        self.limits = limits
        self.faults = faults
        self.maxBodyBytes = maxBodyBytes
    }

    /// The same node slowed down (`factor` > 1) or sped up: every model's prefill and decode
    /// rates divided by `factor`. Used to give several nodes different speeds.
    public func scaledSpeed(by factor: Double) -> SimulatorConfiguration {
        var copy = self
        copy.models = models.map { model in
            var slower = model
            slower.prefillTokensPerSecond /= factor
            slower.decodeTokensPerSecond /= factor
            return slower
        }
        return copy
    }
}

/// Seeded, reproducible faults: which requests fail is decided by the seed and the order in
/// which requests arrive, so the same run fails the same requests.
public struct FaultConfiguration: Sendable, Hashable {
    /// Share of inference requests answered with 500 before anything is generated.
    public var errorRate: Double
    /// Share of inference requests that fail halfway through the answer.
    public var midStreamFailureRate: Double
    /// How a mid-stream failure shows: an `{"error"}` line, or a dropped connection.
    public var midStreamFailureMode: MidStreamFailureMode
    /// Share of inference requests delayed by ``latencySpike`` before the first token.
    public var latencySpikeRate: Double
    /// How long a latency spike delays the first token (`latency_spike_seconds` in a file).
    public var latencySpike: Duration
    /// Share of inference requests that never answer (until the client gives up).
    public var hangRate: Double
    public var seed: UInt64
    /// Changes of the node's speed at times since it started (`slowdowns` in a file).
    public var slowdowns: [Slowdown]

    /// How a failure in the middle of a stream reaches the client.
    public enum MidStreamFailureMode: String, Sendable, Hashable, Codable, CaseIterable {
        case errorLine = "error_line"
        case dropConnection = "drop_connection"
    }

    /// The keys of the `faults:` section of a simulator file (``FaultConfiguration/File``).
    enum CodingKeys: String, CodingKey, CaseIterable {
        case seed
        case errorRate = "error_rate"
        case midStreamFailureRate = "mid_stream_failure_rate"
        case midStreamFailureMode = "mid_stream_failure_mode"
        case latencySpikeRate = "latency_spike_rate"
        case latencySpikeSeconds = "latency_spike_seconds"
        case hangRate = "hang_rate"
        case slowdowns
    }

    public init(
        errorRate: Double = 0,
        midStreamFailureRate: Double = 0,
        midStreamFailureMode: MidStreamFailureMode = .errorLine,
        latencySpikeRate: Double = 0,
        latencySpike: Duration = .seconds(1),
        hangRate: Double = 0,
        seed: UInt64 = 1,
        slowdowns: [Slowdown] = []
    ) {
        self.errorRate = errorRate
        self.midStreamFailureRate = midStreamFailureRate
        self.midStreamFailureMode = midStreamFailureMode
        self.latencySpikeRate = latencySpikeRate
        self.latencySpike = latencySpike
        self.hangRate = hangRate
        self.seed = seed
        self.slowdowns = slowdowns
    }
}
