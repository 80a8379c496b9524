/// What routing knows about a node at one moment: a value, so decisions are pure functions.
public struct NodeSnapshot: Sendable, Hashable, Codable {
    /// Stable name (`node-0`, or the configured name).
    public var id: String
    public var url: String
    public var state: NodeState
    public var circuit: CircuitBreaker.State
    /// Whether the circuit lets a request through now.
    public var circuitAllows: Bool
    /// Models the node has (`/api/tags`), normalised names.
    public var models: Set<String>
    /// Models loaded in memory (`/api/ps`), normalised names.
    public var resident: Set<String>
    /// Requests the gateway has in flight on the node, all models.
    public var inFlight: Int
    /// In-flight requests per model.
    public var inFlightByModel: [String: Int]
    /// The most the gateway sends the node at once.
    public var limit: Int
    /// Parallel slots per loaded model on the node (its `OLLAMA_NUM_PARALLEL`).
    public var numParallel: Int
    /// Exponentially weighted mean time to first token, seconds; `nil` before any request.
    public var ttftEWMA: Double?

    public init(
        id: String,
        url: String = "",
        state: NodeState = .healthy,
        circuit: CircuitBreaker.State = .closed,
        circuitAllows: Bool = true,
        models: Set<String> = [],
        resident: Set<String> = [],
        inFlight: Int = 0,
        inFlightByModel: [String: Int] = [:],
        limit: Int = 8,
        numParallel: Int = 4,
        ttftEWMA: Double? = nil
    ) {
        self.id = id
        self.url = url
        self.state = state
        self.circuit = circuit
        self.circuitAllows = circuitAllows
        self.models = models
        self.resident = resident
        self.inFlight = inFlight
        self.inFlightByModel = inFlightByModel
        self.limit = limit
        self.numParallel = numParallel
        self.ttftEWMA = ttftEWMA
    }

    /// Whether the node may take a request now: not unhealthy, circuit allows, below its limit.
    public var available: Bool {
        state != .unhealthy && circuitAllows && inFlight < limit
    }

    /// Whether `model` is loaded and a parallel slot for it is free.
    public func hasWarmSlot(_ model: String) -> Bool {
        resident.contains(model) && inFlightByModel[model, default: 0] < numParallel
    }
}
