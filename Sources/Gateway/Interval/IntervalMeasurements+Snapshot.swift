extension IntervalMeasurements {
    /// The measurements of one interval from the optimizer's pairs and each node's request count
    /// now and at the interval's start (a node missing from `before` counts from 0).
    ///
    /// A node's limit is the sum of its pairs' adaptive limits, at most its static limit (the
    /// pairs' ceiling); the answer time is the slowest pair's mean one.
    init(
        pairs: [OptimizerSnapshot.Pair],
        nodes: [String],
        requests: [String: Int],
        before: [String: Int],
        residentBytes: Int?,
        minimumResidentBytes: Int?
    ) {
        self.init(
            nodes: nodes.map { id in
                let own = pairs.filter { $0.node == id }
                let limit = own.reduce(0) { $0 + $1.limit }
                return Node(
                    id: id,
                    limit: min(limit, own.map(\.ceiling).max() ?? limit),
                    requests: max(0, (requests[id] ?? 0) - (before[id] ?? 0))
                )
            },
            answerSeconds: pairs.compactMap(\.requestSeconds).max(),
            residentBytes: residentBytes,
            minimumResidentBytes: minimumResidentBytes
        )
    }
}
