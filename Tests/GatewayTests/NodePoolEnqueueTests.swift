import Foundation
import Optimizer
import Synchronization
import Testing

@testable import Gateway

/// The queue without a task (``NodePool/enqueue(model:excluding:deliver:)``): what the data plane
/// waits with. Every answer is delivered synchronously by the call that decides it, so these
/// tests need no waiting at all.
@Suite struct NodePoolEnqueueTests {
    static let model = NodePoolTests.model

    /// Collects what a waiter is told.
    final class Answers: Sendable {
        private let results = Mutex<[Result<NodeLease, any Error>]>([])

        var deliver: @Sendable (Result<NodeLease, any Error>) -> Void {
            { result in self.results.withLock { $0.append(result) } }
        }

        var count: Int { results.withLock { $0.count } }

        /// The only answer: its node, or nil with `error` set.
        func only() throws -> (node: NodeLease?, error: (any Error)?) {
            let all = results.withLock { $0 }
            try #require(all.count == 1, "answers: \(all)")
            switch all[0] {
            case .success(let lease): return (lease, nil)
            case .failure(let error): return (nil, error)
            }
        }
    }

    @Test func roomAtOnceIsDeliveredAtOnce() async throws {
        let pool = await NodePoolTests.pool()
        let answers = Answers()
        _ = pool.enqueue(model: Self.model, excluding: [], deliver: answers.deliver)
        #expect(try answers.only().node?.model == Self.model)
        #expect(pool.queued == 0)
    }

    @Test func aWaiterGetsTheNodeAReleaseFrees() async throws {
        let pool = await NodePoolTests.pool(nodes: 1)
        let held = try await pool.acquire(model: Self.model)
        let answers = Answers()
        _ = pool.enqueue(model: Self.model, excluding: [], deliver: answers.deliver)
        #expect(answers.count == 0)
        #expect(pool.queued == 1)
        pool.release(held, outcome: .success(ttft: 0.1))
        #expect(try answers.only().node?.nodeID == "n0")
        #expect(pool.queued == 0)
        #expect(pool.snapshot()[0].inFlight == 1)
    }

    @Test func cancelWaitDeliversItsErrorOnceAndLeavesTheQueue() async throws {
        let pool = await NodePoolTests.pool(nodes: 1)
        let held = try await pool.acquire(model: Self.model)
        let answers = Answers()
        let id = pool.enqueue(model: Self.model, excluding: [], deliver: answers.deliver)
        pool.cancelWait(id, error: AdmissionError.queueTimeout)
        #expect(try answers.only().error as? AdmissionError == .queueTimeout)
        #expect(pool.queued == 0)
        // Too late: nothing more is delivered, and the freed node stays free.
        pool.cancelWait(id, error: CancellationError())
        pool.release(held, outcome: .success(ttft: 0.1))
        #expect(answers.count == 1)
        #expect(pool.snapshot()[0].inFlight == 0)
    }

    @Test func aFullQueueAndAnUnservableModelAreAnsweredAtOnce() async throws {
        let pool = await NodePoolTests.pool(nodes: 1, queue: .init(queueSize: 1, queueTimeout: .seconds(30)))
        _ = try await pool.acquire(model: Self.model)
        let queued = Answers()
        let full = Answers()
        _ = pool.enqueue(model: Self.model, excluding: [], deliver: queued.deliver)
        _ = pool.enqueue(model: Self.model, excluding: [], deliver: full.deliver)
        #expect(queued.count == 0)
        #expect(try full.only().error as? AdmissionError == .queueFull)
        let exhausted = Answers()
        _ = pool.enqueue(model: Self.model, excluding: ["n0"], deliver: exhausted.deliver)
        #expect(try exhausted.only().error as? AdmissionError == .exhausted)
    }

    @Test func withoutAModelOrOnceNoNodeListsItAnyNodeServes() async throws {
        let pool = await NodePoolTests.pool(nodes: 1, limit: 2)
        let anyModel = Answers()
        _ = pool.enqueue(model: nil, excluding: [], deliver: anyModel.deliver)
        #expect(try anyModel.only().node?.model == nil)
        let held = try await pool.acquire(model: Self.model)
        let waiting = Answers()
        _ = pool.enqueue(model: Self.model, excluding: [], deliver: waiting.deliver)
        #expect(waiting.count == 0)
        // The model is gone from the node: the probe that says so sends the waiter to any node
        // (whose own 404 then answers the client, as for a model no node ever had).
        pool.applyProbe("n0", latency: 0.01, version: nil, models: ["other:latest"], resident: nil, error: nil)
        let served = try waiting.only().node
        #expect(served?.nodeID == "n0")
        #expect(served?.model == nil)
        pool.release(held, outcome: .success(ttft: 0.1))
    }

    @Test func aReleaseServesAnotherModelBehindWaitersThatMustGoOnWaiting() async throws {
        // n0 has the model, n1 only another one: when n1 frees up, the waiters for the model
        // must go on waiting, and the waiter for the other model behind them gets n1.
        let endpoints = [
            NodeEndpoint(id: "n0", url: "http://127.0.0.1:1000", maxInFlight: 1),
            NodeEndpoint(id: "n1", url: "http://127.0.0.1:1001", maxInFlight: 1),
        ]
        let pool = NodePool(nodes: endpoints, strategy: .leastOutstanding, health: .init(successesToHealthy: 1))
        pool.applyProbe("n0", latency: 0.01, version: nil, models: [Self.model], resident: [], error: nil)
        pool.applyProbe("n1", latency: 0.01, version: nil, models: ["other:latest"], resident: [], error: nil)
        let onN0 = try await pool.acquire(model: Self.model)
        let onN1 = try await pool.acquire(model: "other")
        let first = Answers()
        let second = Answers()
        let other = Answers()
        _ = pool.enqueue(model: Self.model, excluding: [], deliver: first.deliver)
        _ = pool.enqueue(model: Self.model, excluding: [], deliver: second.deliver)
        _ = pool.enqueue(model: "other", excluding: [], deliver: other.deliver)
        #expect(pool.queued == 3)
        pool.release(onN1, outcome: .success(ttft: 0.1))
        #expect(try other.only().node?.nodeID == "n1")
        #expect(first.count == 0 && second.count == 0)
        // Then in queue order.
        pool.release(onN0, outcome: .success(ttft: 0.1))
        #expect(try first.only().node?.nodeID == "n0")
        #expect(second.count == 0)
        #expect(pool.queued == 1)
    }
}

/// The optimizer's queue per model: a request expected to wait longer than the level's share of
/// the queue timeout gets the fast refusal; a burst the nodes drain within it queues whole.
@Suite struct ModelQueueTests {
    typealias Answers = NodePoolEnqueueTests.Answers
    typealias ManualSeconds = AdaptiveAdmissionTests.ManualSeconds
    static let model = NodePoolTests.model

    /// Four nodes, `max_in_flight` 8, a 2 s queue timeout; with the optimizer on, each starts at
    /// slow start's limit 1.
    static func pool(level: OptimizationLevel, clock: ManualSeconds) -> NodePool {
        let endpoints = (0..<4).map { NodeEndpoint(id: "n\($0)", url: "http://127.0.0.1:\(1000 + $0)", maxInFlight: 8) }
        let pool = NodePool(
            nodes: endpoints,
            strategy: .leastOutstanding,
            limits: .init(queueSize: 256, queueTimeout: .seconds(2)),
            health: .init(successesToHealthy: 1),
            optimization: level,
            now: { clock.now }
        )
        for endpoint in endpoints {
            pool.applyProbe(endpoint.id, latency: 0.01, version: "0.12.6", models: [model], resident: [model], error: nil)
        }
        return pool
    }

    /// Fills the four slots with requests that take 1 s, then fills them again.
    static func learnOneSecondAnswers(_ pool: NodePool, clock: ManualSeconds) throws {
        let first = try (0..<4).map { _ in try #require(try Answers().deliveredAtOnce(pool).node) }
        clock.advance(1)
        let timing = AnswerTiming(firstToken: .milliseconds(100), timePerOutputToken: .milliseconds(20), outputTokens: 40)
        for lease in first { pool.release(lease, outcome: .success(ttft: 0.1, timing: timing)) }
        for _ in 0..<4 { #expect(try Answers().deliveredAtOnce(pool).node != nil) }
    }

    /// Counts how many requests queue before one is refused (at most 300), and that refusal.
    static func queueUntilRefused(_ pool: NodePool) throws -> (queued: Int, refusal: (any Error)?) {
        for count in 0..<300 {
            let answers = Answers()
            _ = pool.enqueue(model: model, excluding: [], deliver: answers.deliver)
            if answers.count > 0 { return (count, try answers.only().error) }
        }
        return (300, nil)
    }

    /// 4 slots of 1 s answers: one frees every 0.25 s. Balanced refuses the request expected to
    /// wait over the whole 2 s timeout: the 9th ((8 + 1) x 0.25 = 2.25 s); conservative over
    /// half of it: the 5th ((4 + 1) x 0.25 = 1.25 s).
    @Test(arguments: [(OptimizationLevel.balanced, 8), (.conservative, 4)])
    func aRequestExpectedToWaitBeyondTheLevelsShareOfTheTimeoutIsRefusedAtOnce(level: OptimizationLevel, queued: Int) throws {
        let clock = ManualSeconds()
        let pool = Self.pool(level: level, clock: clock)
        try Self.learnOneSecondAnswers(pool, clock: clock)
        let result = try Self.queueUntilRefused(pool)
        #expect(result.queued == queued)
        #expect(result.refusal as? AdmissionError == .queueFull)
        #expect(pool.queued == queued)
    }

    /// Before any answer the gateway cannot tell a wait: only the configured queue bounds it.
    @Test func beforeAnyAnswerABurstQueuesUpToTheConfiguredSize() throws {
        let clock = ManualSeconds()
        let pool = Self.pool(level: .balanced, clock: clock)
        for _ in 0..<4 { #expect(try Answers().deliveredAtOnce(pool).node != nil) }
        #expect(try Self.queueUntilRefused(pool).queued == 256)
    }

    @Test func withTheOptimizerOffOnlyTheConfiguredQueueBounds() throws {
        let clock = ManualSeconds()
        let pool = Self.pool(level: .off, clock: clock)
        for _ in 0..<32 { #expect(try Answers().deliveredAtOnce(pool).node != nil) }
        #expect(try Self.queueUntilRefused(pool).queued == 256)
    }
}

extension NodePoolEnqueueTests.Answers {
    /// Enqueues a request for the suite's model and returns the answer it got at once.
    func deliveredAtOnce(_ pool: NodePool) throws -> (node: NodeLease?, error: (any Error)?) {
        _ = pool.enqueue(model: ModelQueueTests.model, excluding: [], deliver: deliver)
        return try only()
    }
}
