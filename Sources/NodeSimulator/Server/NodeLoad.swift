import OllamaAPI
import Synchronization

/// What one simulated node is doing right now, for timing that depends on it: how many requests
/// prefill and decode each model (``Contention``), and the node's speed factor (``Slowdown``:
/// the configured schedule, or a factor set at run time through `POST /simulator/capacity`).
public final class NodeLoad: Sendable {
    private struct State {
        var prefilling: [String: Int] = [:]
        var decoding: [String: Int] = [:]
        var override: Slowdown?
    }

    private let schedule: [Slowdown]
    private let started: ContinuousClock.Instant
    private let state = Mutex(State())

    /// - Parameters:
    ///   - schedule: the configured speed changes, by time since `started`.
    ///   - started: when the node started (the origin of the schedule's times).
    public init(schedule: [Slowdown], started: ContinuousClock.Instant = .now) {
        self.schedule = schedule
        self.started = started
    }

    /// The factor every rate is divided by now.
    public var factor: Double {
        let elapsed = ContinuousClock.now - started
        let override = state.withLock { $0.override }
        return Slowdown.factor(at: elapsed, schedule: schedule, override: override)
    }

    /// Sets the factor from now on (until a later scheduled change).
    public func setFactor(_ factor: Double) {
        let change = Slowdown(after: ContinuousClock.now - started, factor: factor)
        state.withLock { $0.override = change }
    }

    /// Requests of `model` processing their prompt now.
    public func prefilling(_ model: String) -> Int {
        state.withLock { $0.prefilling[Self.key(model), default: 0] }
    }

    /// Requests of `model` generating tokens now.
    public func decoding(_ model: String) -> Int {
        state.withLock { $0.decoding[Self.key(model), default: 0] }
    }

    /// Counts a request of `model` in a phase until the matching ``leave(_:_:)``.
    func enter(_ phase: Phase, _ model: String) {
        let key = Self.key(model)
        state.withLock { state in
            switch phase {
            case .prefill: state.prefilling[key, default: 0] += 1
            case .decode: state.decoding[key, default: 0] += 1
            }
        }
    }

    /// Ends the count ``enter(_:_:)`` started.
    func leave(_ phase: Phase, _ model: String) {
        let key = Self.key(model)
        state.withLock { state in
            switch phase {
            case .prefill: state.prefilling[key] = max(0, state.prefilling[key, default: 0] - 1)
            case .decode: state.decoding[key] = max(0, state.decoding[key, default: 0] - 1)
            }
        }
    }

    /// The two phases of an answer: the prompt, then the tokens.
    enum Phase {
        case prefill
        case decode
    }

    private static func key(_ name: String) -> String {
        ModelName.normalize(name).lowercased()
    }
}
