import Foundation
import PerfReport
import Testing

@Suite("hyperfine and package-benchmark import")
struct JSONImporterTests {
    @Test func hyperfineTimesBecomeWallClockSamplesInSeconds() throws {
        let report = try HyperfineImporter().parse(try TestSupport.fixture("hyperfine.json"), source: "hyperfine.json", createdAt: TestSupport.date)
        #expect(report.benchmarks.map(\.name) == ["sleep 0.01", "true"])
        let sleep = try #require(report.benchmark(named: "sleep 0.01")?.metrics)
        #expect(sleep.count == 1)
        #expect(sleep[0].name == "wall_clock" && sleep[0].unit == "s" && sleep[0].direction == .lowerIsBetter && !sleep[0].deterministic)
        #expect(sleep[0].samples == [0.015230037660000003, 0.01608957366, 0.01736147766, 0.029638172660000003, 0.02147219366])
        #expect(report.benchmark(named: "true")?.metrics[0].samples == [0.0, 0.0, 0.00537503766, 0.00230658966, 0.0])
        #expect(report.metadata.labels == ["source_format": "hyperfine"])
    }

    @Test func hyperfineMemoryAndParametersAreKept() throws {
        let json = """
            {"results": [{"command": "gzip -9 data", "mean": 1, "times": [0.5, 0.6], "memory_usage_byte": [4096000, 4100000],
              "exit_codes": [0, 0], "parameters": {"level": "9"}}]}
            """
        let report = try PerformanceReport.parse(Data(json.utf8), source: "hf.json", createdAt: TestSupport.date)
        let benchmark = report.benchmarks[0]
        #expect(benchmark.tags == ["level=9"])
        let memory = try #require(benchmark.metric(named: "peak_memory"))
        #expect(memory.unit == "B" && !memory.deterministic && memory.samples == [4_096_000, 4_100_000])
    }

    @Test func hyperfineWithoutTimesNamesThePath() {
        do {
            _ = try HyperfineImporter().parse(Data(#"{"results": [{"command": "true"}]}"#.utf8), source: "hf.json", createdAt: TestSupport.date)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == #"hf.json: at results[0]: missing key "times""#)
        }
    }

    @Test func packageBenchmarkJMHExportMapsNamesUnitsAndDirections() throws {
        let data = try TestSupport.fixture("package-benchmark.jmh.json")
        let report = try PackageBenchmarkImporter().parse(data, source: "jmh.json", createdAt: TestSupport.date)
        #expect(report.benchmarks.map(\.name) == ["Join", "Route_nodes=8"])
        #expect(report.benchmarks.map(\.group) == ["Try", "Try"])

        let join = try #require(report.benchmark(named: "Join"))
        #expect(join.metrics.map(\.name) == ["allocations", "cpu_total", "peak_memory_resident", "throughput", "wall_clock"])
        #expect(join.metrics.map(\.unit) == ["count", "ns", "B", "ops/s", "ns"])
        #expect(join.metrics.map(\.direction) == [.lowerIsBetter, .lowerIsBetter, .lowerIsBetter, .higherIsBetter, .lowerIsBetter])
        #expect(join.metrics.map(\.deterministic) == [true, false, false, false, false])
        #expect(join.metric(named: "wall_clock")?.samples == [434, 436, 443, 464, 466, 470, 473, 476, 505, 622, 868, 5255])
        #expect(join.metric(named: "allocations")?.samples == Array(repeating: 17, count: 12))
        #expect(join.metric(named: "throughput")?.samples.first == 190_335)
        #expect(join.metric(named: "throughput")?.samples.count == 12)

        let route = try #require(report.benchmark(named: "Route_nodes=8"))
        #expect(route.metric(named: "wall_clock")?.samples == [1070, 1088, 1089, 1155, 1191, 1253, 1301, 1421, 1468, 1514, 1547, 4063])
        #expect(route.metric(named: "peak_memory_resident")?.summary.median == 24_150_015)
    }

    @Test func packageBenchmarkNamesSplitAtTheFirstDotAfterThePrefix() throws {
        let json = """
            [{"benchmark": "package.benchmark.Codec.Decode.v2", "mode": "thrpt",
              "primaryMetric": {"scoreUnit": "# / s", "rawData": [[10, 20]]},
              "secondaryMetrics": {"My Custom (metric)": {"scoreUnit": "#", "rawData": [[3]]}}}]
            """
        let report = try PerformanceReport.parse(Data(json.utf8), source: "jmh.json", createdAt: TestSupport.date)
        #expect(report.benchmarks[0].name == "Decode.v2" && report.benchmarks[0].group == "Codec")
        let custom = try #require(report.benchmarks[0].metric(named: "my_custom_metric"))
        #expect(custom.unit == "count" && custom.direction == .lowerIsBetter && custom.samples == [3])
    }
}
