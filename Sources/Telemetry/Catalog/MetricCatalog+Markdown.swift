extension MetricCatalog {
    /// docs/metrics.md: every family as a table row, generated from ``all``.
    public static func markdown() -> String {
        var text = """
            # Metrics

            Generated from `Sources/Telemetry/Catalog/MetricCatalog.swift`; a test fails when this file
            differs. Regenerate with `UPDATE_METRICS_DOC=1 swift test --filter catalogDocIsCurrent`.

            `GET /metrics` serves them in Prometheus text format 0.0.4. Families of tier **basic**
            are always collected; **detailed** ones only with `--enable-performance-monitoring` (or
            `ENABLE_PERFORMANCE_MONITORING=true`, or `monitoring.enabled: true` in the config file).
            A `model` label keeps its first `monitoring.model_label_limit` (default 100) distinct
            values; later models are counted as `other`.

            | name | type | unit | labels | tier | help |
            |---|---|---|---|---|---|

            """
        for definition in all {
            let labels = definition.labels.map { "`\($0)`" }.joined(separator: ", ")
            text +=
                "| `\(definition.name)` | \(definition.kind.rawValue) | \(definition.unit.isEmpty ? "-" : definition.unit) | \(labels.isEmpty ? "-" : labels) | \(definition.tier.rawValue) | \(definition.help) |\n"
        }
        text += "\n## Histogram buckets\n\n"
        for definition in all where definition.kind == .histogram {
            let bounds = definition.buckets.map { $0 == $0.rounded() ? String(Int($0)) : String($0) }
            text += "- `\(definition.name)`: \(bounds.joined(separator: ", ")), +Inf\n"
        }
        return text
    }
}
