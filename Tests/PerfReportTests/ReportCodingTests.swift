import Foundation
import PerfReport
import Testing

@Suite("Report JSON encoding")
struct ReportCodingTests {
    @Test func encodesSnakeCaseKeysInSortedOrder() throws {
        let text = String(decoding: try TestSupport.sampleReport().jsonData(), as: UTF8.self)
        #expect(text.contains("\"schema_version\" : 1"))
        #expect(text.contains("\"created_at\" : \"2026-11-29T00:53:20Z\""))
        #expect(text.contains("\"cpu_model\" : \"Intel(R) Xeon(R) Processor\""))
        #expect(text.contains("\"memory_bytes\" : 25769803776"))
        #expect(text.contains("\"direction\" : \"higher\""))
        #expect(!text.contains("cpuModel") && !text.contains("createdAt") && !text.contains("schemaVersion"))
        let benchmarks = try #require(text.range(of: "\"benchmarks\""))
        let metadata = try #require(text.range(of: "\"metadata\""))
        let version = try #require(text.range(of: "\"schema_version\""))
        #expect(benchmarks.lowerBound < metadata.lowerBound && metadata.lowerBound < version.lowerBound)
    }

    @Test func equalReportsEncodeToEqualBytes() throws {
        #expect(try TestSupport.sampleReport().jsonData() == TestSupport.sampleReport().jsonData())
    }

    @Test func decodingGivesBackTheSameReport() throws {
        let report = TestSupport.sampleReport()
        let decoded = try PerformanceReport.parse(try report.jsonData(), source: "current.json")
        #expect(decoded == report)
    }

    @Test func timelinePointsAreFlatObjectsWithT() throws {
        let data = try JSONEncoder().encode(TimelinePoint(t: 1.5, values: ["cpu": 0.5, "t": 99]))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Double])
        #expect(object == ["t": 1.5, "cpu": 0.5])
    }

    @Test func storedSummaryIsIgnoredAndRecomputed() throws {
        let json = """
            {"schema_version": 1, "metadata": {"created_at": "2026-11-29T00:00:00Z"},
             "benchmarks": [{"name": "A", "metrics": [{"name": "time", "unit": "ns", "direction": "lower",
               "deterministic": false, "samples": [1, 2, 3], "summary": {"count": 99}}]}]}
            """
        let report = try PerformanceReport.parse(Data(json.utf8), source: "current.json")
        let summary = try #require(report.benchmark(named: "A")?.metric(named: "time")).summary
        #expect(summary.count == 3)
        #expect(summary.median == 2)
    }

    @Test func absentOptionalFieldsAreLeftOut() throws {
        let report = PerformanceReport(
            metadata: Metadata(createdAt: TestSupport.dateString),
            benchmarks: [
                Benchmark(name: "A", metrics: [Metric(name: "time", unit: "ns", direction: .lowerIsBetter, samples: [1])])
            ]
        )
        let object = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        #expect(Set(object.keys) == ["schema_version", "metadata", "benchmarks"])
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(Array(metadata.keys) == ["created_at"])
        let benchmark = try #require((object["benchmarks"] as? [[String: Any]])?.first)
        #expect(Set(benchmark.keys) == ["name", "metrics"])
    }
}
