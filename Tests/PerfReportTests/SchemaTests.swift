import Foundation
import PerfReport
import Testing

@Suite("docs/report-schema.json matches the encoder")
struct SchemaTests {
    private func checker() throws -> SchemaChecker {
        try SchemaChecker(schema: try Data(contentsOf: TestSupport.docsFile("report-schema.json")))
    }

    private func schemaObject() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: TestSupport.docsFile("report-schema.json"))) as? [String: Any])
    }

    private func encoded(_ report: PerformanceReport) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
    }

    @Test func fullyPopulatedReportConforms() throws {
        #expect(try checker().problems(in: encoded(TestSupport.sampleReport())) == [])
    }

    @Test func schemaDeclaresExactlyTheKeysTheEncoderWrites() throws {
        let schema = try schemaObject()
        let definitions = try #require(schema["$defs"] as? [String: [String: Any]])
        func declared(_ properties: Any?) -> Set<String> {
            Set((properties as? [String: Any])?.keys ?? [:].keys)
        }
        let report = try encoded(TestSupport.sampleReport())
        let metadata = try #require(report["metadata"] as? [String: Any])
        let benchmark = try #require((report["benchmarks"] as? [[String: Any]])?.first)
        let metric = try #require((benchmark["metrics"] as? [[String: Any]])?.first)
        let written: [(String, [String: Any])] = [
            ("metadata", metadata),
            ("git", try #require(metadata["git"] as? [String: Any])),
            ("host", try #require(metadata["host"] as? [String: Any])),
            ("benchmark", benchmark),
            ("metric", metric),
            ("summary", try #require(metric["summary"] as? [String: Any])),
        ]
        #expect(Set(report.keys) == declared(schema["properties"]))
        for (name, object) in written {
            #expect(Set(object.keys) == declared(definitions[name]?["properties"]), "$defs/\(name)")
        }
    }

    @Test func schemaVersionConstantMatchesTheCode() throws {
        let properties = try #require(try schemaObject()["properties"] as? [String: [String: Any]])
        #expect(properties["schema_version"]?["const"] as? Int == PerformanceReport.currentSchemaVersion)
    }

    @Test func minimalReportConforms() throws {
        let report = PerformanceReport(
            metadata: Metadata(createdAt: TestSupport.dateString),
            benchmarks: [
                Benchmark(name: "A", metrics: [Metric(name: "time", unit: "ns", direction: .lowerIsBetter, samples: [1])])
            ]
        )
        #expect(try checker().problems(in: encoded(report)) == [])
    }

    @Test func checkerCatchesMissingWrongAndExtraFields() throws {
        var report = try encoded(TestSupport.sampleReport())
        var benchmarks = try #require(report["benchmarks"] as? [[String: Any]])
        var metrics = try #require(benchmarks[0]["metrics"] as? [[String: Any]])
        metrics[0]["unit"] = nil
        metrics[0]["direction"] = "sideways"
        metrics[0]["samples"] = ["fast"]
        benchmarks[0]["metrics"] = metrics
        benchmarks[0]["owner"] = "someone"
        report["benchmarks"] = benchmarks
        #expect(
            try Set(checker().problems(in: report)) == [
                "$.benchmarks[0]: unexpected key owner",
                "$.benchmarks[0].metrics[0]: missing required unit",
                "$.benchmarks[0].metrics[0].direction: sideways not in [\"lower\", \"higher\"]",
                "$.benchmarks[0].metrics[0].samples[0]: expected number, got string",
            ]
        )
    }

    @Test(arguments: ["report.json"])
    func fixtureConforms(name: String) throws {
        let object = try JSONSerialization.jsonObject(with: TestSupport.fixture(name))
        #expect(try checker().problems(in: object) == [])
    }

    @Test func reportFixtureIsTheSampleReport() throws {
        #expect(try PerformanceReport.load(path: TestSupport.fixturePath("report.json")) == TestSupport.sampleReport())
    }

    @Test func documentedExampleConformsAndLoads() throws {
        let markdown = try String(contentsOf: TestSupport.docsFile("report-format.md"), encoding: .utf8)
        let start = try #require(markdown.range(of: "```json\n"))
        let end = try #require(markdown.range(of: "\n```", range: start.upperBound..<markdown.endIndex))
        let example = Data(markdown[start.upperBound..<end.lowerBound].utf8)
        #expect(try checker().problems(in: JSONSerialization.jsonObject(with: example)) == [])
        let report = try PerformanceReport.parse(example, source: "report-format.md")
        #expect(report.benchmarks.isEmpty == false)
    }
}
