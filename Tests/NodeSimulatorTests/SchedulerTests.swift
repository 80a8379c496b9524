import Foundation
import NodeSimulator
import TestHTTP
import Testing

/// Loading, slots, the pending queue and keep-alive, without sockets or wall-clock waits.
@Suite(.timeLimit(.minutes(3)))
struct SchedulerTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let now = LockedDate(Date(timeIntervalSince1970: 1_000_000))
        var date: Date { now.value }
        func advance(_ seconds: Double) { now.value = now.value.addingTimeInterval(seconds) }
    }

    final class LockedDate: @unchecked Sendable {
        // Guarded by `lock`; every access goes through `value`.
        private let lock = NSLock()
        private var stored: Date
        init(_ date: Date) { stored = date }
        var value: Date {
            get { lock.withLock { stored } }
            set { lock.withLock { stored = newValue } }
        }
    }

    static func model(_ name: String) -> SimulatedModel {
        SimulatedModel(name: name, loadTime: .zero)
    }

    static func scheduler(_ limits: ModelScheduler.Limits, clock: ManualClock = ManualClock()) -> ModelScheduler {
        ModelScheduler(limits: limits, now: { clock.date }, loadDelay: { _ in })
    }

    @Test func slotsAreSharedUpToNumParallelThenRequestsQueue() async throws {
        let scheduler = Self.scheduler(.init(numParallel: 2, maxQueue: 1, maxLoadedModels: 1))
        let model = Self.model("a")
        try await scheduler.acquire(model, keepAlive: nil)
        try await scheduler.acquire(model, keepAlive: nil)
        #expect(await scheduler.residents().first?.active == 2)
        let queued = Task { try await scheduler.acquire(model, keepAlive: nil) }
        await yieldUntil("a request is queued") { await scheduler.pendingCount() >= 1 }
        await #expect(throws: ModelScheduler.Failure.queueFull) { try await scheduler.acquire(model, keepAlive: nil) }
        await scheduler.release(model, keepAlive: nil)
        _ = try await queued.value
        #expect(await scheduler.pendingCount() == 0)
        #expect(await scheduler.residents().first?.active == 2)
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        let scheduler = Self.scheduler(.init(numParallel: 1, maxQueue: 1, maxLoadedModels: 1))
        let model = Self.model("a")
        try await scheduler.acquire(model, keepAlive: nil)
        let queued = Task { try await scheduler.acquire(model, keepAlive: nil) }
        await yieldUntil("a request is queued") { await scheduler.pendingCount() >= 1 }
        queued.cancel()
        await #expect(throws: CancellationError.self) { try await queued.value }
        #expect(await scheduler.pendingCount() == 0)
        await scheduler.release(model, keepAlive: nil)
        #expect(await scheduler.residents().first?.active == 0)
    }

    @Test func idleModelsExpireAfterKeepAlive() async throws {
        let clock = ManualClock()
        let scheduler = Self.scheduler(.init(defaultKeepAlive: .seconds(300)), clock: clock)
        let model = Self.model("a")
        try await scheduler.acquire(model, keepAlive: nil)
        await scheduler.release(model, keepAlive: nil)
        #expect(await scheduler.residents().first?.expiresAt == clock.date.addingTimeInterval(300))
        clock.advance(299)
        #expect(await scheduler.residents().count == 1)
        clock.advance(2)
        #expect(await scheduler.residents().isEmpty)
    }

    @Test func aRequestsKeepAliveOverridesTheDefault() async throws {
        let clock = ManualClock()
        let scheduler = Self.scheduler(.init(defaultKeepAlive: .seconds(300)), clock: clock)
        let model = Self.model("a")
        try await scheduler.acquire(model, keepAlive: .seconds(10))
        await scheduler.release(model, keepAlive: .seconds(10))
        #expect(await scheduler.residents().first?.expiresAt == clock.date.addingTimeInterval(10))
        try await scheduler.acquire(model, keepAlive: .zero)
        #expect(await scheduler.residents().count == 1)
        await scheduler.release(model, keepAlive: .zero)
        #expect(await scheduler.residents().isEmpty)
    }

    @Test func theLeastRecentlyUsedIdleModelIsEvicted() async throws {
        let scheduler = Self.scheduler(.init(maxLoadedModels: 2))
        for name in ["a", "b"] {
            try await scheduler.acquire(Self.model(name), keepAlive: nil)
            await scheduler.release(Self.model(name), keepAlive: nil)
        }
        try await scheduler.acquire(Self.model("a"), keepAlive: nil)
        await scheduler.release(Self.model("a"), keepAlive: nil)
        try await scheduler.acquire(Self.model("c"), keepAlive: nil)
        let names = await scheduler.residents().map(\.model.name).sorted()
        #expect(names == ["a:latest", "c:latest"])
    }

    @Test func aNewModelWaitsWhileEveryLoadedModelIsBusy() async throws {
        let scheduler = Self.scheduler(.init(numParallel: 1, maxLoadedModels: 1))
        try await scheduler.acquire(Self.model("a"), keepAlive: nil)
        let waiting = Task { try await scheduler.acquire(Self.model("b"), keepAlive: nil) }
        await yieldUntil("a request is queued") { await scheduler.pendingCount() >= 1 }
        #expect(await scheduler.residents().map(\.model.name) == ["a:latest"])
        await scheduler.release(Self.model("a"), keepAlive: nil)
        _ = try await waiting.value
        #expect(await scheduler.residents().map(\.model.name) == ["b:latest"])
    }

    /// `load_duration` is the wait for the model to load; a loaded model's wait for a slot is
    /// not in it (Ollama's runner queues for the slot after the scheduler), so the gateway can
    /// tell that wait from the node's times.
    @Test func theLoadTimeIsTheWaitForTheLoadNotForASlot() async throws {
        let (gate, opener) = AsyncStream<Void>.makeStream()
        let scheduler = ModelScheduler(
            limits: .init(numParallel: 1, maxLoadedModels: 1),
            loadDelay: { _ in
                for await _ in gate { return }
            }
        )
        let model = Self.model("a")
        let cold = Task { try await scheduler.acquire(model, keepAlive: nil) }
        await yieldUntil("the model is loading") { await scheduler.pendingCount() >= 1 }
        let waiting = ContinuousClock.now
        let opened = ContinuousClock.now
        opener.yield()
        // It waited from before `waiting` until after `opened`.
        #expect(try await cold.value >= opened - waiting)

        let called = ContinuousClock.now
        let queued = Task { try await scheduler.acquire(model, keepAlive: nil) }
        await yieldUntil("a request waits for the slot") { await scheduler.pendingCount() >= 1 }
        let queuedAt = ContinuousClock.now
        await scheduler.release(model, keepAlive: nil)
        // Its wait lasted past `queuedAt`; its load time ended before.
        #expect(try await queued.value <= queuedAt - called)
    }

    @Test func unloadWaitsForActiveRequests() async throws {
        let scheduler = Self.scheduler(.init())
        let model = Self.model("a")
        try await scheduler.acquire(model, keepAlive: nil)
        await scheduler.unload("a")
        #expect(await scheduler.residents().count == 1)
        await scheduler.release(model, keepAlive: nil)
        #expect(await scheduler.residents().isEmpty)
    }
}
