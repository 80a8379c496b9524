import Foundation
import Optimizer

/// The node table `ollama-distributed status` prints: one row per node (with each model's
/// adaptive limit when the optimizer is on), then the last error of every node that is not
/// healthy, then a line on the optimizer, then one row per API key when the gateway has keys.
public enum StatusTable {
    /// What status could read of the optimizer (`GET /ollamamax/optimizer`, an admin route).
    public enum OptimizerView: Sendable {
        case report(OptimizerReport)
        /// Why it could not be read, e.g. `needs an admin key`.
        case unreadable(String)
    }

    /// The table for `report`, `keys` and `optimizer`, read from the gateway at `url`.
    public static func render(_ report: NodesReport, keys: KeysReport? = nil, optimizer: OptimizerView? = nil, url: String) -> String {
        let limits = optimizer.flatMap(limitColumn)
        var rows = [
            ["NODE", "STATE", "CIRCUIT", "IN-FLIGHT"] + (limits == nil ? [] : ["LIMITS"]) + ["TTFT", "PROBE", "REQS", "FAILS", "MODELS", "LOADED"]
        ]
        for status in report.nodes {
            let node = status.node
            let resident = node.resident.sorted().joined(separator: ",")
            rows.append(
                [node.id, node.state.rawValue, node.circuit.rawValue, "\(node.inFlight)/\(node.limit)"]
                    + (limits.map { [$0[node.id] ?? "-"] } ?? []) + [
                        node.ttftEWMA.map { String(format: "%.0fms", $0 * 1000) } ?? "-",
                        status.probeLatencySeconds.map { String(format: "%.1fms", $0 * 1000) } ?? "down",
                        "\(status.requests)", "\(status.failures)", "\(node.models.count)",
                        resident.isEmpty ? "-" : resident,
                    ]
            )
        }
        var lines = ["OllamaMax at \(url): \(report.strategy.rawValue) routing, \(report.queued) queued"]
        lines += aligned(rows)
        for status in report.nodes where status.lastError != nil && status.node.state != .healthy {
            lines.append("  \(status.node.id): \(status.lastError ?? "")")
        }
        if let optimizer { lines.append(optimizerLine(optimizer)) }
        if let keys, !keys.keys.isEmpty {
            lines.append("")
            lines += aligned(keyRows(keys))
        }
        return lines.joined(separator: "\n")
    }

    /// Each node's cell of the LIMITS column: `model=limit/ceiling` per model it has served,
    /// by model (`:latest` left out, as Ollama's CLI does).
    /// Nil (no column) unless the optimizer was read and is on.
    static func limitColumn(_ optimizer: OptimizerView) -> [String: String]? {
        guard case .report(let report) = optimizer, report.snapshot.level != .off else { return nil }
        return Dictionary(grouping: report.snapshot.pairs, by: \.node).mapValues { pairs in
            pairs.sorted { $0.model < $1.model }.map { pair in
                let model = pair.model.hasSuffix(":latest") ? String(pair.model.dropLast(7)) : pair.model
                return "\(model)=\(pair.limit)/\(pair.ceiling)"
            }.joined(separator: ",")
        }
    }

    /// `optimizer: LEVEL, N decisions; the last: REASON`, or why it could not be read.
    static func optimizerLine(_ optimizer: OptimizerView) -> String {
        switch optimizer {
        case .unreadable(let why):
            return "optimizer: \(why)"
        case .report(let report) where report.snapshot.level == .off:
            return "optimizer: off (static limits)"
        case .report(let report):
            let decisions = report.snapshot.decisionCounts.values.reduce(0, +) + (report.interval?.decisionCounts.values.reduce(0, +) ?? 0)
            let last = [(report.snapshot.decisions.last.map { ($0.time, $0.reason) }), report.interval?.decisions.last.map { ($0.time, $0.reason) }]
                .compactMap { $0 }.max { $0.0 < $1.0 }
            return "optimizer: \(report.snapshot.level.rawValue), \(decisions) decision\(decisions == 1 ? "" : "s")"
                + (last.map { "; the last: \($0.1)" } ?? "")
        }
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
