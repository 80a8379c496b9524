import Optimizer

/// What `ollama-distributed optimize` prints: the limits and queue a gateway's optimizer has
/// converged to, as a `start --config` snippet for a static deployment (level `off`).
///
/// Per node: `max_in_flight` is the sum of its models' adaptive limits (at most its static
/// limit), `num_parallel` the largest parallelism the limiter learned for one of its models,
/// else its largest model limit; a node that has served nothing keeps its configured values.
/// The queue comes from the interval service's knobs when it has run.
public enum RecommendedConfig {
    /// The snippet for `optimizer` over the nodes of `nodes`, read from the gateway at `url`.
    public static func render(_ optimizer: OptimizerReport, nodes: NodesReport, url: String) -> String {
        let snapshot = optimizer.snapshot
        var lines = [
            "# What the optimizer of the gateway at \(url) converged to (level \(snapshot.level.rawValue)):",
            "# static limits for a gateway started with this file (optimization level off).",
            "nodes:",
        ]
        for status in nodes.nodes {
            let node = status.node
            let pairs = snapshot.pairs.filter { $0.node == node.id }.sorted { $0.model < $1.model }
            lines.append("  - url: \(node.url)")
            lines.append("    name: \(node.id)")
            guard !pairs.isEmpty else {
                lines.append("    max_in_flight: \(node.limit)  # no traffic seen: as configured")
                lines.append("    num_parallel: \(node.numParallel)")
                continue
            }
            let limit = min(node.limit, pairs.reduce(0) { $0 + $1.limit })
            let learned = pairs.compactMap(\.learnedParallelism).max()
            let parallel = learned ?? pairs.map(\.limit).max() ?? node.numParallel
            let perModel = pairs.map { "\($0.model) \($0.limit)" }.joined(separator: ", ")
            lines.append("    max_in_flight: \(limit)  # \(perModel) (configured \(node.limit))")
            lines.append(
                "    num_parallel: \(parallel)  # "
                    + (learned == nil ? "the largest model limit (no parallelism learned yet)" : "learned")
                    + " (configured \(node.numParallel))"
            )
        }
        if let knobs = optimizer.interval?.knobs {
            lines.append("queue_size: \(knobs.queueSize)")
            lines.append("queue_timeout: \(IntervalRules.number(knobs.queueTimeoutSeconds))s")
        } else {
            lines.append("# queue_size, queue_timeout: as configured (the interval service has not run)")
        }
        lines.append("optimization: {level: off}")
        return lines.joined(separator: "\n") + "\n"
    }
}
