import Foundation

/// The node table `ollama-distributed status` prints: one row per node, then the last error
/// of every node that is not healthy.
public enum StatusTable {
    /// The table for `report`, read from the gateway at `url`.
    public static func render(_ report: NodesReport, url: String) -> String {
        let header = ["NODE", "STATE", "CIRCUIT", "IN-FLIGHT", "TTFT", "PROBE", "REQS", "FAILS", "MODELS", "LOADED"]
        var rows = [header]
        for status in report.nodes {
            let node = status.node
            let resident = node.resident.sorted().joined(separator: ",")
            rows.append([
                node.id, node.state.rawValue, node.circuit.rawValue, "\(node.inFlight)/\(node.limit)",
                node.ttftEWMA.map { String(format: "%.0fms", $0 * 1000) } ?? "-",
                status.probeLatencySeconds.map { String(format: "%.1fms", $0 * 1000) } ?? "down",
                "\(status.requests)", "\(status.failures)", "\(node.models.count)",
                resident.isEmpty ? "-" : resident,
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = ["OllamaMax at \(url): \(report.strategy.rawValue) routing, \(report.queued) queued"]
        for row in rows {
            lines.append(
                row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                    .trimmingCharacters(in: .whitespaces)
            )
        }
        for status in report.nodes where status.lastError != nil && status.node.state != .healthy {
            lines.append("  \(status.node.id): \(status.lastError ?? "")")
        }
        return lines.joined(separator: "\n")
    }
}
