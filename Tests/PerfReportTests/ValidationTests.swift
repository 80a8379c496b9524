import Foundation
import PerfReport
import Testing

@Suite("Validation messages name the file, benchmark, metric and problem")
struct ValidationTests {
    /// A one-benchmark report JSON whose single metric has the given unit and samples.
    private func json(benchmark: String = "Gateway/chat", metric: String = "latency", unit: String = "ms", samples: String) -> Data {
        Data(
            """
            {"schema_version": 1, "metadata": {"created_at": "2026-11-29T00:00:00Z"},
             "benchmarks": [{"name": "\(benchmark)", "metrics": [{"name": "\(metric)", "unit": "\(unit)",
               "direction": "lower", "deterministic": false, "samples": \(samples)}]}]}
            """.utf8
        )
    }

    private func message(_ body: () throws(ReportError) -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return error.description
        }
    }

    @Test func emptySamplesAreRejected() {
        let text = message { () throws(ReportError) in _ = try PerformanceReport.parse(json(samples: "[]"), source: "current.json") }
        #expect(text == #"current.json: benchmark "Gateway/chat" metric "latency" has 0 samples (need at least 1)"#)
    }

    @Test func negativeDurationsAreRejected() {
        let text = message { () throws(ReportError) in _ = try PerformanceReport.parse(json(samples: "[1.5, -2.0]"), source: "current.json") }
        #expect(text == #"current.json: benchmark "Gateway/chat" metric "latency" sample 2 is -2.0 ms (a duration cannot be negative)"#)
    }

    @Test func negativeValuesOfOtherUnitsAreAllowed() throws {
        let report = try PerformanceReport.parse(json(metric: "rss_delta", unit: "B", samples: "[-4096]"), source: "current.json")
        #expect(report.benchmarks[0].metrics[0].samples == [-4096])
    }

    @Test func nanSamplesAreRejected() {
        var report = TestSupport.sampleReport()
        report.benchmarks[0].metrics[0].samples[2] = .nan
        let text = message { () throws(ReportError) in try report.validate(source: "current.json") }
        #expect(text == #"current.json: benchmark "Gateway/chat" metric "latency" sample 3 is nan (samples must be finite numbers)"#)
    }

    @Test func infiniteSamplesAreRejected() {
        var report = TestSupport.sampleReport()
        report.benchmarks[1].metrics[0].samples[0] = .infinity
        let text = message { () throws(ReportError) in try report.validate(source: "current.json") }
        #expect(text == #"current.json: benchmark "Gateway/version" metric "wall_clock" sample 1 is inf (samples must be finite numbers)"#)
    }

    @Test func duplicateBenchmarkNamesAreRejected() {
        var report = TestSupport.sampleReport()
        report.benchmarks[1].name = "Gateway/chat"
        let text = message { () throws(ReportError) in try report.validate(source: "current.json") }
        #expect(text == #"current.json: benchmark "Gateway/chat" appears 2 times (benchmark names must be unique)"#)
    }

    @Test func duplicateMetricNamesAreRejected() {
        var report = TestSupport.sampleReport()
        report.benchmarks[0].metrics[2].name = "latency"
        let text = message { () throws(ReportError) in try report.validate(source: "current.json") }
        #expect(text == #"current.json: benchmark "Gateway/chat" metric "latency" appears 2 times (metric names must be unique within a benchmark)"#)
    }

    @Test func unsupportedSchemaVersionIsRejectedBeforeAnythingElse() {
        let data = Data(#"{"schema_version": 2, "something_new": true}"#.utf8)
        let text = message { () throws(ReportError) in _ = try PerformanceReport.parse(data, source: "current.json") }
        #expect(text == "current.json: schema_version 2 is not supported (this build reads version 1)")
    }

    @Test func schemaVersionOfABuiltReportIsChecked() {
        var report = TestSupport.sampleReport()
        report.schemaVersion = 0
        let text = message { () throws(ReportError) in try report.validate(source: "baseline.json") }
        #expect(text == "baseline.json: schema_version 0 is not supported (this build reads version 1)")
    }

    @Test func nonFiniteTimelineValuesAreRejected() {
        var report = TestSupport.sampleReport()
        report.timeline?[1].values["cpu"] = .nan
        let text = message { () throws(ReportError) in try report.validate(source: "current.json") }
        #expect(text == "current.json: timeline point 2 has cpu = nan (values must be finite numbers)")
    }

    @Test func missingFieldsNameTheirPath() {
        let data = Data(
            """
            {"schema_version": 1, "metadata": {"created_at": "x"},
             "benchmarks": [{"name": "A", "metrics": [{"name": "time", "direction": "lower", "deterministic": false, "samples": [1]}]}]}
            """.utf8
        )
        let text = message { () throws(ReportError) in _ = try PerformanceReport.parse(data, source: "current.json") }
        #expect(text == #"current.json: at benchmarks[0].metrics[0]: missing key "unit""#)
    }

    @Test func validSampleReportPasses() throws {
        try TestSupport.sampleReport().validate(source: "current.json")
    }
}
