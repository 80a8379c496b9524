import Foundation
import Optimizer
import Synchronization

/// Several gateways in front of the same nodes (docs/optimizer.md "Several gateways"): each
/// reports its own requests in flight per node and model, and counts the others' with its own
/// when it admits and routes, so together they hold a node to its limit.
extension NodePool {
    /// This gateway's own requests in flight and own adaptive limits, by node URL and model:
    /// what `GET /ollamamax/peer` answers. Peers' counts and limits are left out, so nothing
    /// travels back to where it came from.
    public func peerReport() -> PeerReport {
        state.withLock { state in
            PeerReport(
                nodes: state.records.filter { !$0.inFlightByModel.isEmpty || !$0.limitByModel.isEmpty }.map {
                    PeerReport.Node(url: $0.endpoint.url, inFlight: $0.inFlightByModel, limits: $0.limitByModel)
                }
            )
        }
    }

    /// Replaces the peers' counts with `reports`, one per peer that answered (a peer that did
    /// not counts nothing), summed per node (matched by URL; nodes this gateway does not know
    /// are ignored). Waiters that fewer peer requests make room for are admitted.
    public func applyPeers(_ reports: [PeerReport]) {
        let (sums, limits) = PeerReport.combined(reports)
        let served = state.withLock { state in
            state.applyPeers(sums, limits: limits)
            return state.serveWaiters()
        }
        served.resume()
    }
}

extension PoolState {
    /// Sets every node's peer counts from `sums` (node URL → model → requests) and the peers'
    /// limits from `limits` (node URL → model → one limit per peer that has one).
    mutating func applyPeers(_ sums: [String: [String: Int]], limits: [String: [String: [Int]]]) {
        let clock = now()
        for index in records.indices {
            records[index].peerLimitsByModel = limits[records[index].endpoint.url] ?? [:]
            let counts = sums[records[index].endpoint.url] ?? [:]
            guard counts != records[index].peerInFlightByModel else { continue }
            records[index].peerInFlightByModel = counts
            // The throughput integrals count what the node works on.
            for model in records[index].learning.keys {
                let inFlight = records[index].nodeInFlight(model)
                records[index].learning[model]?.busy.set(inFlight, now: .seconds(clock))
            }
        }
    }
}

/// One gateway's own requests in flight per node: the body of `GET /ollamamax/peer`.
public struct PeerReport: Sendable, Hashable, Codable {
    public struct Node: Sendable, Hashable, Codable {
        /// The node's base URL, as configured (peers configure the same URLs).
        public var url: String
        /// Requests in flight by model (normalized names, e.g. `llama3.2:latest`).
        public var inFlight: [String: Int]
        /// The gateway's own adaptive limits by model; nil or empty at level `off`.
        public var limits: [String: Int]?

        public init(url: String, inFlight: [String: Int], limits: [String: Int]? = nil) {
            self.url = url
            self.inFlight = inFlight
            self.limits = limits
        }
    }

    public var nodes: [Node]

    public init(nodes: [Node]) {
        self.nodes = nodes
    }

    /// Several peers' reports together: the requests in flight summed per node URL and model,
    /// and every peer's limit per node URL and model.
    static func combined(_ reports: [PeerReport]) -> (inFlight: [String: [String: Int]], limits: [String: [String: [Int]]]) {
        var sums: [String: [String: Int]] = [:]
        var limits: [String: [String: [Int]]] = [:]
        for report in reports {
            for node in report.nodes {
                for (model, count) in node.inFlight where count > 0 {
                    sums[node.url, default: [:]][model, default: 0] += count
                }
                for (model, limit) in node.limits ?? [:] where limit > 0 {
                    limits[node.url, default: [:]][model, default: []].append(limit)
                }
            }
        }
        return (sums, limits)
    }
}
