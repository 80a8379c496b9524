import PerfReport
import Testing

/// The one naming rule for metric roles: `<base>` per request, `<base>_pNN` per repetition.
struct MetricRolesTests {
    static func metric(_ name: String, _ unit: String, _ samples: [Double]) -> Metric {
        Metric(name: name, unit: unit, direction: .lowerIsBetter, samples: samples)
    }

    @Test(
        arguments: [
            ("e2e", "e2e", nil), ("e2e_p95", "e2e", 95), ("e2e_p99", "e2e", 99), ("ttft_p50", "ttft", 50),
            ("latency", "e2e", nil), ("latency_p95", "e2e", 95), ("ttft_ratio", "ttft_ratio", nil),
            ("cpu_per_request", "cpu_per_request", nil), ("first_node_share", "first_node_share", nil),
            ("e2e_p", "e2e_p", nil), ("e2e_p1000", "e2e_p1000", nil), ("_p95", "_p95", nil), ("wall_clock_p100", "wall_clock", 100),
        ] as [(String, String, Int?)]
    )
    func namesReadAsABaseAndAnOptionalPercentile(name: String, base: String, percentile: Int?) {
        let parsed = MetricName(name)
        #expect(parsed.base == base && parsed.percentile == percentile && parsed.description == name)
    }

    @Test func everyNameBenchAndLoadWriteHasItsRole() {
        let roles = [
            "e2e", "e2e_p95", "latency_p50", "ttft", "itl_p50", "tpot", "wall_clock", "throughput", "output_tokens_per_second",
            "error_rate", "cpu_utilization", "peak_rss", "allocations_per_op", "ttft_ratio", "goodput",
        ].map { MetricName($0).role }
        #expect(
            roles == [
                .requestLatency, .requestLatency, .requestLatency, .tokenLatency, .tokenLatency, .tokenLatency, .timing, .rate,
                .rate, .errorRate, .resource, .resource, .allocation, .other, .other,
            ]
        )
    }

    @Test func p95LatencyIsThePerRequestP95OrTheMedianOfEachRepetitionsP95() throws {
        let perRequest = Benchmark(name: "load", metrics: [Self.metric("e2e", "s", (1...20).map { Double($0) / 10 })])
        let load = try #require(MetricRoles.p95RequestLatency(of: perRequest))
        #expect(abs(load.seconds - 1.905) < 1e-12 && load.metric.name == "e2e" && load.rule == "p95 of 20 request(s)")
        let bench = Benchmark(
            name: "throughput/nodes=1/threads=2",
            metrics: [
                Self.metric("e2e_p50", "s", [0.1, 0.1, 0.1, 0.1]), Self.metric("e2e_p95", "ms", [200, 400, 300, 500]),
            ]
        )
        let repeated = try #require(MetricRoles.p95RequestLatency(of: bench))
        #expect(abs(repeated.seconds - 0.35) < 1e-12 && repeated.metric.name == "e2e_p95" && repeated.rule == "median of 4 repetition(s)' p95")
        let legacy = Benchmark(name: "old", metrics: [Self.metric("latency_p95", "s", [0.2, 0.4])])
        let old = try #require(MetricRoles.p95RequestLatency(of: legacy))
        #expect(abs(old.seconds - 0.3) < 1e-12 && old.metric.name == "latency_p95")
        let timing = Benchmark(name: "micro", metrics: [Self.metric("wall_clock", "ns", [1, 2]), Self.metric("ttft_p95", "s", [1, 2])])
        #expect(MetricRoles.p95RequestLatency(of: timing) == nil)
    }

    @Test func primaryPrefersPerRequestThenTheMedianPerRepetition() {
        #expect(MetricRoles.primary(amongNames: ["throughput", "e2e_p95", "e2e_p50"]) == "e2e_p50")
        #expect(MetricRoles.primary(amongNames: ["throughput", "latency_p95", "error_rate"]) == "latency_p95")
        #expect(MetricRoles.primary(amongNames: ["ttft", "e2e_p50", "e2e"]) == "e2e")
        #expect(MetricRoles.primary(amongNames: ["throughput", "error_rate"]) == "throughput")
        let bench = Benchmark(name: "b", metrics: [Self.metric("throughput", "req/s", [1, 2]), Self.metric("e2e_p95", "s", [1, 2])])
        #expect(MetricRoles.primary(of: bench)?.name == "e2e_p95")
    }

    @Test func latencyLookupsTellRequestsFromRepetitions() {
        let bench = Benchmark(name: "b", metrics: [Self.metric("ttft_p95", "s", [1, 2]), Self.metric("latency_p95", "s", [1, 2])])
        #expect(MetricRoles.latency(of: bench) == nil && MetricRoles.requestLatency(of: bench) == nil)
        #expect(MetricRoles.repetitionLatency(of: bench, percentile: 95)?.name == "latency_p95")
        let load = Benchmark(name: "l", metrics: [Self.metric("ttft", "s", [1, 2]), Self.metric("e2e", "count", [1, 2])])
        #expect(MetricRoles.latency(of: load)?.name == "ttft" && MetricRoles.requestLatency(of: load) == nil)
    }
}
