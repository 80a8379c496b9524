import Optimizer

/// The state behind ``NodePool``: every node's record, the queue, and the admission rules over
/// them. Always used under the pool's mutex; waiters it admits are resumed after unlocking.
struct PoolState: Sendable {
    struct Record: Sendable {
        var endpoint: NodeEndpoint
        var health = HealthTracker()
        var circuit = CircuitBreaker()
        var models: Set<String> = []
        var resident: Set<String> = []
        var inFlight = 0
        var inFlightByModel: [String: Int] = [:]
        var ttftEWMA: Double?
        var requests = 0
        var failures = 0
        var lastError: String?
        var probeLatency: Double?
        var version: String?
        var inventoryKnown = false
        /// One adaptive limit per model, made on the model's first admission (optimizer on).
        var limiters: [String: AdaptiveLimit] = [:]
        /// `limiters`' current limits, as routing reads them (``NodeSnapshot/limitByModel``).
        var limitByModel: [String: Int] = [:]
        /// Drops per model and kind since the start, for the metrics.
        var drops: [String: [DropKind: Int]] = [:]
        /// What the pool learned per model besides the limit (optimizer on).
        var learning: [String: PairLearning] = [:]
        /// `learning`'s cold-load costs, as routing reads them (``NodeSnapshot/coldLoadSecondsByModel``).
        var coldLoadSecondsByModel: [String: Double] = [:]
        /// `learning`'s request times, as routing reads them (``NodeSnapshot/requestSecondsByModel``).
        var requestSecondsByModel: [String: Double] = [:]
        /// Requests the peer gateways have in flight on this node, by model, as they last
        /// reported (``PeerService``); routing and admission count them with the own.
        var peerInFlightByModel: [String: Int] = [:]

        /// The peer gateways' own adaptive limits for this node, by model, as last reported.
        var peerLimitsByModel: [String: [Int]] = [:]

        /// Own and peers' requests in flight for `model`: what the node is working on.
        func nodeInFlight(_ model: String) -> Int {
            inFlightByModel[model, default: 0] + peerInFlightByModel[model, default: 0]
        }

        /// The limit admission holds `model`'s requests on this node to, all gateways' together:
        /// the own adaptive limit, or with peers the mean of theirs and the own, rounded down.
        /// Every gateway learns from the same node (counting all requests in flight), but one
        /// may be in slow start's overshoot while another starves at 1 (the node looks full to
        /// it, so it sends nothing and learns nothing): the mean pulls both to one value, and
        /// all gateways then admit against nearly the same number.
        func sharedLimit(_ model: String) -> Int? {
            guard let own = limitByModel[model] else { return nil }
            guard let peers = peerLimitsByModel[model], !peers.isEmpty else { return own }
            return max(1, (own + peers.reduce(0, +)) / (1 + peers.count))
        }

        /// ``sharedLimit(_:)`` of every model with a limit: what routing reads.
        var sharedLimits: [String: Int] {
            guard !peerLimitsByModel.isEmpty else { return limitByModel }
            var limits = limitByModel
            for model in limits.keys { limits[model] = sharedLimit(model) }
            return limits
        }
    }

    struct Waiter: Sendable {
        var id: UInt64
        var model: String
        var excluding: Set<String>
        var delivery: Delivery
    }

    /// How a queued request hears its node or why it has none, once, after the lock is released.
    enum Delivery: Sendable {
        /// A suspended task (``NodePool/acquire(model:excluding:)``).
        case continuation(CheckedContinuation<NodeLease, any Error>)
        /// A request that must not suspend (the data plane, on its event loop).
        case callback(@Sendable (Result<NodeLease, any Error>) -> Void)

        func callAsFunction(_ result: Result<NodeLease, any Error>) {
            switch self {
            case .continuation(let continuation): continuation.resume(with: result)
            case .callback(let deliver): deliver(result)
            }
        }
    }

    /// Waiters to wake once the lock is released.
    struct Resumptions {
        var leased: [(Delivery, NodeLease)] = []
        var refused: [(Delivery, AdmissionError)] = []

        func resume() {
            for (delivery, lease) in leased { delivery(.success(lease)) }
            for (delivery, error) in refused { delivery(.failure(error)) }
        }
    }

    var records: [Record]
    let strategy: RoutingStrategy
    let healthPolicy: HealthPolicy
    let circuitPolicy: CircuitBreaker.Policy
    let now: @Sendable () -> Double
    /// The limiter's preset; nil when the optimizer is off (static limits only).
    let limiterParameters: LimiterParameters?
    let level: OptimizationLevel
    /// The recent limit changes, for `GET /ollamamax/optimizer`.
    var decisions = DecisionLog()
    /// Limit changes since the start, by kind.
    var decisionCounts: [DecisionKind: Int] = [:]
    var waiters: [Waiter] = []
    var turn: UInt64 = 0
    var sequence: UInt64 = 0

    init(
        records: [Record],
        strategy: RoutingStrategy,
        healthPolicy: HealthPolicy,
        circuitPolicy: CircuitBreaker.Policy,
        level: OptimizationLevel = .off,
        now: @escaping @Sendable () -> Double
    ) {
        self.records = records
        self.strategy = strategy
        self.healthPolicy = healthPolicy
        self.circuitPolicy = circuitPolicy
        self.level = level
        limiterParameters = level.parameters
        self.now = now
    }

    // MARK: Admission

    /// A node for `model` now, or nil; `waitingAhead` is how many requests for the model wait
    /// in the queue before this one (nil: a new request, behind all of them).
    mutating func tryAdmit(model: String, excluding: Set<String>, waitingAhead: Int? = nil) -> NodeLease? {
        prepareLimiters(for: model)
        turn &+= 1
        let nodes = records.map(snapshot)
        let queue = waiters
        let waiting = { waitingAhead ?? queue.reduce(0) { $0 + ($1.model == model ? 1 : 0) } }
        guard let id = strategy.choose(model: model, nodes: nodes, excluding: excluding, turn: turn, waiting: waiting),
            let index = records.firstIndex(where: { $0.endpoint.id == id })
        else { return nil }
        return admit(index: index, model: model)
    }

    mutating func admitAny(excluding: Set<String>) throws(AdmissionError) -> NodeLease {
        let clock = now()
        let available = records.indices.filter {
            records[$0].health.state != .unhealthy && !excluding.contains(records[$0].endpoint.id)
                && records[$0].circuit.allows(now: clock, policy: circuitPolicy)
        }
        guard !available.isEmpty else { throw AdmissionError.noHealthyNode("") }
        turn &+= 1
        let index = available.min { records[$0].inFlight < records[$1].inFlight } ?? available[0]
        let tied = available.filter { records[$0].inFlight == records[index].inFlight }
        return admit(index: tied[Int(turn % UInt64(tied.count))], model: nil)
    }

    private mutating func admit(index: Int, model: String?) -> NodeLease {
        records[index].inFlight += 1
        records[index].requests += 1
        if let model { records[index].inFlightByModel[model, default: 0] += 1 }
        records[index].circuit.admit(now: now(), policy: circuitPolicy)
        sequence += 1
        var lease = NodeLease(nodeID: records[index].endpoint.id, url: records[index].endpoint.url, model: model, sequence: sequence)
        if let model { learnAdmission(index, model: model, lease: &lease) }
        return lease
    }

    /// Why waiting cannot help: nobody has the model, or nobody who has it is up; nil if it can.
    func refusal(model: String, excluding: Set<String>) -> AdmissionError? {
        let having = records.filter { $0.models.contains(model) }
        if having.isEmpty { return .unknownModel(model) }
        let clock = now()
        let up = having.filter {
            $0.health.state != .unhealthy && $0.circuit.allows(now: clock, policy: circuitPolicy)
        }
        if up.isEmpty { return .noHealthyNode(model) }
        if up.allSatisfy({ excluding.contains($0.endpoint.id) }) { return .exhausted }
        return nil
    }

    /// Admits or refuses every waiter the current state decides, in queue order.
    ///
    /// Runs on every release, under the lock, over a queue that is long exactly when the nodes
    /// are full: so a model found to wait is not tried again in the same pass. Waiters for the
    /// same model that exclude no node get the same answer from the same state, and admitting
    /// others only takes room away.
    mutating func serveWaiters() -> Resumptions {
        var resumptions = Resumptions()
        var waiting: Set<String> = []
        // Waiters per model that stay queued ahead of the one being tried.
        var ahead: [String: Int] = [:]
        var index = 0
        while index < waiters.count {
            let waiter = waiters[index]
            let alike = waiter.excluding.isEmpty
            if alike, waiting.contains(waiter.model) {
                ahead[waiter.model, default: 0] += 1
                index += 1
            } else if let lease = tryAdmit(model: waiter.model, excluding: waiter.excluding, waitingAhead: ahead[waiter.model, default: 0]) {
                waiters.remove(at: index)
                resumptions.leased.append((waiter.delivery, lease))
            } else if let error = refusal(model: waiter.model, excluding: waiter.excluding) {
                waiters.remove(at: index)
                resumptions.refused.append((waiter.delivery, error))
            } else {
                if alike { waiting.insert(waiter.model) }
                ahead[waiter.model, default: 0] += 1
                index += 1
            }
        }
        return resumptions
    }

    // MARK: Outcomes and probes

    /// Returns the node of `lease` and records its outcome; returns the change of the pair's
    /// adaptive limit the outcome caused, if any.
    mutating func release(_ lease: NodeLease, outcome: RequestOutcome) -> DecisionLog.Entry? {
        guard let index = records.firstIndex(where: { $0.endpoint.id == lease.nodeID }) else { return nil }
        let decision = lease.model.flatMap { model in
            adapt(index, model: model, outcome: learnRelease(index, model: model, lease: lease, outcome: outcome))
        }
        records[index].inFlight = max(0, records[index].inFlight - 1)
        if let model = lease.model {
            let left = records[index].inFlightByModel[model, default: 1] - 1
            records[index].inFlightByModel[model] = left > 0 ? left : nil
            // A model that just served a request is loaded now, whatever the last probe said.
            if case .success = outcome { records[index].resident.insert(model) }
        }
        switch outcome {
        case .success(let ttft, _):
            records[index].circuit.recordSuccess()
            if let ttft {
                records[index].ttftEWMA = records[index].ttftEWMA.map { 0.7 * $0 + 0.3 * ttft } ?? ttft
            }
        case .failure, .dropped:
            records[index].failures += 1
            records[index].circuit.recordFailure(now: now(), policy: circuitPolicy)
        case .cancelled, .clientError:
            records[index].circuit.recordNeutral()
        }
        return decision
    }

    mutating func noteError(_ nodeID: String, _ message: String) {
        guard let index = records.firstIndex(where: { $0.endpoint.id == nodeID }) else { return }
        records[index].lastError = message
    }

    mutating func applyProbe(
        _ nodeID: String,
        latency: Double?,
        version: String?,
        models: Set<String>?,
        resident: Set<String>?,
        error: String?
    ) {
        guard let index = records.firstIndex(where: { $0.endpoint.id == nodeID }) else { return }
        records[index].health.record(probeLatency: latency, policy: healthPolicy)
        records[index].probeLatency = latency
        if let version { records[index].version = version }
        if let models {
            records[index].models = models
            records[index].inventoryKnown = true
        }
        if let resident { records[index].resident = resident }
        if let error { records[index].lastError = error }
    }

    // MARK: Views

    func snapshot(_ record: Record) -> NodeSnapshot {
        NodeSnapshot(
            id: record.endpoint.id,
            url: record.endpoint.url,
            state: record.health.state,
            circuit: record.circuit.state,
            circuitAllows: record.circuit.allows(now: now(), policy: circuitPolicy),
            models: record.models,
            resident: record.resident,
            inFlight: record.inFlight + record.peerInFlightByModel.values.reduce(0, +),
            inFlightByModel: record.peerInFlightByModel.isEmpty
                ? record.inFlightByModel : record.inFlightByModel.merging(record.peerInFlightByModel, uniquingKeysWith: +),
            limit: record.endpoint.maxInFlight,
            limitByModel: record.sharedLimits,
            numParallel: record.endpoint.numParallel,
            ttftEWMA: record.ttftEWMA,
            coldLoadSecondsByModel: record.coldLoadSecondsByModel,
            requestSecondsByModel: record.requestSecondsByModel
        )
    }

    /// Every node as the status, the metrics and the console show it: this gateway's own
    /// requests in flight (not its peers', which they report themselves), the limits it uses.
    func status() -> [NodeStatus] {
        records.map { record in
            var node = snapshot(record)
            node.inFlight = record.inFlight
            node.inFlightByModel = record.inFlightByModel
            return NodeStatus(
                node: node,
                version: record.version,
                requests: record.requests,
                failures: record.failures,
                probeLatencySeconds: record.probeLatency,
                lastError: record.lastError,
                consecutiveProbeFailures: record.health.consecutiveFailures,
                inventoryKnown: record.inventoryKnown
            )
        }
    }
}
