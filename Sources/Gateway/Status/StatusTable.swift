import Foundation

/// The node table `ollama-distributed status` prints: one row per node, then the last error
/// of every node that is not healthy, then one row per API key when the gateway has keys.
public enum StatusTable {
    /// The table for `report` and `keys`, read from the gateway at `url`.
    public static func render(_ report: NodesReport, keys: KeysReport? = nil, url: String) -> String {
        var rows = [["NODE", "STATE", "CIRCUIT", "IN-FLIGHT", "TTFT", "PROBE", "REQS", "FAILS", "MODELS", "LOADED"]]
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
        var lines = ["OllamaMax at \(url): \(report.strategy.rawValue) routing, \(report.queued) queued"]
        lines += aligned(rows)
        for status in report.nodes where status.lastError != nil && status.node.state != .healthy {
            lines.append("  \(status.node.id): \(status.lastError ?? "")")
        }
        if let keys, !keys.keys.isEmpty {
            lines.append("")
            lines += aligned(keyRows(keys))
        }
        return lines.joined(separator: "\n")
    }

    /// The key table: name, role, counts and limits per minute ("-" for none); never the key.
    static func keyRows(_ report: KeysReport) -> [[String]] {
        var rows = [["KEY", "ROLE", "REQS", "PROMPT-TOKENS", "OUTPUT-TOKENS", "RATE-LIMITED", "FORBIDDEN", "RPM", "TPM"]]
        for key in report.keys {
            rows.append([
                key.name, key.role.rawValue, "\(key.requests)", "\(key.promptTokens)", "\(key.outputTokens)",
                "\(key.rateLimited)", "\(key.forbidden)", key.requestsPerMinute.map(String.init) ?? "-",
                key.tokensPerMinute.map(String.init) ?? "-",
            ])
        }
        return rows
    }

    /// `rows` as lines with columns padded to their widest cell.
    private static func aligned(_ rows: [[String]]) -> [String] {
        let count = rows.map(\.count).max() ?? 0
        let widths = (0..<count).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
    }
}
