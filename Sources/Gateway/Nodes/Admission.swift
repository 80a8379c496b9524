import Optimizer

/// Why a request got no node.
public enum AdmissionError: Error, Sendable, Hashable {
    /// No node lists the model at all.
    case unknownModel(String)
    /// Nodes list the model, but none is healthy with a closed circuit.
    case noHealthyNode(String)
    /// Every node that could serve was already tried for this request.
    case exhausted
    /// The gateway queue is full.
    case queueFull
    /// The request waited in the queue past its deadline.
    case queueTimeout

    /// The `reason` label of `ollamamax_rejections_total`.
    public var reason: String {
        switch self {
        case .unknownModel: "unknown_model"
        case .noHealthyNode: "no_healthy_node"
        case .exhausted: "exhausted"
        case .queueFull: "queue_full"
        case .queueTimeout: "queue_timeout"
        }
    }
}

/// A node picked for one request; hand it back with ``NodePool/release(_:outcome:)``.
public struct NodeLease: Sendable, Hashable {
    public let nodeID: String
    public let url: String
    public let model: String?
    let sequence: UInt64
    /// The pool's clock at admission, seconds.
    var admittedAt = 0.0
    /// The pair's in-flight integrals at admission (``InFlightIntegral``).
    var busyAtAdmission = InFlightIntegral.Reading()
    /// The pair's requests in flight at admission, this one included (``SlotEstimate``).
    var inFlightAtAdmission = 0
    /// Whether the model was not resident on the node when the request was admitted (its last
    /// `/api/ps` probe did not list it and no request had been answered since).
    var cold = false
}

/// How a request went on its node, for the circuit breaker, the latency estimate and the
/// node's adaptive limit (``AdaptiveLimit``).
public enum RequestOutcome: Sendable, Hashable {
    /// The node answered; `ttft` is seconds to the first byte of the answer (the routing
    /// latency estimate), `timing` what the answer says about the node's speed (nil: nothing
    /// usable, the limiter ignores it).
    case success(ttft: Double?, timing: AnswerTiming? = nil)
    /// The node failed in a way that says nothing about its load: connect error, a 5xx other
    /// than 503, a broken stream.
    case failure
    /// The node shed or lost the request under load: a 503 or 429, a timeout, a reset
    /// connection. A failure for the circuit breaker, a drop for the adaptive limit.
    case dropped(DropKind)
    /// The client left; says nothing about the node.
    case cancelled
    /// The node refused the request as the client's error with a 5xx (Ollama's 500 for an
    /// option of the wrong type, ``RelayRules/judge(status:body:)``); says nothing about the node.
    case clientError

    /// What the outcome tells the node's adaptive limit: a success with its timing, a drop, or
    /// nothing (a client that left, the client's error, an answer without timing).
    public var limitSignal: LimitSignal {
        switch self {
        case .success(_, let timing?):
            .success(ttft: timing.firstToken, timePerOutputToken: timing.timePerOutputToken, waitedForSlot: timing.waitedForSlot)
        case .dropped(let kind): .dropped(kind)
        case .success, .failure, .cancelled, .clientError: .ignored
        }
    }
}

/// What an immediate admission attempt found: a node, a refusal, or a request that has to wait
/// in the gateway queue.
public enum LeaseAttempt: Sendable, Hashable {
    case leased(NodeLease)
    case refused(AdmissionError)
    case mustWait
}
