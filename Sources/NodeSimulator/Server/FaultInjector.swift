import PerfStats
import Synchronization

/// The faults one request will suffer.
public struct FaultDecision: Sendable, Hashable {
    public var failBeforeStart = false
    public var hang = false
    /// A latency spike before the first token; zero for none.
    public var extraDelay: Duration = .zero
    public var failMidStream: FaultConfiguration.MidStreamFailureMode?

    public static let none = FaultDecision()
}

/// Draws each request's faults from the seed and the request's arrival number.
public final class FaultInjector: Sendable {
    let configuration: FaultConfiguration
    private let counter = Mutex<UInt64>(0)

    init(_ configuration: FaultConfiguration) {
        self.configuration = configuration
    }

    /// The faults for the next inference request.
    func next() -> FaultDecision {
        let index = counter.withLock { value in
            value += 1
            return value
        }
        return Self.decide(configuration, requestIndex: index)
    }

    /// The faults for request number `requestIndex` (1-based): a pure function, so runs repeat.
    public static func decide(_ configuration: FaultConfiguration, requestIndex: UInt64) -> FaultDecision {
        var random = SplitMix64(seed: configuration.seed &+ requestIndex &* 0x9E37_79B9_7F4A_7C15)
        let draws = (random.nextUnit(), random.nextUnit(), random.nextUnit(), random.nextUnit())
        var decision = FaultDecision()
        decision.failBeforeStart = draws.0 < configuration.errorRate
        decision.hang = draws.1 < configuration.hangRate
        if draws.2 < configuration.latencySpikeRate { decision.extraDelay = configuration.latencySpike }
        if draws.3 < configuration.midStreamFailureRate { decision.failMidStream = configuration.midStreamFailureMode }
        return decision
    }
}
