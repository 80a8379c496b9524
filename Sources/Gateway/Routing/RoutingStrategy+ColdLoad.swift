/// `model-aware`'s learned cold-load rule: a cold node only when waiting for a warm slot is
/// expected to take longer than the load the cold node would add.
extension RoutingStrategy {
    /// Whether a request for `model` that found no warm slot should wait in the gateway queue
    /// for one instead of loading the model on a cold node.
    ///
    /// It waits when the shortest expected wait of a warm node
    /// (``NodeSnapshot/expectedWait(for:waiting:)``, warm nodes of the best health rank
    /// `bestRank` or better, not excluded) is at most the learned cold-load cost of the cheapest
    /// cold candidate (its own ``NodeSnapshot/coldLoadSecondsByModel``, else the cheapest cost
    /// the model has on any node). With no cost learned anywhere, no warm node, or a warm wait
    /// not known, it does not wait: the static rule (a cold node with room takes the request),
    /// which is how a cost gets learned, and all there is with the optimizer off.
    ///
    /// - Parameters:
    ///   - isColdCandidate: the nodes that could take the request now without the model loaded.
    ///   - waiting: requests for the model queued in the gateway ahead of this one (read only when needed).
    static func waitsForWarmSlot(
        model: String,
        nodes: [NodeSnapshot],
        excluding: Set<String>,
        bestRank: Int,
        isColdCandidate: (NodeSnapshot) -> Bool,
        waiting: () -> Int
    ) -> Bool {
        var anywhere: Double?
        for node in nodes {
            if let cost = node.coldLoadSecondsByModel[model] { anywhere = min(anywhere ?? cost, cost) }
        }
        guard let anywhere else { return false }
        var coldCost: Double?
        for node in nodes where isColdCandidate(node) {
            let cost = node.coldLoadSecondsByModel[model] ?? anywhere
            coldCost = min(coldCost ?? cost, cost)
        }
        guard let coldCost else { return false }
        let ahead = waiting()
        var warmWait: Double?
        for node in nodes
        where node.models.contains(model) && node.resident.contains(model) && !excluding.contains(node.id) && node.state.rank <= bestRank {
            if let wait = node.expectedWait(for: model, waiting: ahead) { warmWait = min(warmWait ?? wait, wait) }
        }
        guard let warmWait else { return false }
        return warmWait <= coldCost
    }
}
