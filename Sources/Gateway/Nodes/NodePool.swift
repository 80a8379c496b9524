import Foundation
import Logging
import OllamaAPI
import Optimizer
import Synchronization

/// The gateway's nodes: their health, inventory and load, with admission (per-node limits and
/// a bounded, deadline-limited queue) and routing over one consistent state.
///
/// The state sits behind a mutex rather than in an actor: the data plane admits and releases
/// on the event loops without hopping to a task, and only a request that must queue suspends.
public final class NodePool: Sendable {
    /// Queue and limit settings.
    public struct Limits: Sendable, Hashable {
        public var queueSize: Int
        public var queueTimeout: Duration

        public init(queueSize: Int = 256, queueTimeout: Duration = .seconds(30)) {
            self.queueSize = queueSize
            self.queueTimeout = queueTimeout
        }
    }

    public let strategy: RoutingStrategy
    public let limits: Limits
    /// The queue's size and timeout now: ``limits`` until the interval service sets them.
    public let queueKnobs: QueueKnobs
    /// The adaptive limits' preset (``OptimizationLevel/off``: the static limits alone).
    public let optimization: OptimizationLevel
    let state: Mutex<PoolState>
    /// Where each change of an adaptive limit is logged, at info, with its reason.
    private let logger: Logger?

    /// - Parameters:
    ///   - optimization: the adaptive limits per (node, model); `.off` keeps every node at its
    ///     static `maxInFlight`, any other level learns each pair's limit under it.
    ///   - logger: the log of the adaptive limits' decisions; nil logs none.
    public init(
        nodes: [NodeEndpoint],
        strategy: RoutingStrategy,
        limits: Limits = .init(),
        health: HealthPolicy = .init(),
        circuit: CircuitBreaker.Policy = .init(),
        optimization: OptimizationLevel = .off,
        logger: Logger? = nil,
        now: @escaping @Sendable () -> Double = NodePool.monotonicSeconds
    ) {
        self.strategy = strategy
        self.limits = limits
        queueKnobs = QueueKnobs(size: limits.queueSize, timeout: limits.queueTimeout)
        self.optimization = optimization
        self.logger = logger
        state = Mutex(
            PoolState(
                records: nodes.map { PoolState.Record(endpoint: $0) },
                strategy: strategy,
                healthPolicy: health,
                circuitPolicy: circuit,
                level: optimization,
                now: now
            )
        )
    }

    /// Seconds on a monotonic clock.
    public static let monotonicSeconds: @Sendable () -> Double = {
        (ContinuousClock.now - origin).inSeconds
    }

    private static let origin = ContinuousClock.now

    // MARK: Admission

    /// A node for `model` now if one can take it, a refusal when waiting cannot help, or
    /// ``LeaseAttempt/mustWait`` when every suitable node is at its limit.
    public func tryAcquire(model: String, excluding: Set<String> = []) -> LeaseAttempt {
        let model = ModelKey.normalize(model)
        return state.withLock { state in
            if let lease = state.tryAdmit(model: model, excluding: excluding) { return .leased(lease) }
            if let refusal = state.refusal(model: model, excluding: excluding) { return .refused(refusal) }
            return .mustWait
        }
    }

    /// A node for a request for `model`, waiting in the gateway queue if every suitable node is
    /// at its limit.
    public func acquire(model: String, excluding: Set<String> = []) async throws -> NodeLease {
        switch tryAcquire(model: model, excluding: excluding) {
        case .leased(let lease): return lease
        case .refused(let error): throw error
        case .mustWait: return try await wait(model: ModelKey.normalize(model), excluding: excluding)
        }
    }

    private func wait(model: String, excluding: Set<String>) async throws -> NodeLease {
        let id = nextWaiterID()
        let timeout = queueKnobs.timeout
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.expire(id, error: AdmissionError.queueTimeout)
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let delivery = PoolState.Delivery.continuation(continuation)
                if let answer = queue(PoolState.Waiter(id: id, model: model, excluding: excluding, delivery: delivery)) {
                    delivery(answer.mapError { $0 })
                }
                // Cancelled before it was queued: the cancellation handler found nothing to expire.
                if Task.isCancelled { expire(id, error: CancellationError()) }
            }
        } onCancel: {
            expire(id, error: CancellationError())
        }
    }

    /// Queues a request that ``tryLease(model:excluding:)`` told to wait, without suspending
    /// (the data plane, on its event loop): `deliver` hears, exactly once, the node, the refusal
    /// or the error given to ``cancelWait(_:error:)``.
    ///
    /// `deliver` is called after the pool's lock is released: on the thread of the release or
    /// probe that served the queue, or on this one if the state answers at once. There is no
    /// timer: the caller ends a wait that lasted ``Limits/queueTimeout`` with
    /// ``cancelWait(_:error:)`` and ``AdmissionError/queueTimeout``. A model no node lists any
    /// more goes to any node, as ``lease(model:excluding:)`` does.
    ///
    /// - Returns: the waiter's id for ``cancelWait(_:error:)``.
    public func enqueue(
        model: String?,
        excluding: Set<String>,
        deliver: @escaping @Sendable (Result<NodeLease, any Error>) -> Void
    ) -> UInt64 {
        let id = nextWaiterID()
        guard let model else {
            deliver(Result { try acquireAny(excluding: excluding) })
            return id
        }
        let delivery = PoolState.Delivery.callback { [weak self] result in
            if case .failure(let error as AdmissionError) = result, case .unknownModel = error, let self {
                deliver(Result { try self.acquireAny(excluding: excluding) })
            } else {
                deliver(result)
            }
        }
        let waiter = PoolState.Waiter(id: id, model: ModelKey.normalize(model), excluding: excluding, delivery: delivery)
        if let answer = queue(waiter) { delivery(answer.mapError { $0 }) }
        return id
    }

    /// Ends the wait of ``enqueue(model:excluding:deliver:)``'s waiter `id` with `error`, if it
    /// is still queued.
    public func cancelWait(_ id: UInt64, error: any Error) {
        expire(id, error: error)
    }

    private func nextWaiterID() -> UInt64 {
        state.withLock { state in
            state.sequence += 1
            return state.sequence
        }
    }

    /// Queues `waiter`, unless the state answers at once: a node that has room by now, a
    /// refusal, or a full queue. The answer is for the caller to deliver, outside the lock.
    private func queue(_ waiter: PoolState.Waiter) -> Result<NodeLease, AdmissionError>? {
        state.withLock { state in
            // The state may have changed since the first try: admit now if it can.
            if let lease = state.tryAdmit(model: waiter.model, excluding: waiter.excluding) { return .success(lease) }
            if let refusal = state.refusal(model: waiter.model, excluding: waiter.excluding) { return .failure(refusal) }
            guard state.waiters.count < queueKnobs.size, !state.modelQueueIsFull(waiter.model, timeout: queueKnobs.timeout) else {
                return .failure(.queueFull)
            }
            state.waiters.append(waiter)
            return nil
        }
    }

    /// A node by model when the request names one, else any available node. A model no node
    /// lists also goes to any node, whose own answer is then Ollama's exact 404.
    public func lease(model: String?, excluding: Set<String>) async throws -> NodeLease {
        guard let model else { return try acquireAny(excluding: excluding) }
        do {
            return try await acquire(model: model, excluding: excluding)
        } catch AdmissionError.unknownModel {
            return try acquireAny(excluding: excluding)
        }
    }

    /// ``lease(model:excluding:)`` without waiting: ``LeaseAttempt/mustWait`` means call that.
    public func tryLease(model: String?, excluding: Set<String>) -> LeaseAttempt {
        guard let model else { return anyNode(excluding: excluding) }
        switch tryAcquire(model: model, excluding: excluding) {
        case .refused(.unknownModel): return anyNode(excluding: excluding)
        case let other: return other
        }
    }

    private func anyNode(excluding: Set<String>) -> LeaseAttempt {
        do {
            return .leased(try acquireAny(excluding: excluding))
        } catch {
            return .refused(error)
        }
    }

    /// Any available node, for requests whose model is unknown or missing: the node's own answer
    /// (a 404 or a 400) is then exactly what Ollama says.
    public func acquireAny(excluding: Set<String> = []) throws(AdmissionError) -> NodeLease {
        try state.withLock { (state) throws(AdmissionError) -> NodeLease in try state.admitAny(excluding: excluding) }
    }

    /// Returns a node and records how the request went.
    public func release(_ lease: NodeLease, outcome: RequestOutcome, error: String? = nil) {
        let (served, decision) = state.withLock { state in
            let decision = state.release(lease, outcome: outcome)
            if let error { state.noteError(lease.nodeID, error) }
            return (state.serveWaiters(), decision)
        }
        served.resume()
        if let decision { logger?.optimizerDecision(decision) }
    }

    /// Records an error message for a node (shown in the status table).
    public func noteError(_ nodeID: String, _ message: String) {
        state.withLock { $0.noteError(nodeID, message) }
    }

    // MARK: Monitoring

    /// Applies one probe round for a node: `latency` nil means it did not answer.
    public func applyProbe(
        _ nodeID: String,
        latency: Double?,
        version: String?,
        models: Set<String>?,
        resident: Set<String>?,
        error: String?
    ) {
        let served = state.withLock { state in
            state.applyProbe(nodeID, latency: latency, version: version, models: models, resident: resident, error: error)
            return state.serveWaiters()
        }
        served.resume()
    }

    /// The state routing decides on.
    public func snapshot() -> [NodeSnapshot] {
        state.withLock { state in state.records.map { state.snapshot($0) } }
    }

    /// The adaptive limits per (node, model), their signals and the recent decisions.
    public func optimizerSnapshot() -> OptimizerSnapshot {
        state.withLock { $0.optimizerSnapshot(wallNow: Date()) }
    }

    /// Everything known about every node, for the status endpoint.
    public func status() -> [NodeStatus] {
        state.withLock { $0.status() }
    }

    /// The nodes as configured.
    public var endpoints: [NodeEndpoint] { state.withLock { $0.records.map(\.endpoint) } }

    /// Requests waiting in the gateway queue.
    public var queued: Int { state.withLock { $0.waiters.count } }

    private func expire(_ id: UInt64, error: any Error) {
        let waiter = state.withLock { state in
            state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0) }
        }
        waiter?.delivery(.failure(error))
    }
}
