import Foundation

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
}

/// How a request went on its node, for the circuit breaker and the latency estimate.
public enum RequestOutcome: Sendable, Hashable {
    /// The node answered; `ttft` is seconds to the first byte of the answer.
    case success(ttft: Double?)
    /// The node failed: connect error, 5xx, an instant 503, a broken stream.
    case failure
    /// The client left; says nothing about the node.
    case cancelled
}

/// The gateway's nodes: their health, inventory and load, with admission (per-node limits and
/// a bounded, deadline-limited queue) and routing over one consistent state.
public actor NodePool {
    /// Queue and limit settings.
    public struct Limits: Sendable, Hashable {
        public var queueSize: Int
        public var queueTimeoutSeconds: Double

        public init(queueSize: Int = 256, queueTimeoutSeconds: Double = 30) {
            self.queueSize = queueSize
            self.queueTimeoutSeconds = queueTimeoutSeconds
        }
    }

    struct Record {
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
    }

    private struct Waiter {
        var id: UInt64
        var model: String
        var excluding: Set<String>
        var continuation: CheckedContinuation<NodeLease, any Error>
    }

    public let strategy: RoutingStrategy
    public let limits: Limits
    let healthPolicy: HealthPolicy
    let circuitPolicy: CircuitBreaker.Policy
    private let now: @Sendable () -> Double
    private var records: [Record]
    private var waiters: [Waiter] = []
    private var turn: UInt64 = 0
    private var sequence: UInt64 = 0

    public init(
        nodes: [NodeEndpoint], strategy: RoutingStrategy, limits: Limits = .init(), health: HealthPolicy = .init(),
        circuit: CircuitBreaker.Policy = .init(), now: @escaping @Sendable () -> Double = NodePool.monotonicSeconds
    ) {
        records = nodes.map { Record(endpoint: $0) }
        self.strategy = strategy
        self.limits = limits
        healthPolicy = health
        circuitPolicy = circuit
        self.now = now
    }

    /// Seconds on a monotonic clock.
    public static let monotonicSeconds: @Sendable () -> Double = {
        seconds(ContinuousClock.now - origin)
    }

    private static let origin = ContinuousClock.now

    // MARK: Admission

    /// A node for a request for `model`, waiting in the gateway queue if every suitable node is
    /// at its limit.
    public func acquire(model: String, excluding: Set<String> = []) async throws -> NodeLease {
        let model = ModelKey.normalize(model)
        if let lease = tryAdmit(model: model, excluding: excluding) { return lease }
        try refusal(model: model, excluding: excluding)
        guard waiters.count < limits.queueSize else { throw AdmissionError.queueFull }
        sequence += 1
        let id = sequence
        let timeout = limits.queueTimeoutSeconds
        let timer = Task { [weak self] in
            try? await Task.sleep(for: .seconds(timeout))
            await self?.expire(id, error: AdmissionError.queueTimeout)
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiters.append(Waiter(id: id, model: model, excluding: excluding, continuation: continuation))
            }
        } onCancel: {
            Task { await self.expire(id, error: CancellationError()) }
        }
    }

    /// Any available node, for requests whose model is unknown or missing: the node's own answer
    /// (a 404 or a 400) is then exactly what Ollama says.
    public func acquireAny(excluding: Set<String> = []) throws -> NodeLease {
        let available = records.indices.filter {
            records[$0].health.state != .unhealthy && !excluding.contains(records[$0].endpoint.id)
                && records[$0].circuit.allows(now: now(), policy: circuitPolicy)
        }
        guard !available.isEmpty else { throw AdmissionError.noHealthyNode("") }
        turn &+= 1
        let index = available.min { records[$0].inFlight < records[$1].inFlight } ?? available[0]
        let tied = available.filter { records[$0].inFlight == records[index].inFlight }
        return admit(index: tied[Int(turn % UInt64(tied.count))], model: nil)
    }

    /// A node for a request: by model when it names one, else any available node. A model no
    /// node lists also goes to any node, whose own answer is then Ollama's exact 404.
    public func lease(model: String?, excluding: Set<String>) async throws -> NodeLease {
        guard let model else { return try acquireAny(excluding: excluding) }
        do {
            return try await acquire(model: model, excluding: excluding)
        } catch AdmissionError.unknownModel {
            return try acquireAny(excluding: excluding)
        }
    }

    /// Returns a node and records how the request went.
    public func release(_ lease: NodeLease, outcome: RequestOutcome) {
        guard let index = records.firstIndex(where: { $0.endpoint.id == lease.nodeID }) else { return }
        records[index].inFlight = max(0, records[index].inFlight - 1)
        if let model = lease.model {
            let left = records[index].inFlightByModel[model, default: 1] - 1
            records[index].inFlightByModel[model] = left > 0 ? left : nil
            // A model that just served a request is loaded now, whatever the last probe said.
            if case .success = outcome { records[index].resident.insert(model) }
        }
        switch outcome {
        case .success(let ttft):
            records[index].circuit.recordSuccess()
            if let ttft {
                records[index].ttftEWMA = records[index].ttftEWMA.map { 0.7 * $0 + 0.3 * ttft } ?? ttft
            }
        case .failure:
            records[index].failures += 1
            records[index].circuit.recordFailure(now: now(), policy: circuitPolicy)
        case .cancelled:
            records[index].circuit.recordNeutral()
        }
        serveWaiters()
    }

    /// Records an error message for a node (shown in the status table).
    public func noteError(_ nodeID: String, _ message: String) {
        guard let index = records.firstIndex(where: { $0.endpoint.id == nodeID }) else { return }
        records[index].lastError = message
    }

    // MARK: Monitoring

    /// Applies one probe round for a node: `latency` nil means it did not answer.
    public func applyProbe(
        _ nodeID: String, latency: Double?, version: String?, models: Set<String>?, resident: Set<String>?,
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
        serveWaiters()
    }

    /// The state routing decides on.
    public func snapshot() -> [NodeSnapshot] {
        records.map(snapshot)
    }

    /// Everything known about every node, for the status endpoint.
    public func status() -> [NodeStatus] {
        records.map { record in
            NodeStatus(
                node: snapshot(record), version: record.version, requests: record.requests, failures: record.failures,
                probeLatencySeconds: record.probeLatency, lastError: record.lastError,
                consecutiveProbeFailures: record.health.consecutiveFailures, inventoryKnown: record.inventoryKnown)
        }
    }

    /// The nodes as configured.
    public var endpoints: [NodeEndpoint] { records.map(\.endpoint) }

    /// Requests waiting in the gateway queue.
    public var queued: Int { waiters.count }

    // MARK: Internals

    private func snapshot(_ record: Record) -> NodeSnapshot {
        NodeSnapshot(
            id: record.endpoint.id, url: record.endpoint.url, state: record.health.state, circuit: record.circuit.state,
            circuitAllows: record.circuit.allows(now: now(), policy: circuitPolicy), models: record.models,
            resident: record.resident, inFlight: record.inFlight, inFlightByModel: record.inFlightByModel,
            limit: record.endpoint.maxInFlight, numParallel: record.endpoint.numParallel, ttftEWMA: record.ttftEWMA)
    }

    private func tryAdmit(model: String, excluding: Set<String>) -> NodeLease? {
        turn &+= 1
        let nodes = records.map(snapshot)
        guard let id = strategy.choose(model: model, nodes: nodes, excluding: excluding, turn: turn),
            let index = records.firstIndex(where: { $0.endpoint.id == id })
        else { return nil }
        return admit(index: index, model: model)
    }

    private func admit(index: Int, model: String?) -> NodeLease {
        records[index].inFlight += 1
        records[index].requests += 1
        if let model { records[index].inFlightByModel[model, default: 0] += 1 }
        records[index].circuit.admit(now: now(), policy: circuitPolicy)
        sequence += 1
        return NodeLease(nodeID: records[index].endpoint.id, url: records[index].endpoint.url, model: model, sequence: sequence)
    }

    /// Throws when waiting cannot help: nobody has the model, or nobody who has it is up.
    private func refusal(model: String, excluding: Set<String>) throws {
        let having = records.filter { $0.models.contains(model) }
        if having.isEmpty { throw AdmissionError.unknownModel(model) }
        let up = having.filter {
            $0.health.state != .unhealthy && $0.circuit.allows(now: now(), policy: circuitPolicy)
        }
        if up.isEmpty { throw AdmissionError.noHealthyNode(model) }
        if up.allSatisfy({ excluding.contains($0.endpoint.id) }) { throw AdmissionError.exhausted }
    }

    private func serveWaiters() {
        var index = 0
        while index < waiters.count {
            let waiter = waiters[index]
            if let lease = tryAdmit(model: waiter.model, excluding: waiter.excluding) {
                waiters.remove(at: index)
                waiter.continuation.resume(returning: lease)
                continue
            }
            do {
                try refusal(model: waiter.model, excluding: waiter.excluding)
                index += 1
            } catch {
                waiters.remove(at: index)
                waiter.continuation.resume(throwing: error)
            }
        }
    }

    private func expire(_ id: UInt64, error: any Error) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: error)
    }
}

/// A node's full status row.
public struct NodeStatus: Sendable, Hashable, Codable {
    public var node: NodeSnapshot
    public var version: String?
    public var requests: Int
    public var failures: Int
    public var probeLatencySeconds: Double?
    public var lastError: String?
    public var consecutiveProbeFailures: Int
    public var inventoryKnown: Bool

    public init(
        node: NodeSnapshot, version: String?, requests: Int, failures: Int, probeLatencySeconds: Double?,
        lastError: String?, consecutiveProbeFailures: Int, inventoryKnown: Bool
    ) {
        self.node = node
        self.version = version
        self.requests = requests
        self.failures = failures
        self.probeLatencySeconds = probeLatencySeconds
        self.lastError = lastError
        self.consecutiveProbeFailures = consecutiveProbeFailures
        self.inventoryKnown = inventoryKnown
    }
}

/// Model names as routing compares them: tag defaults to `latest`, case ignored.
public enum ModelKey {
    public static func normalize(_ name: String) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        let last = trimmed.split(separator: "/").last ?? Substring(trimmed)
        return (last.contains(":") ? trimmed : trimmed + ":latest").lowercased()
    }
}
