import Foundation

extension SoakSummary {
    /// The summary as the `soak` command prints it: the counts, the RSS windows, the most
    /// frequent failure reasons, each goal with PASS or FAIL, and the verdict last.
    public var text: String {
        var lines = [
            "soak: summary of \(Self.number(durationSeconds))s, \(streams) streams, a node killed every "
                + "\(Self.number(killIntervalSeconds))s (\(nodeKills) kills)\(interrupted ? ", ended early" : "")",
            "  requests: \(requests.started) started = \(requests.completed) completed + \(requests.cleanErrors) clean errors + "
                + "\(requests.hangs) hangs + \(requests.resets) resets + \(requests.interrupted) interrupted",
            "  malformed lines: \(malformedLines)",
            "  gateway RSS: " + rssText,
        ]
        lines += Self.reasons("clean errors", cleanErrorReasons) + Self.reasons("resets", resetReasons)
        let rssVerdict = goals.rssFlat.map { $0 ? "PASS" : "FAIL" } ?? "not judged (too few samples)"
        lines.append(
            "  goals: RSS flat \(rssVerdict), no hangs past \(Self.number(clientTimeoutSeconds))s \(goals.noHangs ? "PASS" : "FAIL"), "
                + "no malformed lines \(goals.noMalformedLines ? "PASS" : "FAIL")"
        )
        lines.append("soak: " + (passed ? "PASS" : interrupted ? "FAIL (the soak ended early)" : "FAIL"))
        return lines.joined(separator: "\n")
    }

    private var rssText: String {
        let window = Self.number(rssWindowSeconds)
        guard let second = rssSecondWindowMeanBytes, let last = rssLastWindowMeanBytes, let change = rssChange else {
            return "\(rssSamples.count) samples, too few for the \(window)s windows"
        }
        return "second \(window)s \(Self.mebibytes(second)), last \(window)s \(Self.mebibytes(last)) "
            + String(format: "(%+.1f%%, limit ±%.0f%%)", change * 100, Self.rssTolerance * 100)
    }

    private static func reasons(_ kind: String, _ reasons: [String: Int]) -> [String] {
        guard !reasons.isEmpty else { return [] }
        let top = reasons.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(5)
        return ["  \(kind) by reason:"] + top.map { "    \($0.value)  \($0.key)" }
    }

    private static func mebibytes(_ bytes: Double) -> String { String(format: "%.1f MiB", bytes / 1_048_576) }

    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
