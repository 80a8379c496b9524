import Foundation

extension Comparison {
    /// Markdown for a pull-request comment: the verdict first, then the table.
    public func markdown() -> String {
        var text = hasRegression ? "### ❌ Performance regression\n\n" : "### ✅ No performance regression\n\n"
        text += summaryLine + "\n\n"
        text += "| benchmark | metric | baseline | current | change | p | verdict |\n|---|---|---:|---:|---:|---:|---|\n"
        for item in comparisons {
            let verdict = item.verdict == .regression ? "**\(item.verdict.symbol)**" : item.verdict.symbol
            text +=
                "| \(Self.escape(item.benchmark)) | \(Self.escape(item.metric))\(item.unit.isEmpty ? "" : " (\(Self.escape(item.unit)))") | \(Self.cell(item.baseline)) | \(Self.cell(item.current)) | \(Self.percent(item.change)) | \(item.pValue.map { Self.pText($0) } ?? (item.deterministic ? "exact" : "-")) | \(verdict) |\n"
        }
        let notes = comparisons.compactMap { item in item.note.map { "- \(Self.escape(item.benchmark)) \(Self.escape(item.metric)): \($0)" } }
        if !notes.isEmpty { text += "\n" + notes.joined(separator: "\n") + "\n" }
        if !added.isEmpty { text += "\nAdded (no baseline): \(added.map { "`\($0)`" }.joined(separator: ", "))\n" }
        if !removed.isEmpty { text += "\nRemoved (baseline only): \(removed.map { "`\($0)`" }.joined(separator: ", "))\n" }
        text +=
            "\nA regression is a change that is statistically significant (two-sided Mann-Whitney U, p < alpha) and larger than the threshold in the metric's bad direction; `~` is anything else.\n"
        return text
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
