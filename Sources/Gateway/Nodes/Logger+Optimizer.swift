import Logging
import Optimizer

extension Logger {
    /// The structured line for a change of a (node, model) pair's adaptive limit, at info: rare
    /// (one per window at most), and the operator's record of why a node got less or more.
    func optimizerDecision(_ entry: DecisionLog.Entry) {
        let decision = entry.decision
        var metadata: Logger.Metadata = [
            "node": "\(entry.node)", "model": "\(entry.model)", "kind": "\(decision.kind.rawValue)",
            "from": "\(decision.from)", "to": "\(decision.to)", "reason": "\(decision.reason)",
        ]
        if let gradient = decision.gradient { metadata["gradient"] = "\(gradient)" }
        if let sample = decision.sampleLatency { metadata["sample_latency_seconds"] = "\(sample)" }
        if let long = decision.longLatency { metadata["long_latency_seconds"] = "\(long)" }
        info("optimizer decision", metadata: metadata)
    }
}
