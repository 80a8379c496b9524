import Testing

@testable import Telemetry

struct MetricsRegistryTests {
    static func text(_ metrics: Metrics) -> String {
        String(decoding: metrics.render(), as: UTF8.self)
    }

    @Test func countersGaugesAndHistogramsRenderWithHelpAndType() throws {
        let metrics = Metrics(detailed: true)
        metrics.family(MetricCatalog.httpRequests).increment("GET", "/api/tags", "200")
        metrics.family(MetricCatalog.httpRequests).increment(by: 2, "GET", "/api/tags", "200")
        metrics.family(MetricCatalog.queueDepth).set(3)
        metrics.family(MetricCatalog.queueWait).observe(0.002)
        let families = try Exposition.parse(Self.text(metrics))
        #expect(families.value("http_requests_total", ["route": "/api/tags", "status": "200"]) == 3)
        #expect(families.value("ollamamax_queue_depth") == 3)
        #expect(families.value("ollamamax_queue_wait_seconds_count") == 1)
        #expect(families.value("ollamamax_queue_wait_seconds_bucket", ["le": "0.001"]) == 0)
        #expect(families.value("ollamamax_queue_wait_seconds_bucket", ["le": "0.005"]) == 1)
        let requests = try #require(families.first { $0.name == "http_requests_total" })
        #expect(requests.type == "counter")
        #expect(requests.help == MetricCatalog.httpRequests.help)
        #expect(Exposition.problems(in: Self.text(metrics)) == [])
    }

    @Test func labelValuesGivenSeparatelyOrAsAListNameTheSameSeries() throws {
        let metrics = Metrics(detailed: true)
        let requests = metrics.family(MetricCatalog.httpRequests)
        requests.increment("POST", "/api/chat", "200")
        let values = ["POST", "/api/chat", "200"]
        metrics.family(MetricCatalog.llmRequests).increment(by: 2, "node-0", "llama3.2:latest", "success")
        metrics.family(MetricCatalog.promptTokens).increment(by: 5, "node-0", "a-model-name-longer-than-fifteen-bytes")
        metrics.family(MetricCatalog.nodeInFlight).add(2, "node-0")
        metrics.family(MetricCatalog.nodeInFlight).add(-1, "node-0")
        metrics.family(MetricCatalog.httpRequestDuration).observe(0.003, "POST", "/api/chat")
        #expect(SeriesKey(values) == SeriesKey("POST", "/api/chat", "200"))
        #expect(SeriesKey(["a", "b"]) != SeriesKey("a", "b", ""))
        #expect(SeriesKey(["a", "b", "c", "d"]).values == ["a", "b", "c", "d"])
        #expect(SeriesKey("x").values == ["x"])
        let families = try Exposition.parse(Self.text(metrics))
        #expect(families.value("http_requests_total", ["method": "POST", "route": "/api/chat", "status": "200"]) == 1)
        #expect(families.value("ollamamax_llm_requests_total", ["node": "node-0", "outcome": "success"]) == 2)
        #expect(families.value("ollamamax_prompt_tokens_total", ["model": "a-model-name-longer-than-fifteen-bytes"]) == 5)
        #expect(families.value("ollamamax_node_in_flight", ["node": "node-0"]) == 1)
        #expect(families.value("http_request_duration_seconds_count", ["route": "/api/chat"]) == 1)
    }

    @Test func detailedFamiliesAreAbsentUnlessEnabled() throws {
        let metrics = Metrics(detailed: false)
        metrics.family(MetricCatalog.queueWait).observe(0.5)
        metrics.family(MetricCatalog.queueDepth).set(1)
        #expect(metrics.family(MetricCatalog.queueWait).enabled == false)
        let names = try Exposition.parse(Self.text(metrics)).map(\.name)
        #expect(names == ["ollamamax_queue_depth"])
    }

    @Test func labelValuesAreEscapedAndReadBackExactly() throws {
        let metrics = Metrics(detailed: false)
        let model = "naïve \"quoted\" back\\slash\nnew line 🦙"
        metrics.family(MetricCatalog.promptTokens).increment(by: 7, "node-1", model)
        let text = Self.text(metrics)
        #expect(text.contains(#"model="naïve \"quoted\" back\\slash\nnew line 🦙""#))
        #expect(try Exposition.parse(text).value("ollamamax_prompt_tokens_total", ["model": model]) == 7)
        #expect(Exposition.problems(in: text) == [])
    }

    @Test func removedGaugeSeriesDisappear() throws {
        let metrics = Metrics(detailed: false)
        let latency = metrics.family(MetricCatalog.nodeProbeLatency)
        latency.set(0.01, "a")
        latency.set(0.02, "b")
        latency.remove("a")
        let families = try Exposition.parse(Self.text(metrics))
        #expect(families.value("ollamamax_node_probe_latency_seconds", ["node": "a"]) == nil)
        #expect(families.value("ollamamax_node_probe_latency_seconds", ["node": "b"]) == 0.02)
    }

    @Test func modelLabelsPastTheLimitBecomeOther() {
        let limiter = LabelLimiter(limit: 2)
        #expect(limiter.label("a") == "a")
        #expect(limiter.label("b") == "b")
        #expect(limiter.label("c") == "other")
        #expect(limiter.label("a") == "a")
    }

    @Test func cpuCounterOnlyMovesForward() {
        let tally = CPUTally()
        #expect(tally.advance(to: 1.5) == 1.5)
        #expect(tally.advance(to: 2.0) == 0.5)
        #expect(tally.advance(to: 1.0) == 0)
        #expect(tally.advance(to: 2.25) == 0.25)
    }
}
