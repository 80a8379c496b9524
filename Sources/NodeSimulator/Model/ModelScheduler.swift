import Foundation
import OllamaAPI

/// Ollama's scheduling, simulated: models load on first use and stay for `keep_alive`; each
/// loaded model serves `numParallel` requests at once; requests beyond that wait in a pending
/// queue of at most `maxQueue`, and one more gets an immediate `queueFull`; at most
/// `maxLoadedModels` are in memory, the least recently used idle one is evicted for a new one.
public actor ModelScheduler {
    /// Why a request got no slot.
    public enum Failure: Error, Sendable, Equatable {
        /// The pending queue is full: Ollama answers 503 at once.
        case queueFull
    }

    /// Capacity settings, as Ollama's `OLLAMA_NUM_PARALLEL`, `OLLAMA_MAX_QUEUE`, `OLLAMA_MAX_LOADED_MODELS`.
    public struct Limits: Sendable, Hashable {
        public var numParallel: Int
        public var maxQueue: Int
        public var maxLoadedModels: Int
        /// How long a model stays loaded after its last request; negative is forever.
        public var defaultKeepAlive: Duration

        public init(numParallel: Int = 1, maxQueue: Int = 512, maxLoadedModels: Int = 3, defaultKeepAlive: Duration = .seconds(300)) {
            self.numParallel = numParallel
            self.maxQueue = maxQueue
            self.maxLoadedModels = maxLoadedModels
            self.defaultKeepAlive = defaultKeepAlive
        }
    }

    /// A loaded (or loading) model, as `/api/ps` shows it.
    public struct Resident: Sendable, Hashable {
        public var model: SimulatedModel
        public var expiresAt: Date
        public var active: Int
        public var isLoading: Bool
    }

    private enum State {
        case waitingForMemory
        case loading
        case ready
    }

    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct Runner {
        var model: SimulatedModel
        var state: State
        var active = 0
        var waiters: [Waiter] = []
        var keepAlive: Duration
        var expiresAt: Date?
        var lastUsed: UInt64
        var requestedAt: UInt64
        /// When the model finished loading: a waiter that arrived before waited that long for
        /// the load (`load_duration`), the rest of its wait was for a slot.
        var loadedAt: ContinuousClock.Instant?
    }

    public let limits: Limits
    private let now: @Sendable () -> Date
    private let loadDelay: @Sendable (Duration) async -> Void
    private var runners: [String: Runner] = [:]
    private var pending = 0
    private var sequence: UInt64 = 0

    /// - Parameters:
    ///   - now: the wall clock, for `expires_at`.
    ///   - loadDelay: waits the given time while a model "loads" (injected so tests can decide).
    public init(
        limits: Limits,
        now: @escaping @Sendable () -> Date = { Date() },
        loadDelay: @escaping @Sendable (Duration) async -> Void = { time in
            try? await Task.sleep(for: time)
        }
    ) {
        self.limits = limits
        self.now = now
        self.loadDelay = loadDelay
    }

    /// Waits for a slot on `model`, loading it first if needed. Pair with ``release(_:keepAlive:)``.
    ///
    /// Returns how long the caller waited for the model to load, Ollama's `load_duration`: the
    /// wait for a slot of a loaded model is not in it (Ollama's runner queues a request for a
    /// slot after the scheduler handed it over), so it is the scheduling time alone for a
    /// resident model.
    ///
    /// - Throws: ``Failure/queueFull`` at once when the pending queue is full;
    ///   `CancellationError` when the caller is cancelled while waiting.
    @discardableResult
    public func acquire(_ model: SimulatedModel, keepAlive: Duration?) async throws -> Duration {
        expireIdle()
        let start = ContinuousClock.now
        let key = Self.key(model.name)
        sequence += 1
        if var runner = runners[key], runner.state == .ready, runner.active < limits.numParallel, runner.waiters.isEmpty {
            runner.active += 1
            runner.expiresAt = nil
            runner.lastUsed = sequence
            if let keepAlive { runner.keepAlive = keepAlive }
            runners[key] = runner
            return .now - start
        }
        guard pending < limits.maxQueue else { throw Failure.queueFull }
        if runners[key] == nil {
            runners[key] = Runner(
                model: model,
                state: .waitingForMemory,
                keepAlive: keepAlive ?? limits.defaultKeepAlive,
                lastUsed: sequence,
                requestedAt: sequence
            )
            startLoads()
        } else if let keepAlive {
            runners[key]?.keepAlive = keepAlive
        }
        pending += 1
        defer { pending -= 1 }
        let id = sequence
        let scheduling = ContinuousClock.now - start
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                runners[key]?.waiters.append(Waiter(id: id, continuation: continuation))
                grant(key)
            }
        } onCancel: {
            Task { await self.cancelWaiter(key: key, id: id) }
        }
        // A waiter for a loaded model spent only its scheduling in the load, as on Ollama.
        guard let loadedAt = runners[key]?.loadedAt, loadedAt > start else { return scheduling }
        return loadedAt - start
    }

    /// Frees a slot taken by ``acquire(_:keepAlive:)``; the model stays for `keepAlive`
    /// (the request's value, else the one it loaded with); zero unloads it when idle.
    public func release(_ model: SimulatedModel, keepAlive: Duration?) {
        let key = Self.key(model.name)
        guard var runner = runners[key] else { return }
        runner.active = max(0, runner.active - 1)
        if let keepAlive { runner.keepAlive = keepAlive }
        sequence += 1
        runner.lastUsed = sequence
        if runner.active == 0, runner.waiters.isEmpty {
            if runner.keepAlive == .zero {
                runners[key] = nil
                startLoads()
                return
            }
            runner.expiresAt = expiry(runner.keepAlive)
        }
        runners[key] = runner
        grant(key)
        // An idle model can now make room for one that waits for memory.
        startLoads()
    }

    /// Unloads `name` now if no request is using it (`keep_alive: 0` with an empty prompt, or a delete).
    public func unload(_ name: String) {
        let key = Self.key(name)
        guard let runner = runners[key], runner.active == 0, runner.waiters.isEmpty else {
            runners[key]?.keepAlive = .zero
            return
        }
        runners[key] = nil
        startLoads()
    }

    /// Loaded and loading models, longest remaining time first (as `/api/ps` sorts them).
    public func residents() -> [Resident] {
        expireIdle()
        return runners.values
            .filter { $0.state != .waitingForMemory }
            .map { runner in
                Resident(
                    model: runner.model,
                    expiresAt: runner.expiresAt ?? expiry(runner.keepAlive),
                    active: runner.active,
                    isLoading: runner.state == .loading
                )
            }
            .sorted { ($0.expiresAt, $0.model.name) > ($1.expiresAt, $1.model.name) }
    }

    /// Requests waiting for a slot or a load.
    public func pendingCount() -> Int { pending }

    private func expiry(_ keepAlive: Duration) -> Date {
        // Ollama shows "forever" as a date centuries away.
        keepAlive < .zero ? now().addingTimeInterval(9_000_000_000) : now().addingTimeInterval(keepAlive.inSeconds)
    }

    private func expireIdle() {
        let current = now()
        for (key, runner) in runners
        where runner.state == .ready && runner.active == 0 && runner.waiters.isEmpty
            && (runner.expiresAt.map { $0 <= current } ?? false)
        {
            runners[key] = nil
        }
    }

    private func grant(_ key: String) {
        guard var runner = runners[key], runner.state == .ready else { return }
        while runner.active < limits.numParallel, !runner.waiters.isEmpty {
            let waiter = runner.waiters.removeFirst()
            runner.active += 1
            runner.expiresAt = nil
            waiter.continuation.resume()
        }
        runners[key] = runner
    }

    private func cancelWaiter(key: String, id: UInt64) {
        guard var runner = runners[key], let index = runner.waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = runner.waiters.remove(at: index)
        runners[key] = runner.state == .waitingForMemory && runner.waiters.isEmpty ? nil : runner
        waiter.continuation.resume(throwing: CancellationError())
    }

    /// Starts loading models that wait for memory, oldest request first, evicting idle models.
    private func startLoads() {
        let waiting = runners.filter { $0.value.state == .waitingForMemory }.sorted {
            $0.value.requestedAt < $1.value.requestedAt
        }
        for (key, _) in waiting {
            let inMemory = runners.values.filter { $0.state != .waitingForMemory }.count
            if inMemory >= limits.maxLoadedModels {
                let idle = runners.filter { $0.value.state == .ready && $0.value.active == 0 && $0.value.waiters.isEmpty }
                guard let victim = idle.min(by: { $0.value.lastUsed < $1.value.lastUsed }) else { return }
                runners[victim.key] = nil
            }
            runners[key]?.state = .loading
            let time = runners[key]?.model.loadTime ?? .zero
            Task { [loadDelay] in
                await loadDelay(time)
                self.finishLoading(key)
            }
        }
    }

    private func finishLoading(_ key: String) {
        guard runners[key]?.state == .loading else { return }
        runners[key]?.state = .ready
        runners[key]?.loadedAt = .now
        sequence += 1
        runners[key]?.lastUsed = sequence
        if runners[key]?.waiters.isEmpty == true, runners[key]?.active == 0 {
            runners[key]?.expiresAt = expiry(runners[key]?.keepAlive ?? limits.defaultKeepAlive)
        }
        grant(key)
    }

    private static func key(_ name: String) -> String {
        ModelName.normalize(name).lowercased()
    }
}
