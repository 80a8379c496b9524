/// How the gateway picks a node for a request. Every strategy only considers nodes that list the
/// model and can take a request now (below the node's limit, and below the model's adaptive
/// limit when the optimizer has one); they differ in how they choose among those.
public enum RoutingStrategy: String, Sendable, Hashable, Codable, CaseIterable {
    /// In turn.
    case roundRobin = "round-robin"
    /// Fewest requests in flight (nginx `least_conn`); with adaptive limits, the smallest share
    /// of the model's limit in use.
    case leastOutstanding = "least-outstanding"
    /// Lowest expected time to first token: EWMA of TTFT times (1 + in flight).
    case latencyWeighted = "latency-weighted"
    /// Warm first: a node with the model loaded and a slot free; else an idle node that can load
    /// it; else the least busy. Never a cold load while a warm node has room; with the optimizer
    /// on, not while waiting for a warm slot is expected to be quicker than the learned cost of
    /// the load (``waitsForWarmSlot(model:nodes:excluding:bestRank:isColdCandidate:waiting:)``).
    case modelAware = "model-aware"

    /// The node for a request for `model`, or `nil` if none can take it now.
    ///
    /// - Parameters:
    ///   - nodes: the current snapshot.
    ///   - excluding: nodes already tried for this request.
    ///   - turn: a counter that rotates ties (and round-robin) fairly.
    ///   - waiting: requests for `model` queued in the gateway ahead of this one; read only by
    ///     `model-aware` when a warm node is full and a cold load has a learned cost.
    public func choose(
        model: String,
        nodes: [NodeSnapshot],
        excluding: Set<String> = [],
        turn: UInt64,
        waiting: () -> Int = { 0 }
    ) -> String? {
        // Called for every request: the candidate sets are predicates over `nodes`, not arrays.
        func candidate(_ node: NodeSnapshot) -> Bool {
            node.hasRoom(for: model) && !excluding.contains(node.id) && node.models.contains(model)
        }
        var lowestRank = Int.max
        for node in nodes where candidate(node) { lowestRank = min(lowestRank, node.state.rank) }
        guard lowestRank != .max else { return nil }
        // Healthy nodes first: a degraded node is used only when no healthy one can take the request.
        let bestState = lowestRank
        func inPool(_ node: NodeSnapshot) -> Bool { node.state.rank == bestState && candidate(node) }
        switch self {
        case .roundRobin:
            return Self.rotatingMin(nodes, where: inPool, turn: turn) { _ in 0 }
        case .leastOutstanding:
            return Self.rotatingMin(nodes, where: inPool, turn: turn) { $0.load(for: model) }
        case .latencyWeighted:
            return Self.rotatingMin(nodes, where: inPool, turn: turn) { ($0.ttftEWMA ?? 0) * Double(1 + $0.inFlight) }
        case .modelAware:
            let warm = Self.rotatingMin(nodes, where: { inPool($0) && $0.hasWarmSlot(model) }, turn: turn) {
                $0.load(for: model) + ($0.ttftEWMA ?? 0) * 1e-3
            }
            if let warm { return warm }
            let waits = Self.waitsForWarmSlot(
                model: model,
                nodes: nodes,
                excluding: excluding,
                bestRank: bestState,
                isColdCandidate: { inPool($0) && !$0.resident.contains(model) },
                waiting: waiting
            )
            if waits { return nil }
            // The cheapest learned load first (none learned, as at off: the fewest models loaded).
            let idleCold = Self.rotatingMin(
                nodes,
                where: { inPool($0) && !$0.resident.contains(model) && $0.inFlight == 0 },
                turn: turn
            ) { ($0.coldLoadSecondsByModel[model] ?? 0) + Double($0.resident.count) * 1e-3 }
            if let idleCold { return idleCold }
            // Everyone is busy: queue where the model is already loaded, least busy first.
            return Self.rotatingMin(nodes, where: inPool, turn: turn) {
                Double($0.inFlightByModel[model, default: 0]) + ($0.resident.contains(model) ? 0 : 1e6)
                    + Double($0.inFlight) * 1e-3
            }
        }
    }

    /// Among the nodes `include` admits, the one with the lowest score; among equal scores, the
    /// one `turn` points at (in the order of `nodes`). `nil` when `include` admits none.
    static func rotatingMin(
        _ nodes: [NodeSnapshot],
        where include: (NodeSnapshot) -> Bool,
        turn: UInt64,
        score: (NodeSnapshot) -> Double
    ) -> String? {
        var best = Double.infinity
        var tied = 0
        for node in nodes where include(node) {
            let value = score(node)
            if value < best || tied == 0 {
                best = value
                tied = 1
            } else if value == best {
                tied += 1
            }
        }
        guard tied > 0 else { return nil }
        var skip = Int(turn % UInt64(tied))
        for node in nodes where include(node) && score(node) == best {
            if skip == 0 { return node.id }
            skip -= 1
        }
        return nil
    }
}
