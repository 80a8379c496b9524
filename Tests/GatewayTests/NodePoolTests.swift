import Foundation
import TestHTTP
import Testing

@testable import Gateway

/// Admission: per-node limits, the queue with its bound and deadline, failures and the circuit.
@Suite(.timeLimit(.minutes(3)))
struct NodePoolTests {
    static let model = "llama3.2:latest"

    static func pool(
        nodes: Int = 2,
        limit: Int = 1,
        queue: NodePool.Limits = .init(queueSize: 2, queueTimeout: .seconds(30)),
        strategy: RoutingStrategy = .leastOutstanding
    ) async -> NodePool {
        let endpoints = (0..<nodes).map { NodeEndpoint(id: "n\($0)", url: "http://127.0.0.1:\(1000 + $0)", maxInFlight: limit) }
        let pool = NodePool(
            nodes: endpoints,
            strategy: strategy,
            limits: queue,
            health: .init(successesToHealthy: 1),
            circuit: .init(failureThreshold: 2, open: .seconds(60))
        )
        for endpoint in endpoints {
            pool.applyProbe(
                endpoint.id,
                latency: 0.01,
                version: "0.12.6",
                models: [model],
                resident: [],
                error: nil
            )
        }
        return pool
    }

    @Test func requestsSpreadUpToEachLimitThenQueueThenAreRefused() async throws {
        let pool = await Self.pool()
        let first = try await pool.acquire(model: Self.model)
        let second = try await pool.acquire(model: Self.model)
        #expect(Set([first.nodeID, second.nodeID]) == ["n0", "n1"])
        let waiting = Task { try await pool.acquire(model: Self.model) }
        // One after the other: two tasks started together may queue in either order.
        await yieldUntil("a request is queued") { pool.queued >= 1 }
        let alsoWaiting = Task { try await pool.acquire(model: Self.model) }
        await yieldUntil("two requests are queued") { pool.queued >= 2 }
        await #expect(throws: AdmissionError.queueFull) { try await pool.acquire(model: Self.model) }
        pool.release(first, outcome: .success(ttft: 0.1))
        let served = try await waiting.value
        #expect(served.nodeID == first.nodeID)
        pool.release(second, outcome: .success(ttft: 0.1))
        #expect(try await alsoWaiting.value.nodeID == second.nodeID)
        #expect(pool.queued == 0)
    }

    @Test func aQueuedRequestTimesOut() async throws {
        let pool = await Self.pool(nodes: 1, queue: .init(queueSize: 4, queueTimeout: .seconds(0.05)))
        let held = try await pool.acquire(model: Self.model)
        await #expect(throws: AdmissionError.queueTimeout) { try await pool.acquire(model: Self.model) }
        pool.release(held, outcome: .cancelled)
    }

    @Test func unknownAndUnservableModelsAreRefusedAtOnce() async throws {
        let pool = await Self.pool()
        await #expect(throws: AdmissionError.unknownModel("ghost:latest")) { try await pool.acquire(model: "ghost") }
        for id in ["n0", "n1"] {
            for _ in 0..<2 { pool.applyProbe(id, latency: nil, version: nil, models: nil, resident: nil, error: "down") }
        }
        await #expect(throws: AdmissionError.noHealthyNode(Self.model)) { try await pool.acquire(model: Self.model) }
    }

    @Test func failuresOpenTheCircuitAndTheNodeGetsNoMoreRequests() async throws {
        let pool = await Self.pool(limit: 4)
        for _ in 0..<2 {
            let lease = try await pool.acquire(model: Self.model, excluding: ["n1"])
            #expect(lease.nodeID == "n0")
            pool.release(lease, outcome: .failure)
        }
        let status = pool.status().first { $0.node.id == "n0" }
        #expect(status?.node.circuit == .open)
        #expect(status?.failures == 2)
        for _ in 0..<5 {
            let lease = try await pool.acquire(model: Self.model)
            #expect(lease.nodeID == "n1")
            pool.release(lease, outcome: .success(ttft: 0.01))
        }
    }

    @Test func excludedNodesAreSkippedAndExhaustionIsReported() async throws {
        let pool = await Self.pool(limit: 4)
        let lease = try await pool.acquire(model: Self.model, excluding: ["n0"])
        #expect(lease.nodeID == "n1")
        await #expect(throws: AdmissionError.exhausted) { try await pool.acquire(model: Self.model, excluding: ["n0", "n1"]) }
    }

    @Test func servedModelsCountAsResidentAndTTFTIsAveraged() async throws {
        let pool = await Self.pool(nodes: 1, limit: 4)
        let lease = try await pool.acquire(model: "LLAMA3.2")
        pool.release(lease, outcome: .success(ttft: 1.0))
        let again = try await pool.acquire(model: Self.model)
        pool.release(again, outcome: .success(ttft: 2.0))
        let node = try #require(pool.snapshot().first)
        #expect(node.resident == [Self.model])
        #expect(node.ttftEWMA.map { abs($0 - 1.3) < 1e-12 } == true)
        #expect(node.inFlight == 0)
        #expect(node.inFlightByModel.isEmpty)
    }
}
