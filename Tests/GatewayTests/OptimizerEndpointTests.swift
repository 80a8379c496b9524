import Foundation
import LocalCluster
import OllamaAPI
import Optimizer
import TestHTTP
import Testing

@testable import Gateway

/// `GET /ollamamax/optimizer` over a real gateway and a simulated node on 127.0.0.1, and one
/// round of the interval service run by hand (its own timer is an hour away).
@Suite(.timeLimit(.minutes(3)))
struct OptimizerEndpointTests {
    @Test func theEndpointShowsEachPairsLimitAndTheIntervalsKnobsAndDecisions() async throws {
        try await withCluster(
            [fastNode()],
            configure: { $0.optimization = OptimizationSettings(level: .balanced, interval: .seconds(3600)) }
        ) { client, cluster in
            for _ in 0..<3 {
                let answer = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"hi","stream":false}"#)
                #expect(answer.status == 200)
            }
            let before = try await client.get("/ollamamax/optimizer")
            #expect(before.status == 200)
            #expect(before.contentType == "application/json; charset=utf-8")
            let report = try before.decode(OptimizerReport.self)
            #expect(report.snapshot.level == .balanced)
            let pair = try #require(report.snapshot.pairs.first)
            #expect(report.snapshot.pairs.count == 1)
            #expect(pair.node == "sim-0" && pair.model == "llama3.2:latest" && pair.ceiling == 8)
            #expect(pair.limit >= 1 && pair.limit <= pair.ceiling)
            // Before its first round the interval service holds the configured queue.
            let interval = try #require(report.interval)
            #expect(interval.seconds == 3600)
            #expect(interval.knobs.queueSize == 256 && interval.knobs.queueTimeoutSeconds == 30)
            #expect(interval.decisions.isEmpty)
            // One flat object: the snapshot's keys and `interval`.
            let object = try #require(try JSONSerialization.jsonObject(with: Data(before.body)) as? [String: Any])
            #expect(Set(object.keys) == ["level", "pairs", "decisions", "decisionCounts", "interval"])

            let service = try #require(cluster.gateway.intervalService)
            await service.round(requests: IntervalService.requests(cluster.gateway.pool), before: [:], minimumResidentBytes: nil)
            let after = try await client.get("/ollamamax/optimizer").decode(OptimizerReport.self)
            let knobs = try #require(after.interval?.knobs)
            // The queue holds what the pair's limit finishes within the new timeout (10 answers,
            // at least 1 s), at most the configured 256.
            let measured = try #require(after.snapshot.pairs.first)
            let answer = try #require(measured.requestSeconds)
            let perSlot = max(1, Int((knobs.queueTimeoutSeconds / answer).rounded(.down)))
            #expect(knobs.queueSize == min(256, measured.limit * perSlot))
            #expect(cluster.gateway.pool.queueKnobs.size == knobs.queueSize)
            #expect(knobs.nodes["sim-0"]?.keepAliveSeconds == 7200)
            let kinds = after.interval?.decisions.map(\.kind) ?? []
            #expect(kinds.contains("queue_size") && kinds.contains("keep_alive"), "\(kinds)")
            #expect(after.interval?.decisions.allSatisfy { !$0.reason.isEmpty && $0.time.hasSuffix("Z") } == true)
            #expect(after.interval?.decisionCounts["queue_size"] == 1)
        }
    }

    @Test func atLevelOffTheEndpointSaysOffAndThereIsNoIntervalService() async throws {
        try await withCluster([fastNode()], configure: { $0.optimization.level = .off }) { client, cluster in
            _ = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"hi","stream":false}"#)
            let report = try await client.get("/ollamamax/optimizer").decode(OptimizerReport.self)
            #expect(report.snapshot.level == .off)
            #expect(report.snapshot.pairs.isEmpty && report.interval == nil)
            #expect(cluster.gateway.intervalService == nil)
        }
    }
}
