import Foundation
import PerfReport
import Testing

@Suite("Exporters")
struct ExporterTests {
    @Test func goTextHasOneLinePerSampleIndexAndUnitMetadata() {
        let text = GoBenchExporter().export(TestSupport.sampleReport())
        #expect(
            text == """
                scenario: chat
                Unit latency[ms] better=lower assume=nothing
                Unit throughput[req/s] better=higher assume=nothing
                Unit allocs/op better=lower assume=exact
                Unit wall_clock[s] better=lower assume=nothing
                pkg: gateway
                BenchmarkGateway/chat 1 12.5 latency[ms] 410.0 throughput[req/s] 17.0 allocs/op
                BenchmarkGateway/chat 1 11.0 latency[ms] 398.0 throughput[req/s] 17.0 allocs/op
                BenchmarkGateway/chat 1 13.25 latency[ms] 402.0 throughput[req/s] 17.0 allocs/op
                BenchmarkGateway/chat 1 12.0 latency[ms]
                BenchmarkGateway/chat 1 11.5 latency[ms]
                pkg:
                BenchmarkGateway/version 1 0.002 wall_clock[s]
                BenchmarkGateway/version 1 0.0025 wall_clock[s]

                """
        )
    }

    @Test func reportSurvivesARoundTripThroughGoText() throws {
        let original = TestSupport.sampleReport()
        let text = GoBenchExporter().export(original)
        let imported = try PerformanceReport.parse(Data(text.utf8), source: "roundtrip.txt", createdAt: TestSupport.date)
        #expect(imported.benchmarks.map(\.name) == original.benchmarks.map(\.name))
        #expect(imported.benchmarks.map(\.group) == original.benchmarks.map(\.group))
        #expect(imported.benchmarks.map(\.metrics) == original.benchmarks.map(\.metrics))
        #expect(imported.metadata.labels?["scenario"] == "chat")
    }

    @Test func importedGoFixtureSurvivesARoundTrip() throws {
        let original = try PerformanceReport.load(path: try TestSupport.fixturePath("go-bench.txt"))
        let text = GoBenchExporter().export(original)
        let again = try GoBenchImporter().parse(text: text, source: "again.txt", createdAt: TestSupport.date)
        #expect(again.benchmarks.map(\.metrics) == original.benchmarks.map(\.metrics))
        #expect(text.contains("BenchmarkRoute/nodes=8 1 89.7 ns/op 8.0 nodes/op 48.0 B/op 1.0 allocs/op\n"))
        #expect(text.contains("Unit B/op better=lower assume=exact\n"))
    }

    @Test func bencherFormatUsesMedianMinAndMaxPerKebabCaseMeasure() throws {
        let data = try BencherExporter().export(TestSupport.sampleReport())
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: [String: Double]]])
        #expect(Set(document.keys) == ["Gateway/chat", "Gateway/version"])
        #expect(
            document["Gateway/chat"] == [
                "latency": ["value": 12, "lower_value": 11, "upper_value": 13.25],
                "throughput": ["value": 402, "lower_value": 398, "upper_value": 410],
                "allocations": ["value": 17, "lower_value": 17, "upper_value": 17],
            ]
        )
        #expect(document["Gateway/version"]?.keys.sorted() == ["wall-clock"])
    }

    @Test func githubActionBenchmarkSplitsByDirection() throws {
        let exporter = GitHubActionBenchmarkExporter()
        let smaller = try exporter.export(TestSupport.sampleReport(), direction: .lowerIsBetter)
        let bigger = try exporter.export(TestSupport.sampleReport(), direction: .higherIsBetter)
        let smallerEntries = try #require(try JSONSerialization.jsonObject(with: smaller) as? [[String: Any]])
        let biggerEntries = try #require(try JSONSerialization.jsonObject(with: bigger) as? [[String: Any]])
        #expect(
            smallerEntries.compactMap { $0["name"] as? String } == [
                "Gateway/chat - latency", "Gateway/chat - allocations", "Gateway/version - wall_clock",
            ]
        )
        #expect(biggerEntries.count == 1)
        let throughput = biggerEntries[0]
        #expect(throughput["name"] as? String == "Gateway/chat - throughput")
        #expect(throughput["unit"] as? String == "req/s")
        #expect(throughput["value"] as? Double == 402)
        #expect(throughput["range"] as? String == "± 6.1101")
        #expect(throughput["extra"] as? String == "n=3 mean=403.333 min=398 max=410")
        #expect(smallerEntries[0]["range"] as? String == "± 0.873212")
    }
}
