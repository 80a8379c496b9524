import Alerting
import Console
import Foundation
import Hummingbird
import NIOCore
import Telemetry

/// The built-in console: `/dashboard` (the page), `/dashboard/events` (its live feed, Server-Sent
/// Events) and Prometheus' `/api/v1/rules` and `/api/v1/alerts` for the embedded alerting. All
/// read-only, for the `metrics` role (docs/console.md).
struct ConsoleRoutes: Sendable {
    let alerts: AlertService
    let feed: DashboardFeed
    let broadcast: SampleBroadcast
    let history: MetricHistory
    let pool: NodePool

    static let table: [RouterRoute<ConsoleRoutes>] = [
        RouterRoute(.get, "/dashboard", access: .metrics) { _, _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: DashboardPage.html))
            )
        },
        RouterRoute(.get, "/dashboard/events", access: .metrics) { routes, _, _ in routes.events() },
        RouterRoute(.get, "/api/v1/rules", access: .metrics) { routes, _, _ in json(routes.alerts.rules) },
        RouterRoute(.get, "/api/v1/alerts", access: .metrics) { routes, _, _ in json(routes.alerts.alerts) },
    ]

    func register(on router: Router<BasicRequestContext>, access: AccessControl?) {
        router.add(Self.table, owner: self, access: access)
    }

    /// The event stream of one page: the panels and their window, then at every sample the new
    /// points, the nodes, the alerts and the headline numbers, until the page goes or the gateway stops.
    func events() -> Response {
        let samples = broadcast.subscribe()
        let routes = self
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                let now = Date().timeIntervalSince1970
                var first = "retry: 2000\n\n" + feed.panelsEvent().text
                for event in feed.rangeEvents(now: now) { first += event.text }
                first += routes.state().map(\.text).joined()
                try await writer.write(ByteBuffer(string: first))
                for await time in samples {
                    let text = feed.sampleEvent(at: time).text + routes.state().map(\.text).joined()
                    try await writer.write(ByteBuffer(string: text))
                }
                try await writer.finish(nil)
            }
        )
    }

    /// The `nodes`, `alerts` and `stats` events as of now.
    func state() -> [ServerSentEvent] {
        struct Node: Encodable {
            var id: String
            var url: String
            var state: String
            var circuit: String
            var in_flight: Int
            var limit: Int?
            var models: [String]
            var ttft_estimate_seconds: Double?
        }
        struct Nodes: Encodable { var nodes: [Node] }
        let statuses = pool.status()
        let nodes = Nodes(
            nodes: statuses.map { status in
                let node = status.node
                return Node(
                    id: node.id,
                    url: node.url,
                    state: node.state.rawValue,
                    circuit: "\(node.circuit)",
                    in_flight: node.inFlight,
                    limit: node.limit,
                    models: node.models.sorted(),
                    ttft_estimate_seconds: node.ttftEWMA
                )
            }
        )
        struct Alerts: Encodable {
            var alerts: [APIAlert]
            var rules_loaded: Int
        }
        let alertList = Alerts(alerts: alerts.activeAlerts.map(APIAlert.init), rules_loaded: alerts.ruleCount)
        let point = history.last
        func value(_ series: HistorySeries) -> Double? { point.map { $0.value(series) }.flatMap { $0.isFinite ? $0 : nil } }
        struct Stats: Encodable {
            var requests_per_second: Double?
            var error_ratio: Double?
            var p95_seconds: Double?
            var in_flight: Double?
            var healthy_nodes: Double?
            var nodes: Int
            var cpu_ratio: Double?
            var rss_bytes: Double?
            var queue_depth: Int
        }
        let stats = Stats(
            requests_per_second: value(.requestsPerSecond),
            error_ratio: value(.errorRatio),
            p95_seconds: value(.latencyP95),
            in_flight: value(.inFlight),
            healthy_nodes: value(.healthyNodes),
            nodes: statuses.count,
            cpu_ratio: value(.cpuUsage),
            rss_bytes: value(.residentMemory),
            queue_depth: pool.queued
        )
        return [
            ServerSentEvent(event: "nodes", json: nodes), ServerSentEvent(event: "alerts", json: alertList),
            ServerSentEvent(event: "stats", json: stats),
        ]
    }

    static func json(_ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data()
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
