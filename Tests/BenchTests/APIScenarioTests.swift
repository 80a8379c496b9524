import Bench
import PerfReport
import Testing

/// The streaming scenarios of the Anthropic Messages and OpenAI Responses APIs, played for
/// real over a simulated node on 127.0.0.1 with tiny durations.
@Suite(.timeLimit(.minutes(3)))
struct APIScenarioTests {
    @Test func theMessagesAndResponsesScenariosStreamThroughTheGateway() async throws {
        var options = BenchOptions.quick(scenarios: [.streamingAnthropic, .streamingResponses])
        options.requestTimeout = BenchRunnerTests.requestTimeout
        options.count = 2
        options.duration = .milliseconds(200)
        let result = await BenchRunner(options: options).run(metadata: Metadata(createdAt: "2026-12-01T00:00:00Z"))
        #expect(result.failures.isEmpty, "\(result.failures)")
        #expect(result.report.benchmarks.map(\.name) == ["streaming-anthropic/nodes=1/threads=2", "streaming-responses/nodes=1/threads=2"])
        for benchmark in result.report.benchmarks {
            #expect(
                benchmark.metrics.map(\.name) == [
                    "throughput", "e2e_p50", "e2e_p95", "e2e_p99", "ttft_p50", "ttft_p95", "ttft_p99", "itl_p50", "error_rate",
                    "cpu_utilization", "cpu_per_request", "peak_rss",
                ],
                "\(benchmark.name)"
            )
            #expect(try #require(benchmark.metric(named: "error_rate")).samples == [0, 0], "\(benchmark.name)")
            // The node makes its first token 5 ms after the prompt and sends nothing before it: a
            // first token measured sooner would be an event that is no token (`message_start`,
            // `response.created`). The gaps are not bounded here: a loaded machine reads a token
            // late and shortens a request's mean gap; which events are tokens is pinned by
            // APIStreamTimingTests and the runner's timing against the simulator by APILoadRunnerTests.
            #expect(try #require(benchmark.metric(named: "ttft_p50")).summary.min >= 0.005 - 0.001, "\(benchmark.name)")
            #expect(try #require(benchmark.metric(named: "itl_p50")).summary.min > 0, "\(benchmark.name)")
        }
        try result.report.validate(source: "bench")
        #expect(
            Scenario.listing().split(separator: "\n").contains {
                $0.hasPrefix("streaming-anthropic ") && $0.contains(" streaming /v1/messages (Anthropic Messages), 4 clients")
            }
        )
    }
}
