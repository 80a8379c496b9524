import Alerting

/// One chart of the dashboard: PromQL queries over the gateway's own series, each result series
/// named by a label or a fixed legend.
public struct DashboardPanel: Sendable {
    /// One query of a panel.
    public struct Query: Sendable {
        public var expression: String
        /// A fixed name for its series (e.g. `p95`); nil: named by ``DashboardPanel/legendLabel``.
        public var legend: String?

        public init(_ expression: String, legend: String? = nil) {
            self.expression = expression
            self.legend = legend
        }
    }

    public var id: String
    public var title: String
    /// `per_second`, `seconds`, `bytes`, `ratio`, `count` or `tokens_per_second`: how the page formats values.
    public var unit: String
    public var queries: [Query]
    /// The label that names a series when its query has no fixed legend.
    public var legendLabel: String?
    /// Shown instead of an empty chart, e.g. which flag the panel needs.
    public var note: String?

    public init(id: String, title: String, unit: String, queries: [Query], legendLabel: String? = nil, note: String? = nil) {
        self.id = id
        self.title = title
        self.unit = unit
        self.queries = queries
        self.legendLabel = legendLabel
        self.note = note
    }

    /// The name of a result series of `query`.
    func name(of labels: Labels, query: Query) -> String {
        if let legend = query.legend { return legend }
        if let legendLabel, let value = labels.dictionary[legendLabel] { return value }
        let text = labels.removing("__name__").description
        return text == "{}" ? title : text
    }
}

extension DashboardPanel {
    static let monitoringNote = "needs --enable-performance-monitoring (a detailed-tier histogram)"

    /// The gateway's panels, in page order; those drawn from detailed-tier histograms carry a
    /// note when performance monitoring is off.
    public static func all(monitoring: Bool) -> [DashboardPanel] {
        let note = monitoring ? nil : monitoringNote
        let quantiles = [("p50", 0.5), ("p95", 0.95), ("p99", 0.99)]
        return [
            DashboardPanel(
                id: "requests",
                title: "Requests/s by route",
                unit: "per_second",
                queries: [Query(#"sum by (route) (rate(http_requests_total[1m]))"#)],
                legendLabel: "route"
            ),
            DashboardPanel(
                id: "errors",
                title: "Errors/s by kind",
                unit: "per_second",
                queries: [
                    Query(#"sum(rate(http_requests_total{status=~"5.."}[1m]))"#, legend: "5xx"),
                    Query(#"sum(rate(http_requests_total{status=~"4.."}[1m]))"#, legend: "4xx"),
                    Query(#"sum(rate(ollamamax_rejections_total[1m]))"#, legend: "rejected"),
                ]
            ),
            DashboardPanel(
                id: "latency",
                title: "Request latency",
                unit: "seconds",
                queries: quantiles.map { name, q in
                    Query("histogram_quantile(\(q), sum by (le) (rate(http_request_duration_seconds_bucket[1m])))", legend: name)
                },
                note: note
            ),
            DashboardPanel(
                id: "ttft",
                title: "Time to first token p95 by model",
                unit: "seconds",
                queries: [Query("histogram_quantile(0.95, sum by (le, model) (rate(ollamamax_time_to_first_token_seconds_bucket[1m])))")],
                legendLabel: "model",
                note: note
            ),
            DashboardPanel(
                id: "itl",
                title: "Inter-token gap p95 by model",
                unit: "seconds",
                queries: [Query("histogram_quantile(0.95, sum by (le, model) (rate(ollamamax_inter_token_latency_seconds_bucket[1m])))")],
                legendLabel: "model",
                note: note
            ),
            DashboardPanel(
                id: "tokens",
                title: "Output tokens/s by model",
                unit: "tokens_per_second",
                queries: [Query("sum by (model) (rate(ollamamax_output_tokens_total[1m]))")],
                legendLabel: "model"
            ),
            DashboardPanel(
                id: "inflight",
                title: "In flight by node",
                unit: "count",
                queries: [Query("sum by (node) (ollamamax_node_in_flight)")],
                legendLabel: "node"
            ),
            DashboardPanel(
                id: "queue",
                title: "Queue depth",
                unit: "count",
                queries: [Query("sum(ollamamax_queue_depth)", legend: "queued")]
            ),
            DashboardPanel(
                id: "cpu",
                title: "Gateway CPU (cores)",
                unit: "ratio",
                queries: [Query("rate(process_cpu_seconds_total[1m])", legend: "cpu")]
            ),
            DashboardPanel(
                id: "memory",
                title: "Gateway memory",
                unit: "bytes",
                queries: [
                    Query("process_resident_memory_bytes", legend: "resident"),
                    Query(#"process_heap_bytes{kind="in_use"}"#, legend: "heap in use"),
                ]
            ),
        ]
    }
}
