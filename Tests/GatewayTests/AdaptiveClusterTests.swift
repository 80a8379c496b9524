import AsyncHTTPClient
import Foundation
import Gateway
import LocalCluster
import NIOHTTP1
import NodeSimulator
import Optimizer
import Telemetry
import TestHTTP
import Testing

/// The adaptive limits end to end: simulated nodes behind a gateway at the default level.
@Suite(.timeLimit(.minutes(3)))
struct AdaptiveClusterTests {
    @Test func aNodeAnswering503HasItsLimitCut() async throws {
        // Default simulator timing, but one slot and one queue place: a third request gets 503.
        var busy = SimulatorConfiguration()
        busy.limits.numParallel = 1
        busy.limits.maxQueue = 1
        // Answers of exactly 400 tokens hold the only slot for seconds: long enough for the
        // requests below even when the whole suite shares two cores.
        busy.models = busy.models.map { model in
            var long = model
            long.minOutputTokens = 400
            long.maxOutputTokens = 400
            long.decodeTokensPerSecond = min(model.decodeTokensPerSecond, 20)
            return long
        }
        try await withCluster(
            [busy, SimulatorConfiguration()],
            configure: {
                $0.strategy = .roundRobin
                $0.retryBackoff = .seconds(0.001)
                $0.optimization.level = .balanced
            }
        ) { client, cluster in
            #expect(cluster.gateway.configuration.optimization.level == .balanced)
            let pool = cluster.gateway.pool
            // A new pair starts at 1, which no cut can lower: quick answers first, until sim-0's
            // limit has grown (a window needs 10 answers and a second).
            func limit() -> Int? {
                pool.optimizerSnapshot().pairs.first { $0.node == "sim-0" && $0.model == "llama3.2:latest" }?.limit
            }
            let quick = #"{"model":"llama3.2","prompt":"q","stream":false,"options":{"num_predict":1}}"#
            for _ in 0..<300 where (limit() ?? 0) < 2 {
                #expect(try await client.post("/api/generate", quick).status == 200)
            }
            let grown = try #require(limit())
            #expect(grown >= 2)
            // Fill the busy node's slot and queue place directly, behind the gateway's back.
            let direct = TestClient(base: cluster.nodeURLs[0])
            let slow = #"{"model":"llama3.2","prompt":"x","options":{"num_predict":400}}"#
            let holder = try await direct.open("/api/generate", slow)
            #expect(holder.status.code == 200)
            let scheduler = cluster.simulators[0].scheduler
            // Not awaited: leaving the scope cancels it, which closes its connection (and the holder's).
            async let _ = direct.open("/api/generate", slow)
            try await eventually("the busy node's queue is full") { await scheduler.pendingCount() == 1 }
            for _ in 0..<4 {
                let answer = try await client.post(
                    "/api/generate",
                    #"{"model":"llama3.2","prompt":"y","stream":false,"options":{"num_predict":1}}"#
                )
                #expect(answer.status == 200)
                #expect(answer.node == "sim-1")
            }
            let snapshot = pool.optimizerSnapshot()
            let pair = try #require(snapshot.pairs.first { $0.node == "sim-0" && $0.model == "llama3.2:latest" })
            #expect(pair.dropsByKind["overloaded", default: 0] >= 1)
            #expect(pair.limit < grown, "sim-0's limit \(pair.limit) was not cut below \(grown)")
            #expect(snapshot.decisions.contains { $0.node == "sim-0" && $0.kind == "drop_cut" && $0.to < $0.from })
            // The metrics carry the same: the cut limit and the drop.
            let families = try Exposition.parse(try await client.get("/metrics").text)
            let labels = ["node": "sim-0", "model": "llama3.2:latest"]
            #expect(families.value("ollamamax_optimizer_limit", labels) == Double(pair.limit))
            let drops = families.value("ollamamax_optimizer_drops_total", labels.merging(["kind": "overloaded"]) { a, _ in a })
            #expect((drops ?? 0) >= 1)
        }
    }
}
