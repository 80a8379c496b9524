/// How the gateway picks a node for a request. Every strategy only considers nodes that list the
/// model and can take a request now; they differ in how they choose among those.
public enum RoutingStrategy: String, Sendable, Hashable, Codable, CaseIterable {
    /// In turn.
    case roundRobin = "round-robin"
    /// Fewest requests in flight (nginx `least_conn`).
    case leastOutstanding = "least-outstanding"
    /// Lowest expected time to first token: EWMA of TTFT times (1 + in flight).
    case latencyWeighted = "latency-weighted"
    /// Warm first: a node with the model loaded and a slot free; else an idle node that can load
    /// it; else the least busy. Never a cold load while a warm node has room.
    case modelAware = "model-aware"

    /// The node for a request for `model`, or `nil` if none can take it now.
    ///
    /// - Parameters:
    ///   - nodes: the current snapshot.
    ///   - excluding: nodes already tried for this request.
    ///   - turn: a counter that rotates ties (and round-robin) fairly.
    public func choose(model: String, nodes: [NodeSnapshot], excluding: Set<String> = [], turn: UInt64) -> String? {
        let candidates = nodes.filter { $0.available && !excluding.contains($0.id) && $0.models.contains(model) }
        guard !candidates.isEmpty else { return nil }
        // Healthy nodes first: a degraded node is used only when no healthy one can take the request.
        let bestState = candidates.map(\.state.rank).min() ?? 0
        let pool = candidates.filter { $0.state.rank == bestState }
        switch self {
        case .roundRobin:
            return pool[Int(turn % UInt64(pool.count))].id
        case .leastOutstanding:
            return Self.rotatingMin(pool, turn: turn) { Double($0.inFlight) }
        case .latencyWeighted:
            return Self.rotatingMin(pool, turn: turn) { ($0.ttftEWMA ?? 0) * Double(1 + $0.inFlight) }
        case .modelAware:
            let warm = pool.filter { $0.hasWarmSlot(model) }
            if !warm.isEmpty {
                return Self.rotatingMin(warm, turn: turn) { Double($0.inFlight) + ($0.ttftEWMA ?? 0) * 1e-3 }
            }
            let idleCold = pool.filter { !$0.resident.contains(model) && $0.inFlight == 0 }
            if !idleCold.isEmpty {
                return Self.rotatingMin(idleCold, turn: turn) { Double($0.resident.count) }
            }
            // Everyone is busy: queue where the model is already loaded, least busy first.
            return Self.rotatingMin(pool, turn: turn) {
                Double($0.inFlightByModel[model, default: 0]) + ($0.resident.contains(model) ? 0 : 1e6)
                    + Double($0.inFlight) * 1e-3
            }
        }
    }

    /// The node with the lowest score; among equal scores, the one `turn` points at.
    static func rotatingMin(_ nodes: [NodeSnapshot], turn: UInt64, score: (NodeSnapshot) -> Double) -> String? {
        guard let best = nodes.map(score).min() else { return nil }
        let tied = nodes.filter { score($0) == best }
        return tied[Int(turn % UInt64(tied.count))].id
    }
}
