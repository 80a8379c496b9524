import Foundation
import Gateway
import LocalCluster
import NodeSimulator
import Optimizer
import Synchronization
import Telemetry
import TestHTTP
import Testing

/// What the optimizer learns end to end, over simulated nodes: a node's hidden num_parallel
/// under GPU batching contention, and the cost of a cold load.
@Suite(LoadSensitive.phase, .timeLimit(.minutes(3)))
struct LearnedClusterTests {
    static let model = "llama3.2:latest"

    /// One completion model; answers of exactly `tokens` tokens, no jitter, a quick prompt.
    static func node(slots: Int, loadTime: Duration = .zero, decodeRate: Double = 200, tokens: Int = 30) -> SimulatorConfiguration {
        var configuration = fastNode(models: [model], decodeRate: decodeRate)
        configuration.limits.numParallel = slots
        configuration.models = configuration.models.map { model in
            var fixed = model
            fixed.minOutputTokens = tokens
            fixed.maxOutputTokens = tokens
            fixed.contention = .gpu
            fixed.loadTime = loadTime
            return fixed
        }
        return configuration
    }

    @Test(arguments: [2, 4, 8])
    func theKneeFindsTheSimulatorsHiddenSlots(slots: Int) async throws {
        try await withCluster(
            [Self.node(slots: slots)],
            configure: {
                // aggressive probes 0.6 slots per window past slow start (balanced 0.2): within
                // a few hundred requests the limit passes 8 slots even when slow start ended early.
                $0.optimization.level = .aggressive
                $0.strategy = .leastOutstanding
                // The ceiling is well past the slots: the gateway is not told num_parallel.
                $0.nodes = $0.nodes.map { node in
                    var node = node
                    node.maxInFlight = 16
                    return node
                }
            }
        ) { client, cluster in
            // A closed loop of more clients than slots, a fixed number of requests: the limit
            // climbs by slow start, requests past the slots queue in the node.
            let clients = slots + 4
            let requests = 60 * clients
            let sent = Counter()
            let body = #"{"model":"llama3.2","prompt":"count","stream":false}"#
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<clients {
                    group.addTask {
                        while sent.next() <= requests {
                            // A client that honours the fast 503 (the queue per model holds one
                            // request per slot of the limit at aggressive, and slow start begins at
                            // 1) tries again after a pause, a bounded number of times.
                            var answer = try await client.post("/api/generate", body)
                            var retries = 0
                            while answer.status == 503, retries < 1_000 {
                                try await Task.sleep(for: .milliseconds(20))
                                answer = try await client.post("/api/generate", body)
                                retries += 1
                            }
                            #expect(answer.status == 200, "\(answer.text)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let pair = try #require(cluster.gateway.pool.optimizerSnapshot().pairs.first { $0.model == Self.model })
            let curve = (pair.tokensPerSecondByInFlight ?? [:]).sorted { Int($0.key)! < Int($1.key)! }
            let shown = curve.map { "\($0.key): \(Int($0.value)) t/s" }.joined(separator: ", ")
            let knee = try #require(pair.learnedParallelism, "no parallelism learned; curve \(shown)")
            // Within one step of the truth (the benchmark's criterion for the converged limits).
            let waits = (pair.slotWaitShareByInFlight ?? [:]).sorted { Int($0.key)! < Int($1.key)! }
                .map { "\($0.key): \(Int(($0.value * 100).rounded()))%" }.joined(separator: ", ")
            #expect(abs(knee - slots) <= 1, "learned \(knee) for \(slots) slots; waited \(waits); curve \(shown); limit \(pair.limit)")
            // The slots themselves were measured. Past them the limiter seldom goes (a request
            // queued in the node inflates TTFT at once), so the curve often ends there.
            #expect(curve.contains { Int($0.key)! >= slots }, "curve \(shown)")
            let families = try Exposition.parse(try await client.get("/metrics").text)
            let labels = ["node": pair.node, "model": Self.model]
            #expect(families.value("ollamamax_optimizer_learned_parallelism", labels) == Double(knee))
        }
    }

    @Test func aColdNodeTeachesItsLoadCost() async throws {
        // Both nodes take 2 s to load the model; sim-0 has it loaded before the gateway sends anything.
        let nodes = [Self.node(slots: 4, loadTime: .seconds(2), decodeRate: 100), Self.node(slots: 4, loadTime: .seconds(2), decodeRate: 100)]
        try await withCluster(
            nodes,
            configure: {
                $0.optimization.level = .balanced
                $0.strategy = .modelAware
            }
        ) { client, cluster in
            let pool = cluster.gateway.pool
            let quick = #"{"model":"llama3.2","prompt":"q","stream":false,"options":{"num_predict":1}}"#
            // 3 s answers (300 tokens at 100 t/s) that keep sim-0's only slot (a new pair's limit is 1) busy.
            let long = #"{"model":"llama3.2","prompt":"l","stream":false,"options":{"num_predict":300}}"#
            #expect(try await TestClient(base: cluster.nodeURLs[0]).post("/api/generate", quick).status == 200)
            await cluster.gateway.monitor.probeAll()
            #expect(pool.snapshot().map(\.resident) == [[Self.model], []])
            /// Sends `long` through the gateway to sim-0, then `then` while it runs.
            func whileSim0IsBusy(_ then: String) async throws -> HTTPAnswer {
                async let holder = client.post("/api/generate", long)
                try await eventually(within: 60, "sim-0 is busy") { pool.snapshot()[0].inFlightByModel[Self.model] == 1 }
                let answer = try await client.post("/api/generate", then)
                #expect(try await holder.node == "sim-0")
                return answer
            }
            // sim-0 is full and nothing is learned: the static rule loads the model on sim-1 (cold).
            let cold = try await whileSim0IsBusy(quick)
            #expect(cold.status == 200 && cold.node == "sim-1")
            // sim-0 full again: sim-1 is warm now and answers without a load.
            let warm = try await whileSim0IsBusy(quick)
            #expect(warm.status == 200 && warm.node == "sim-1")
            let pair = try #require(pool.optimizerSnapshot().pairs.first { $0.node == "sim-1" && $0.model == Self.model })
            // The cold answer waited for the 2 s load; the warm one did not.
            let coldTTFT = try #require(pair.coldTTFTSeconds)
            let warmTTFT = try #require(pair.warmTTFTSeconds)
            #expect(coldTTFT >= 2, "cold TTFT \(coldTTFT) s with a 2 s load")
            #expect(warmTTFT < coldTTFT)
            let cost = try #require(pair.coldLoadSeconds)
            #expect(abs(cost - (coldTTFT - warmTTFT)) < 1e-9)
            // Routing reads it; /metrics shows it.
            #expect(pool.snapshot()[1].coldLoadSecondsByModel[Self.model] == cost)
            let families = try Exposition.parse(try await client.get("/metrics").text)
            let shown = try #require(families.value("ollamamax_optimizer_cold_load_seconds", ["node": "sim-1", "model": Self.model]))
            #expect(abs(shown - cost) < 1e-6)
        }
    }

    /// A count the load's clients share.
    final class Counter: Sendable {
        private let value = Atomic(0)

        /// The count after adding one.
        func next() -> Int { value.add(1, ordering: .relaxed).newValue }
    }
}
