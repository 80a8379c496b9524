import OllamaAPI

/// How a node is doing, as the monitor and the request outcomes judge it.
public enum NodeState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Answers probes promptly; takes traffic.
    case healthy
    /// Answers, but slowly or with errors; takes traffic only when no healthy node can.
    case degraded
    /// Does not answer probes; takes no traffic.
    case unhealthy

    /// Lower is better, for sorting candidates.
    var rank: Int {
        switch self {
        case .healthy: 0
        case .degraded: 1
        case .unhealthy: 2
        }
    }
}

/// When probe results move a node between states.
public struct HealthPolicy: Sendable, Hashable, Codable {
    /// Consecutive failed probes before a node is unhealthy.
    public var failuresToUnhealthy: Int
    /// Consecutive good probes before an unhealthy or degraded node is healthy again.
    public var successesToHealthy: Int
    /// A probe slower than this marks the node degraded.
    public var slowProbe: Duration

    public init(failuresToUnhealthy: Int = 2, successesToHealthy: Int = 2, slowProbe: Duration = .seconds(1)) {
        self.failuresToUnhealthy = failuresToUnhealthy
        self.successesToHealthy = successesToHealthy
        self.slowProbe = slowProbe
    }
}

/// A node's state with hysteresis: one bad probe does not take a node out, one good probe does
/// not bring it back.
public struct HealthTracker: Sendable, Hashable {
    public private(set) var state: NodeState
    public private(set) var consecutiveFailures = 0
    public private(set) var consecutiveSuccesses = 0

    /// Nodes start unhealthy until a probe says otherwise, so none gets traffic unchecked.
    public init(state: NodeState = .unhealthy) {
        self.state = state
    }

    /// Applies one probe: `latency` in seconds when it answered, `nil` when it failed.
    public mutating func record(probeLatency latency: Double?, policy: HealthPolicy) {
        guard let latency else {
            consecutiveSuccesses = 0
            consecutiveFailures += 1
            if consecutiveFailures >= policy.failuresToUnhealthy {
                state = .unhealthy
            } else if state == .healthy {
                state = .degraded
            }
            return
        }
        consecutiveFailures = 0
        consecutiveSuccesses += 1
        let slow = latency > policy.slowProbe.inSeconds
        switch state {
        case .unhealthy:
            // The first good probe after an outage lets some traffic back; full health must be earned.
            state = consecutiveSuccesses >= policy.successesToHealthy && !slow ? .healthy : .degraded
        case .degraded:
            if consecutiveSuccesses >= policy.successesToHealthy, !slow { state = .healthy }
        case .healthy:
            if slow { state = .degraded }
        }
    }
}
