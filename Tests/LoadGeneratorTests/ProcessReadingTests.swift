import PerfReport
import TestHTTP
import Testing

@testable import LoadGenerator

/// `load`'s resource timeline: a target's `/metrics` text read into process figures, rates
/// between two readings, and which targets are on this machine.
@Suite struct ProcessReadingTests {
    static let gatewayText = """
        # HELP process_cpu_seconds_total User and system CPU time of the process.
        # TYPE process_cpu_seconds_total counter
        process_cpu_seconds_total 12.5
        # TYPE process_resident_memory_bytes gauge
        process_resident_memory_bytes 73400320
        process_virtual_memory_bytes 900000000
        process_threads 9
        # TYPE ollamamax_network_receive_bytes_total counter
        ollamamax_network_receive_bytes_total{peer="client"} 1000
        ollamamax_network_receive_bytes_total{peer="node"} 24000
        ollamamax_network_transmit_bytes_total{peer="client",note="a } in {quotes}"} 20000 1700000000000
        ollamamax_network_transmit_bytes_total{peer="node"} 1500
        process_threads_other 77
        """

    @Test func theGatewaysProcessFamiliesAreReadAndNetworkPeersSummed() throws {
        let reading = try #require(ProcessReading(metricsText: Self.gatewayText))
        #expect(reading == ProcessReading(cpuSeconds: 12.5, residentBytes: 73_400_320, threads: 9, receivedBytes: 25_000, transmittedBytes: 21_500))
    }

    @Test func textWithoutProcessCPUOrMemoryIsNoReading() {
        #expect(ProcessReading(metricsText: "") == nil)
        #expect(ProcessReading(metricsText: "# TYPE x counter\nx 1\n") == nil)
        #expect(ProcessReading(metricsText: "process_cpu_seconds_total 3\n") == nil)
        #expect(ProcessReading(metricsText: "process_resident_memory_bytes 3\n") == nil)
        #expect(ProcessReading(metricsText: "<html>not found</html>") == nil)
    }

    @Test func nonFiniteAndMalformedSamplesAreIgnored() throws {
        let text = "process_cpu_seconds_total 2\nprocess_resident_memory_bytes 10\nprocess_threads NaN\nprocess_threads{x=\"1\" 4\n"
        let reading = try #require(ProcessReading(metricsText: text))
        #expect(reading == ProcessReading(cpuSeconds: 2, residentBytes: 10))
    }

    @Test func aFirstReadingHasGaugesOnlyAndALaterOneRatesOverTheGap() {
        let before = ProcessReading(cpuSeconds: 10, residentBytes: 1000, threads: 8, receivedBytes: 500, transmittedBytes: 100)
        let after = ProcessReading(cpuSeconds: 13, residentBytes: 2000, threads: 9, receivedBytes: 4500, transmittedBytes: 900)
        #expect(before.timelineValues(since: nil, seconds: 0) == ["rss_bytes": 1000, "threads": 8])
        #expect(
            after.timelineValues(since: before, seconds: 2)
                == ["rss_bytes": 2000, "threads": 9, "cpu": 1.5, "net_rx_bytes_per_second": 2000, "net_tx_bytes_per_second": 400]
        )
    }

    @Test func aCounterThatWentDownGivesNoRate() {
        let before = ProcessReading(cpuSeconds: 50, residentBytes: 1000, receivedBytes: 500)
        let restarted = ProcessReading(cpuSeconds: 1, residentBytes: 900, receivedBytes: 600)
        #expect(restarted.timelineValues(since: before, seconds: 1) == ["rss_bytes": 900, "net_rx_bytes_per_second": 100])
    }

    @Test func seriesPointsTakeEachRateOverTheGapSinceThePreviousReading() {
        let series = TargetSampler.Series()
        series.add(ProcessReading(cpuSeconds: 1, residentBytes: 100), at: .milliseconds(0))
        series.add(ProcessReading(cpuSeconds: 2, residentBytes: 200), at: .milliseconds(500))
        series.add(ProcessReading(cpuSeconds: 2.25, residentBytes: 300), at: .milliseconds(1500))
        #expect(
            series.points == [
                TimelinePoint(t: 0, values: ["rss_bytes": 100]), TimelinePoint(t: 0.5, values: ["rss_bytes": 200, "cpu": 2]),
                TimelinePoint(t: 1.5, values: ["rss_bytes": 300, "cpu": 0.25]),
            ]
        )
    }

    @Test(arguments: [
        ("http://127.0.0.1:8080", true), ("http://127.1.2.3", true), ("http://localhost:11434", true), ("http://[::1]:8080", true),
        ("http://LOCALHOST", true), ("http://10.0.0.5:8080", false), ("https://gateway.example/ollama", false),
        ("http://127.example.com", false),
    ])
    func onlyLoopbackHostsAreThisMachine(url: String, loopback: Bool) throws {
        #expect(try LoadAddress(url: url).isLoopback == loopback)
        #expect(try TargetSampler(url: url, interval: .seconds(1)).onThisMachine == loopback)
    }

    @Test func theScrapedURLIsTheBaseURLsMetrics() throws {
        #expect(try TargetSampler(url: "http://10.0.0.5:8080/", interval: .seconds(1)).metricsURL == "http://10.0.0.5:8080/metrics")
    }

    @Test func theSimulatorServesNoProcessMetricsSoItIsNotSampled() async throws {
        try await withSimulator { client, _ in
            let sampler = try TargetSampler(url: client.base, interval: .milliseconds(200))
            #expect(await sampler.read() == nil)
            let (value, timeline) = await sampler.sampling { 7 }
            #expect(value == 7)
            #expect(timeline.isEmpty)
        }
    }
}
