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
    /// The adaptive limit per model (``AdaptiveLimit``), for the models the optimizer has a
    /// limiter for; empty with the optimizer off. A model absent here is bounded by `limit` alone.
    public var limitByModel: [String: Int]
    /// Parallel slots per loaded model on the node (its `OLLAMA_NUM_PARALLEL`).
    public var numParallel: Int
    /// Exponentially weighted mean time to first token, seconds; `nil` before any request.
    public var ttftEWMA: Double?
    /// What a cold load of the model adds to a request's time to first token on this node,
    /// seconds, as learned (``LoadCost``); empty with the optimizer off or before the node has
    /// answered both a cold and a warm request for the model.
    public var coldLoadSecondsByModel: [String: Double]
    /// How long a warm request for the model holds a slot on this node, seconds (EWMA from
    /// admission to release); empty with the optimizer off or before one finished.
    public var requestSecondsByModel: [String: Double]

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
        limitByModel: [String: Int] = [:],
        numParallel: Int = 4,
        ttftEWMA: Double? = nil,
        coldLoadSecondsByModel: [String: Double] = [:],
        requestSecondsByModel: [String: Double] = [:]
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
        self.limitByModel = limitByModel
        self.numParallel = numParallel
        self.ttftEWMA = ttftEWMA
        self.coldLoadSecondsByModel = coldLoadSecondsByModel
        self.requestSecondsByModel = requestSecondsByModel
    }

    /// Whether the node may take a request now: not unhealthy, circuit allows, below its limit.
    public var available: Bool {
        state != .unhealthy && circuitAllows && inFlight < limit
    }

    /// Whether `model` is loaded and a parallel slot for it is free: below its adaptive limit
    /// when the optimizer has one, else below the configured `numParallel`.
    public func hasWarmSlot(_ model: String) -> Bool {
        resident.contains(model) && inFlightByModel[model, default: 0] < (limitByModel[model] ?? numParallel)
    }

    /// Whether the node may take a request for `model` now: ``available``, and below the
    /// model's adaptive limit when it has one.
    public func hasRoom(for model: String) -> Bool {
        guard available else { return false }
        guard let modelLimit = limitByModel[model] else { return true }
        return inFlightByModel[model, default: 0] < modelLimit
    }

    /// How busy the node is for `model`, for the least-loaded choices: the model's share of
    /// its adaptive limit in use when it has one, else the requests in flight (the static
    /// measure, every node's limit being a ceiling then).
    public func load(for model: String) -> Double {
        guard let modelLimit = limitByModel[model] else { return Double(inFlight) }
        return Double(inFlightByModel[model, default: 0]) / Double(max(1, modelLimit))
    }

    /// How long a request for `model` is expected to wait for a slot here, seconds: 0 with room
    /// now; else one slot's turn per request ahead and itself, `(waiting + 1) × request seconds
    /// / limit` (a full pair frees a slot every `request seconds / limit` on average). Nil when
    /// the node cannot take the request at all (unhealthy, open circuit) or the pair has no
    /// adaptive limit (the optimizer is off) or, full, no learned request time.
    ///
    /// - Parameter waiting: requests for the model queued in the gateway ahead of this one.
    public func expectedWait(for model: String, waiting: Int) -> Double? {
        guard state != .unhealthy, circuitAllows, let modelLimit = limitByModel[model] else { return nil }
        if hasRoom(for: model) { return 0 }
        guard let seconds = requestSecondsByModel[model] else { return nil }
        return Double(max(0, waiting) + 1) * seconds / Double(max(1, modelLimit))
    }
}
