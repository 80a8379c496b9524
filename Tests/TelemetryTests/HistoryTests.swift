import Logging
import Testing

@testable import Telemetry

struct HistoryTests {
    @Test func ringBufferKeepsTheNewestInOrder() {
        var ring = RingBuffer<Int>(capacity: 3)
        #expect(ring.elements == [])
        #expect(ring.last == nil)
        for value in 1...5 { ring.append(value) }
        #expect(ring.elements == [3, 4, 5])
        #expect(ring.last == 5)
        #expect(ring.count == 3)
    }

    @Test func historyIsBoundedAndFiltersByTime() {
        let history = MetricHistory(capacity: 2, intervalSeconds: 5)
        for time in [10.0, 15, 20] { history.append(.init(time: time, values: [time])) }
        #expect(history.points().map(\.time) == [15, 20])
        #expect(history.points(after: 15).map(\.time) == [20])
        #expect(history.last?.time == 20)
    }

    static func scrape(requests: [String: Double], buckets: [Double], inFlight: Double, cpu: Double) -> [ExpositionFamily] {
        let bounds = ["0.1", "0.5", "1.0", "+Inf"]
        return [
            ExpositionFamily(
                name: "http_requests_total",
                type: "counter",
                samples: requests.map { ExpositionSample(name: "http_requests_total", labels: ["status": $0.key], value: $0.value) }
            ),
            ExpositionFamily(
                name: "http_request_duration_seconds",
                type: "histogram",
                samples: zip(bounds, buckets).map {
                    ExpositionSample(name: "http_request_duration_seconds_bucket", labels: ["le": $0.0, "route": "/a"], value: $0.1)
                }
            ),
            ExpositionFamily(
                name: "http_requests_in_flight",
                type: "gauge",
                samples: [ExpositionSample(name: "http_requests_in_flight", value: inFlight)]
            ),
            ExpositionFamily(
                name: "process_cpu_seconds_total",
                type: "counter",
                samples: [ExpositionSample(name: "process_cpu_seconds_total", value: cpu)]
            ),
        ]
    }

    @Test func seriesAreRatesAndQuantilesOverTheInterval() {
        let before = Self.scrape(requests: ["200": 100, "500": 0], buckets: [50, 90, 100, 100], inFlight: 2, cpu: 10)
        let after = Self.scrape(requests: ["200": 180, "500": 20], buckets: [50, 140, 200, 200], inFlight: 3, cpu: 15)
        let values = HistorySeries.derive(current: after, previous: before, seconds: 10)
        let point = MetricHistory.Point(time: 0, values: values)
        #expect(point.value(.requestsPerSecond) == 10)
        #expect(point.value(.serverErrorsPerSecond) == 2)
        #expect(point.value(.clientErrorsPerSecond) == 0)
        #expect(point.value(.errorRatio) == 0.2)
        // The interval's 100 requests: 0 under 0.1 s, 50 under 0.5 s, 100 under 1 s.
        #expect(point.value(.latencyP50) == 0.5)
        #expect(abs(point.value(.latencyP99) - 0.99) < 1e-9)
        #expect(point.value(.inFlight) == 3)
        #expect(point.value(.cpuUsage) == 0.5)
        #expect(point.value(.timeToFirstTokenP95).isNaN)
        #expect(point.value(.residentMemory).isNaN)
    }

    @Test func theFirstSampleHasNoRates() {
        let values = HistorySeries.derive(
            current: Self.scrape(requests: ["200": 5], buckets: [1, 1, 1, 1], inFlight: 1, cpu: 1),
            previous: nil,
            seconds: 0
        )
        let point = MetricHistory.Point(time: 0, values: values)
        #expect(point.value(.requestsPerSecond).isNaN)
        #expect(point.value(.latencyP50).isNaN)
        #expect(point.value(.inFlight) == 1)
    }

    @Test func aCounterResetCountsFromZero() {
        let before = Self.scrape(requests: ["200": 1000], buckets: [0, 0, 0, 0], inFlight: 0, cpu: 100)
        let after = Self.scrape(requests: ["200": 30], buckets: [0, 0, 0, 0], inFlight: 0, cpu: 2)
        let point = MetricHistory.Point(time: 0, values: HistorySeries.derive(current: after, previous: before, seconds: 10))
        #expect(point.value(.requestsPerSecond) == 3)
        #expect(point.value(.cpuUsage) == 0.2)
    }

    @Test func theSamplerRecordsWhatTheRegistryHolds() async throws {
        let metrics = Metrics(detailed: true)
        let history = MetricHistory(capacity: 10, intervalSeconds: 5)
        let sampler = MetricsSampler(metrics: metrics, history: history, logger: .init(label: "test")) {
            metrics.family(MetricCatalog.queueDepth).set(4)
        }
        let first = await sampler.sample(previous: nil)
        metrics.family(MetricCatalog.httpRequests).increment(by: 6, "GET", "/a", "200")
        _ = await sampler.sample(previous: first)
        let points = history.points()
        #expect(points.count == 2)
        #expect(points[1].value(.queueDepth) == 4)
        #expect(points[1].value(.requestsPerSecond) > 0)
    }
}
