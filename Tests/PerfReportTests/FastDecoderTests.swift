import Foundation
import Testing

@testable import PerfReport

/// The fast path for our own reports gives exactly what JSONDecoder gives, and steps aside for
/// anything unusual so the slow path can explain it.
@Suite("Fast report decoding")
struct FastDecoderTests {
    static func both(_ data: Data) throws -> (fast: PerformanceReport?, codable: PerformanceReport) {
        (FastReportDecoder.decode(data), try JSONDecoder().decode(PerformanceReport.self, from: data))
    }

    @Test func ourOwnOutputDecodesIdentically() throws {
        let data = try TestSupport.sampleReport().jsonData()
        let (fast, codable) = try Self.both(data)
        #expect(fast == codable)
        #expect(fast?.timeline?.count == 2)
        #expect(fast?.benchmarks.first?.tags == ["http"])
    }

    @Test func compactAndReorderedJSONDecodesIdentically() throws {
        let text = #"""
            {"benchmarks":[{"metrics":[{"samples":[1,2.5e3,-0.25,1E-3],"deterministic":false,"direction":"higher","unit":"req/s","name":"rps"}],"name":"A","tags":[]}],
             "timeline": null, "schema_version" : 1, "metadata":{"created_at":"2026-11-29T00:00:00Z","labels":{"k":"v \"quoted\""}}}
            """#
        let (fast, codable) = try Self.both(Data(text.utf8))
        #expect(fast == codable)
        #expect(fast?.benchmarks[0].metrics[0].samples == [1, 2500, -0.25, 0.001])
    }

    @Test(arguments: [
        #"{"schema_version":1,"metadata":{"created_at":"x"},"benchmarks":[{"name":"a\"b","metrics":[]}]}"#,
        #"{"schema_version":1,"metadata":{"created_at":"x"},"benchmarks":[{"name":"a","metrics":[]}],"extra":1}"#,
        #"{"schema_version":1,"metadata":{"created_at":"x"},"benchmarks":[{"name":"a","metrics":[{"name":"t","unit":"s","direction":"lower","deterministic":false,"samples":[1,NaN]}]}]}"#,
        #"{"schema_version":1,"metadata":{"created_at":"x"},"benchmarks":["#,
        #"{"schema_version":1.5,"metadata":{"created_at":"x"},"benchmarks":[]}"#,
        #"{"schema_version":1,"metadata":{"created_at":"x"},"benchmarks":[]} trailing"#,
    ])
    func anythingUnusualFallsBack(text: String) {
        #expect(FastReportDecoder.decode(Data(text.utf8)) == nil)
    }

    @Test func escapedNamesStillLoadThroughTheSlowPath() throws {
        let text =
            #"{"schema_version":1,"metadata":{"created_at":"x"},"benchmarks":[{"name":"a\"b","metrics":[{"name":"t","unit":"s","direction":"lower","deterministic":false,"samples":[1]}]}]}"#
        let report = try PerformanceReport.parse(Data(text.utf8), source: "escaped.json")
        #expect(report.benchmarks.map(\.name) == ["a\"b"])
    }
}
