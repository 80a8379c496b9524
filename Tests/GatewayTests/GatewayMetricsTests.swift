import Foundation
import Hummingbird
import LocalCluster
import NIOHTTP1
import NodeSimulator
import OllamaAPI
import Telemetry
import TestHTTP
import Testing

@testable import Gateway

/// `/metrics`: every route counted, LLM numbers equal to what the nodes reported, node and
/// process gauges, and the detailed tier only with performance monitoring.
@Suite(.timeLimit(.minutes(3)))
struct GatewayMetricsTests {
    static func scrape(_ client: TestClient) async throws -> [ExpositionFamily] {
        let answer = try await client.get("/metrics")
        #expect(answer.status == 200)
        #expect(answer.headers.first(name: "content-type") == Metrics.contentType)
        let text = answer.text
        #expect(Exposition.problems(in: text) == [])
        return try Exposition.parse(text)
    }

    /// A path that reaches `template`: captures get sample values.
    static func concretePath(_ template: String) -> String {
        template.split(separator: "/", omittingEmptySubsequences: false).map { part in
            if part == "**" { return "llama3.2:latest" }
            if part.hasPrefix(":") || part.hasPrefix("{") { return "sha256:" + String(repeating: "0", count: 64) }
            return String(part)
        }.joined(separator: "/")
    }

    /// The seed's "100% endpoint coverage": every route, the router's and the data plane's,
    /// called once, is in the metrics.
    @Test func everyRegisteredRouteAppearsInTheMetrics() async throws {
        // A sample every second: the dashboard's event stream notices its page has gone at the next one.
        try await withCluster([fastNode()], configure: { $0.monitoring.sampleInterval = .seconds(1) }) { client, cluster in
            let routes =
                cluster.gateway.makeRouter().routes.map { (method: $0.method.rawValue, path: $0.path.description) }
                + DataPlane.paths.sorted().map { (method: "POST", path: $0) }
            #expect(routes.count >= 25)
            for route in routes {
                if route.path == "/dashboard/events" {
                    // An endless stream: read its first event, then hang up; it is counted when it ends.
                    let head = try await client.head(of: route.path)
                    #expect(head.status == 200 && head.contentType == "text/event-stream", "\(head.status) \(head.text)")
                    continue
                }
                // A CPU profile lasts `seconds` (default 30): the shortest one is enough here.
                let path = Self.concretePath(route.path) + (route.path == "/debug/pprof/profile" ? "?seconds=1" : "")
                let body: String? =
                    route.method == "POST" || route.method == "DELETE"
                    ? #"{"model":"llama3.2","name":"x","source":"x","destination":"y"}"# : nil
                _ = try await client.send(HTTPMethod(rawValue: route.method), path, body)
            }
            try await eventually(within: 60, "the dashboard's event stream has ended") {
                let families = try? await Self.scrape(client)
                let requests = families?.first { $0.name == "http_requests_total" }
                return requests?.samples.contains { $0.labels["route"] == "/dashboard/events" } ?? false
            }
            let families = try await Self.scrape(client)
            let requests = try #require(families.first { $0.name == "http_requests_total" })
            for route in routes {
                let found = requests.samples.contains { $0.labels["method"] == route.method && $0.labels["route"] == route.path }
                #expect(found, "\(route.method) \(route.path) is missing from http_requests_total")
            }
        }
    }

    /// One proxy path: the router has no handler for a route the data plane answers (it could
    /// never be reached, and a second copy of the relaying rules would drift).
    @Test func theRouterLeavesTheDataPlanesRoutesToIt() async throws {
        try await withCluster([fastNode()]) { _, cluster in
            let routerPaths = Set(cluster.gateway.makeRouter().routes.filter { $0.method == .post }.map(\.path.description))
            #expect(routerPaths.intersection(DataPlane.paths).isEmpty)
            #expect(routerPaths == ["/api/pull", "/api/create", "/api/copy", "/api/blobs/{digest}"])
        }
    }

    @Test func tokenCountersEqualWhatTheNodesReported() async throws {
        try await withCluster([fastNode()], configure: { $0.monitoring.enabled = true }) { client, _ in
            var prompt = 0
            var output = 0
            for index in 0..<3 {
                let lines = try await client.post(
                    "/api/generate",
                    #"{"model":"llama3.2","prompt":"count \#(index)","options":{"num_predict":\#(5 + index)}}"#
                ).lines()
                let last = try #require(lines.last)
                prompt += last["prompt_eval_count"]?.intValue ?? 0
                output += last["eval_count"]?.intValue ?? 0
            }
            let whole = try await client.post("/api/chat", #"{"model":"llama3.2","messages":[{"role":"user","content":"hi"}],"stream":false}"#)
                .json()
            prompt += whole["prompt_eval_count"]?.intValue ?? 0
            output += whole["eval_count"]?.intValue ?? 0
            let families = try await Self.scrape(client)
            let labels = ["node": "sim-0", "model": "llama3.2:latest"]
            #expect(output > 0)
            #expect(families.value("ollamamax_prompt_tokens_total", labels) == Double(prompt))
            #expect(families.value("ollamamax_output_tokens_total", labels) == Double(output))
            #expect(families.value("ollamamax_llm_requests_total", labels.merging(["outcome": "success"]) { $1 }) == 4)
            // Three streamed answers have a first token; the whole chat answer does not count.
            #expect(families.value("ollamamax_time_to_first_token_seconds_count", labels) == 3)
            // One time per output token for each streamed answer of 5 to 7 tokens, none for the whole one.
            #expect(families.value("ollamamax_time_per_output_token_seconds_count", labels) == 3)
            #expect((families.value("ollamamax_time_per_output_token_seconds_sum", labels) ?? 0) > 0)
            #expect(families.value("ollamamax_llm_request_duration_seconds_count", labels) == 4)
            #expect(families.value("ollamamax_generation_speed_tokens_per_second_count", labels) == 4)
            // Gaps: one per chunk after the first, at least one per token line after the first.
            #expect((families.value("ollamamax_inter_token_latency_seconds_count", labels) ?? 0) >= 1)
            #expect(families.value("http_request_duration_seconds_count", ["route": "/api/generate"]) == 3)
        }
    }

    @Test func withoutMonitoringOnlyTheBasicTierIsExported() async throws {
        try await withCluster([fastNode()]) { client, _ in
            _ = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"hi"}"#)
            let families = try await Self.scrape(client)
            let names = Set(families.map(\.name))
            let detailed = Set(MetricCatalog.all.filter { $0.tier == .detailed }.map(\.name))
            #expect(names.isDisjoint(with: detailed))
            #expect(names.contains("ollamamax_output_tokens_total"))
            #expect(families.value("ollamamax_build_info", ["monitoring": "disabled"]) == 1)
            // Every exported family is in the catalog.
            #expect(names.subtracting(MetricCatalog.all.map(\.name)).isEmpty, "\(names.subtracting(MetricCatalog.all.map(\.name)))")
        }
    }

    @Test func nodeAndProcessGaugesDescribeTheCluster() async throws {
        try await withCluster([fastNode(), fastNode(models: ["qwen3:4b"])]) { client, _ in
            let families = try await Self.scrape(client)
            #expect(families.value("ollamamax_node_state", ["node": "sim-0", "state": "healthy"]) == 1)
            #expect(families.value("ollamamax_node_state", ["node": "sim-0", "state": "unhealthy"]) == 0)
            #expect(families.value("ollamamax_node_circuit_state", ["node": "sim-1", "state": "closed"]) == 1)
            #expect(families.value("ollamamax_node_models", ["node": "sim-1"]) == 1)
            #expect(families.value("ollamamax_node_in_flight", ["node": "sim-0"]) == 0)
            #expect((families.value("ollamamax_node_probe_latency_seconds", ["node": "sim-0"]) ?? -1) >= 0)
            #expect((families.value("process_resident_memory_bytes") ?? 0) > 1_000_000)
            #expect((families.value("process_open_fds") ?? 0) > 0)
            #expect((families.value("process_heap_bytes", ["kind": "in_use"]) ?? 0) > 0)
            #expect((families.value("process_threads") ?? 0) >= 1)
            // The scrape itself is in flight while it renders.
            #expect(families.value("http_requests_in_flight") == 1)
        }
    }

    @Test func rejectionsRetriesAndBytesAreCounted() async throws {
        var failing = fastNode()
        failing.faults.errorRate = 1
        try await withCluster(
            [failing, fastNode()],
            configure: {
                $0.strategy = .roundRobin
                $0.retryBackoff = .seconds(0.001)
            }
        ) { client, _ in
            for _ in 0..<4 {
                let answer = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"hi","stream":false}"#)
                #expect(answer.status == 200)
            }
            let missing = try await client.post("/api/generate", #"{"model":"nope","prompt":"hi"}"#)
            #expect(missing.status == 404)
            let families = try await Self.scrape(client)
            let retries = families.value("ollamamax_retries_total", ["node": "sim-0"]) ?? 0
            #expect(retries >= 1)
            #expect(families.value("ollamamax_failovers_total", ["node": "sim-1"]) == retries)
            #expect(families.value("http_requests_total", ["route": "/api/generate", "status": "404"]) == 1)
            let sent = Double(#"{"model":"llama3.2","prompt":"hi","stream":false}"#.utf8.count * 4 + #"{"model":"nope","prompt":"hi"}"#.utf8.count)
            #expect(families.value("http_request_size_bytes_total", ["route": "/api/generate"]) == sent)
            #expect((families.value("ollamamax_network_receive_bytes_total", ["peer": "node"]) ?? 0) > 0)
        }
    }
}

/// `GET /ollamamax/history`: the sampler's points, with or without performance monitoring.
@Suite(.timeLimit(.minutes(3)))
struct GatewayHistoryTests {
    @Test func historyHasAPointPerSampleWithTheTrafficRate() async throws {
        try await withCluster([fastNode()], configure: { $0.monitoring = .init(enabled: true, sampleInterval: .seconds(3600)) }) {
            client,
            cluster in
            let sampler = cluster.gateway.sampler
            let first = await sampler.sample(previous: nil)
            for _ in 0..<5 { _ = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"hi","stream":false}"#) }
            _ = await sampler.sample(previous: first)
            let report = try await client.get("/ollamamax/history").decode(HistoryReport.self)
            #expect(report.intervalSeconds == 3600)
            #expect(report.times.count >= 2)
            let rates = try #require(report.series["requests_per_second"])
            #expect(rates.count == report.times.count)
            #expect((rates.last ?? nil).map { $0 > 0 } == true)
            #expect(report.series.keys.sorted() == HistorySeries.allCases.map(\.rawValue).sorted())
            let later = try await client.get("/ollamamax/history?after=\(report.times.last ?? 0)").decode(HistoryReport.self)
            #expect(later.times.isEmpty)
        }
    }

    /// The history is sampled without performance monitoring too (the dashboard and the embedded
    /// alerting read it); the latency series need monitoring's histograms and stay unknown.
    @Test func historyIsSampledWithoutPerformanceMonitoring() async throws {
        try await withCluster([fastNode()]) { client, cluster in
            let sampler = cluster.gateway.sampler
            let first = await sampler.sample(previous: nil)
            _ = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"hi","stream":false}"#)
            _ = await sampler.sample(previous: first)
            let report = try await client.get("/ollamamax/history").decode(HistoryReport.self)
            #expect(report.times.count >= 2)
            #expect((report.series["requests_per_second"]?.last ?? nil).map { $0 > 0 } == true)
        }
    }
}
