import Foundation
import LocalCluster
import NodeSimulator
import OllamaAPI
import Optimizer
import TestHTTP
import Testing

@testable import Gateway

/// Several gateways in front of the same nodes (`--peer`): each counts the others' requests in
/// flight and averages their adaptive limits with its own.
@Suite(.timeLimit(.minutes(3)))
struct PeerTests {
    static let model = AdaptiveAdmissionTests.model
    typealias Clock = AdaptiveAdmissionTests.ManualSeconds

    /// A report of `count` requests of the model on node `n<index>` of the admission tests.
    static func report(node index: Int = 0, count: Int, limit: Int? = nil) -> PeerReport {
        PeerReport(nodes: [
            .init(url: "http://127.0.0.1:\(1000 + index)", inFlight: [model: count], limits: limit.map { [model: $0] })
        ])
    }

    @Test func thePeersRequestsInFlightCountAgainstTheNodesStaticLimit() {
        var state = AdaptiveAdmissionTests.state(level: .off, ceilings: [3], clock: Clock())
        state.applyPeers([Self.report(count: 2)].sums, limits: [:])
        // 2 of the node's 3 are the peer's: one more here, then none.
        #expect(AdaptiveAdmissionTests.fill(&state).count == 1)
        #expect(state.snapshot(state.records[0]).inFlight == 3)
        #expect(state.snapshot(state.records[0]).inFlightByModel[Self.model] == 3)
    }

    @Test func aWaiterIsAdmittedWhenThePeersCountFalls() async throws {
        let endpoint = NodeEndpoint(id: "n0", url: "http://127.0.0.1:1000", maxInFlight: 2)
        let pool = NodePool(nodes: [endpoint], strategy: .leastOutstanding, health: .init(successesToHealthy: 1))
        pool.applyProbe("n0", latency: 0.01, version: "0.12.6", models: [Self.model], resident: [Self.model], error: nil)
        pool.applyPeers([Self.report(count: 2)])
        let answers = NodePoolEnqueueTests.Answers()
        _ = pool.enqueue(model: Self.model, excluding: [], deliver: answers.deliver)
        #expect(answers.count == 0 && pool.queued == 1)
        // A peer that stops answering counts nothing.
        pool.applyPeers([])
        #expect(try answers.only().node?.nodeID == "n0")
        #expect(pool.queued == 0)
    }

    @Test func theSharedLimitIsTheMeanOfTheOwnAndThePeersRoundedDown() {
        var state = AdaptiveAdmissionTests.state(level: .balanced, ceilings: [16], clock: Clock())
        _ = AdaptiveAdmissionTests.fill(&state)  // makes the pair's limiter: slow start's 1
        #expect(state.records[0].limitByModel[Self.model] == 1)
        state.applyPeers([:], limits: ["http://127.0.0.1:1000": [Self.model: [8, 4]]])
        // (1 + 8 + 4) / 3 = 4.33: 4, what routing reads; the own limiter keeps its 1.
        #expect(state.records[0].sharedLimit(Self.model) == 4)
        #expect(state.snapshot(state.records[0]).limitByModel[Self.model] == 4)
        #expect(state.records[0].limitByModel[Self.model] == 1)
    }

    @Test func theReportHoldsTheOwnCountsAndLimitsNotThePeers() async throws {
        let endpoints = (0..<2).map { NodeEndpoint(id: "n\($0)", url: "http://127.0.0.1:\(1000 + $0)", maxInFlight: 16) }
        let pool = NodePool(nodes: endpoints, strategy: .leastOutstanding, health: .init(successesToHealthy: 1), optimization: .balanced)
        for endpoint in endpoints {
            pool.applyProbe(endpoint.id, latency: 0.01, version: "0.12.6", models: [Self.model], resident: [Self.model], error: nil)
        }
        let lease = try await pool.acquire(model: Self.model)
        pool.applyPeers([Self.report(node: 0, count: 5, limit: 8), Self.report(node: 1, count: 3, limit: 8)])
        let total: Int = pool.snapshot().map(\.inFlight).reduce(0, +)
        #expect(total == 9)  // the own 1, the peers' 5 and 3
        let report = pool.peerReport()
        #expect(report.nodes.count == 2)
        let own = try #require(report.nodes.first { $0.url == lease.url })
        #expect(own.inFlight == [Self.model: 1])
        #expect(report.nodes.allSatisfy { $0.limits == [Self.model: 1] && ($0.inFlight[Self.model] ?? 0) <= 1 })
        // The JSON a peer reads.
        let text = String(decoding: try JSONEncoder().encode(PeerReport(nodes: [own])), as: UTF8.self)
        #expect(text.contains(#""inFlight":{"llama3.2:latest":1}"#))
    }

    @Test func twoPeeredGatewaysHoldANodeToItsStaticLimitTogether() async throws {
        // 300 tokens at 20 tokens/s: 15 s of decoding, long enough to be seen by the other
        // gateway even when a round's answer is slow on a loaded machine.
        var slow = fastNode(decodeRate: 20)
        slow.limits.numParallel = 1
        for index in slow.models.indices {
            slow.models[index].minOutputTokens = 300
            slow.models[index].maxOutputTokens = 300
        }
        // No peering in the background: the rounds below are the only ones, so none that timed
        // out can overwrite what a test round saw.
        try await LocalCluster.run(
            nodes: [slow],
            replicas: 2,
            configure: { configuration in
                // As withCluster: probes by hand only, and a slow first probe on a loaded machine
                // is not what this test tests.
                configuration.probeInterval = .seconds(3600)
                configuration.probeTimeout = .seconds(30)
                configuration.health.slowProbe = .seconds(30)
                configuration.health.successesToHealthy = 1
                configuration.optimization.level = .off
                configuration.nodes[0].maxInFlight = 1
            }
        ) { cluster in
            let (first, second) = (cluster.gateways[0], cluster.gateways[1])
            let peer = [cluster.gatewayURLs[0]]
            let client = TestClient(base: cluster.gatewayURLs[0])
            let held = Task { try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"hi","stream":false}"#) }
            try await eventually("the first gateway admits the request") { first.pool.snapshot().first?.inFlight == 1 }
            // Rounds by hand until one is answered (a peer that did not answer counts nothing).
            try await eventually("the second gateway sees the first one's request") {
                await second.peerService.round(peer)
                return second.pool.snapshot().first?.inFlight == 1
            }
            #expect(second.pool.status().first?.node.inFlight == 0)  // its own requests: none
            if case .leased(let lease) = second.pool.tryLease(model: "llama3.2", excluding: []) {
                Issue.record("the second gateway admitted a request over the node's limit of 1")
                second.pool.release(lease, outcome: .cancelled)
            }
            let report = try await TestClient(base: cluster.gatewayURLs[0]).get("/ollamamax/peer")
            #expect(report.status == 200)
            #expect(try report.decode(PeerReport.self).nodes.first?.inFlight["llama3.2:latest"] == 1)
            #expect(try await held.value.status == 200)
            try await eventually("the second gateway sees the node free") {
                await second.peerService.round(peer)
                return second.pool.snapshot().first?.inFlight == 0
            }
        }
    }
}

extension [PeerReport] {
    /// The requests in flight of the reports summed per node URL and model.
    var sums: [String: [String: Int]] { PeerReport.combined(self).inFlight }
}
