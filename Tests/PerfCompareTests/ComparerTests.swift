import Foundation
import PerfReport
import Testing

@testable import PerfCompare

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Verdicts: significant AND large, direction-aware, exact for counts, honest about few samples.
struct ComparerTests {
    static let steady: [Double] = [100, 101, 99, 100, 102, 98, 100, 101, 99, 100]

    static func report(_ benchmarks: [(String, [Metric])]) -> PerformanceReport {
        PerformanceReport(
            metadata: Metadata(createdAt: "2026-11-29T00:00:00Z"),
            benchmarks: benchmarks.map { Benchmark(name: $0.0, metrics: $0.1) }
        )
    }

    static func time(_ samples: [Double], name: String = "time") -> Metric {
        Metric(name: name, unit: "ns", direction: .lowerIsBetter, samples: samples)
    }

    static func one(_ baseline: Metric, _ current: Metric, options: ComparisonOptions = .init()) throws -> MetricComparison {
        let comparison = try Comparer.compare(
            baseline: report([("B", [baseline])]),
            current: report([("B", [current])]),
            options: options
        )
        return try #require(comparison.comparisons.first)
    }

    @Test func aLargeSignificantSlowdownIsARegression() throws {
        let result = try Self.one(
            Self.time(Self.steady),
            Self.time(Self.steady.map { $0 * 1.2 }),
            options: .init(bootstrapResamples: 2000)
        )
        #expect(result.verdict == .regression)
        #expect(abs(result.change - 0.2) < 1e-12)
        #expect(try #require(result.pValue) < 0.001)
        let interval = try #require(result.ratioInterval)
        #expect(interval[0] <= 1.2 && 1.2 <= interval[1])
    }

    /// Past 256 metric pairs the judging runs on every core; order and errors stay those of one pass.
    @Test func largeComparisonsKeepOrderAndTheFirstError() throws {
        let names = (0..<700).map { "Bench/\($0)" }
        let baseline = Self.report(names.map { ($0, [Self.time(Self.steady)]) })
        let current = Self.report(
            names.enumerated().map { index, name in
                (name, [Self.time(index % 7 == 0 ? Self.steady.map { $0 * 1.3 } : Self.steady)])
            }
        )
        let comparison = try Comparer.compare(baseline: baseline, current: current)
        #expect(comparison.comparisons.map(\.benchmark) == names)
        #expect(comparison.regressions.map(\.benchmark) == names.enumerated().filter { $0.offset % 7 == 0 }.map(\.element))
        var broken = current
        for index in [450, 650] { broken.benchmarks[index].metrics[0].samples = [] }
        #expect(throws: CompareError("benchmark \"Bench/450\" metric \"time\" has 0 samples (need at least 1)")) {
            try Comparer.compare(baseline: baseline, current: broken)
        }
    }

    /// Past 2,048 details the JSON is encoded in chunks and spliced: it must be exactly what one encoder writes.
    @Test func aLargeJSONDocumentIsWhatOneEncoderWrites() throws {
        let names = (0..<(ComparisonDocument.chunkSize * 2 + 17)).map { "Bench/\($0)" }
        let baseline = Self.report(names.map { ($0, [Self.time(Self.steady)]) })
        let current = Self.report(
            names.enumerated().map { index, name in
                (name, [Self.time(index % 5 == 0 ? Self.steady.map { $0 * 1.25 } : Self.steady)])
            }
        )
        var comparison = try Comparer.compare(baseline: baseline, current: current)
        comparison.added = ["new \"one\"\nline"]
        let document = ComparisonDocument(
            comparison,
            currentFile: "c.json",
            baselineFile: "b.json",
            generatedAt: Date(timeIntervalSince1970: 0)
        )
        let spliced = try document.json()
        let whole = try ComparisonDocument.encoder().encode(document)
        #expect(spliced == whole)
        #expect(try JSONDecoder().decode(ComparisonDocument.self, from: spliced) == document)
    }

    @Test func aSignificantButSmallChangeIsUnchanged() throws {
        let result = try Self.one(Self.time(Self.steady), Self.time(Self.steady.map { $0 * 1.05 }))
        #expect(try #require(result.pValue) < 0.05)
        #expect(result.verdict == .unchanged)
        #expect(result.ratioInterval == nil)
    }

    @Test func aLargeChangeInNoiseIsUnchanged() throws {
        let noisy: [Double] = [50, 150, 80, 140, 60, 130, 90, 120, 70, 110]
        let shifted = noisy.map { $0 * 1.15 }
        let result = try Self.one(Self.time(noisy), Self.time(shifted))
        #expect(result.change > 0.10)
        #expect(try #require(result.pValue) >= 0.05)
        #expect(result.verdict == .unchanged)
    }

    @Test func threeSamplesCanNeverBeSignificant() throws {
        let result = try Self.one(Self.time([100, 101, 102]), Self.time([200, 201, 202]))
        #expect(result.verdict == .insufficientSamples)
        #expect(result.note?.contains("run more iterations") == true)
        #expect(result.pValue == nil)
    }

    @Test func throughputDropsAreRegressionsToo() throws {
        let rps = { (samples: [Double]) in Metric(name: "throughput", unit: "req/s", direction: .higherIsBetter, samples: samples) }
        let worse = try Self.one(rps(Self.steady.map { $0 * 10 }), rps(Self.steady.map { $0 * 8 }))
        #expect(worse.verdict == .regression)
        #expect(abs(worse.worsening - 0.2) < 1e-12)
        let better = try Self.one(rps(Self.steady.map { $0 * 10 }), rps(Self.steady.map { $0 * 12 }))
        #expect(better.verdict == .improvement)
    }

    @Test func allocationCountsCompareExactly() throws {
        let allocations = { (value: Double) in
            Metric(name: "allocations", unit: "count", direction: .lowerIsBetter, deterministic: true, samples: [value, value])
        }
        #expect(try Self.one(allocations(100), allocations(101)).verdict == .regression)
        #expect(try Self.one(allocations(100), allocations(100)).verdict == .unchanged)
        #expect(try Self.one(allocations(100), allocations(90)).verdict == .improvement)
        #expect(try Self.one(allocations(0), allocations(1)).verdict == .regression)
        let tolerant = ComparisonOptions(metricThresholds: ["allocations": 0.05])
        #expect(try Self.one(allocations(100), allocations(104), options: tolerant).verdict == .unchanged)
    }

    @Test func anAbsoluteFloorSilencesTinyChanges() throws {
        let options = ComparisonOptions(absoluteFloors: ["time": 50])
        let result = try Self.one(Self.time(Self.steady), Self.time(Self.steady.map { $0 * 1.3 }), options: options)
        #expect(result.verdict == .unchanged)
        #expect(result.note?.contains("absolute floor") == true)
    }

    @Test func benchmarksMatchWithoutTheProcsSuffixAndExtrasAreListed() throws {
        let baseline = Self.report([("BenchmarkA-8", [Self.time(Self.steady)]), ("BenchmarkGone-8", [Self.time(Self.steady)])])
        let current = Self.report([("BenchmarkA-4", [Self.time(Self.steady)]), ("BenchmarkNew-4", [Self.time(Self.steady)])])
        let comparison = try Comparer.compare(baseline: baseline, current: current)
        #expect(comparison.comparisons.map(\.benchmark) == ["BenchmarkA"])
        #expect(comparison.added == ["BenchmarkNew"])
        #expect(comparison.removed == ["BenchmarkGone"])
        let strict = try Comparer.compare(baseline: baseline, current: current, options: .init(stripProcsSuffix: false))
        #expect(strict.comparisons.isEmpty)
    }

    @Test func mismatchedUnitsAndDuplicateNamesAreErrors() {
        let seconds = Metric(name: "time", unit: "s", direction: .lowerIsBetter, samples: Self.steady)
        #expect {
            _ = try Comparer.compare(
                baseline: Self.report([("B", [Self.time(Self.steady)])]),
                current: Self.report([("B", [seconds])]),
                baselineSource: "base.json",
                currentSource: "new.json"
            )
        } throws: { error in
            (error as? CompareError)?.description
                == #"benchmark "B" metric "time": unit "ns" in base.json but "s" in new.json; compare like with like"#
        }
        let twice = Self.report([("X-2", [Self.time(Self.steady)]), ("X-4", [Self.time(Self.steady)])])
        #expect {
            _ = try Comparer.compare(baseline: twice, current: twice, baselineSource: "base.json")
        } throws: { error in
            (error as? CompareError)?.description.hasPrefix(#"base.json: benchmark "X" appears twice"#) == true
        }
    }

    @Test func everyFormatCarriesTheVerdict() throws {
        let comparison = try Comparer.compare(
            baseline: Self.report([("Gateway/chat", [Self.time(Self.steady)]), ("Fast", [Self.time(Self.steady)])]),
            current: Self.report([("Gateway/chat", [Self.time(Self.steady.map { $0 * 1.25 })]), ("Fast", [Self.time(Self.steady)])])
        )
        #expect(comparison.hasRegression)
        let text = comparison.text()
        #expect(text.contains("Gateway/chat") && text.contains("REGRESSION") && text.contains("+25.00%"))
        #expect(comparison.text(color: true).contains("\u{1B}[31m"))
        #expect(comparison.markdown().contains("### ❌ Performance regression"))
        let junit = comparison.junit()
        #expect(junit.contains(#"failures="1""#) && junit.contains(#"<failure type="regression""#))
        let document = ComparisonDocument(comparison, currentFile: "c.json", baselineFile: "b.json")
        let json = try JSONSerialization.jsonObject(with: try document.json()) as? [String: Any]
        let summary = try #require(json?["summary"] as? [String: Any])
        #expect(summary["total_comparisons"] as? Int == 2)
        #expect(summary["regressions_found"] as? Int == 1)
        #expect(summary["regression_detected"] as? Bool == true)
        #expect(abs((summary["worst_regression"] as? Double ?? 0) - 25) < 1e-9)
        let details = try #require(json?["detailed_comparisons"] as? [[String: Any]])
        #expect(details.first?["change_type"] as? String == "regression")
        #expect((details.first?["statistics"] as? [String: Any])?["p_value"] != nil)
    }

    @Test func junitEscapesNames() throws {
        let comparison = try Comparer.compare(
            baseline: Self.report([("a<b>&\"c\"", [Self.time(Self.steady)])]),
            current: Self.report([("a<b>&\"c\"", [Self.time(Self.steady)])])
        )
        let junit = comparison.junit()
        #expect(junit.contains(#"classname="a&lt;b&gt;&amp;&quot;c&quot;""#))
        let parser = XMLParser(data: Data(junit.utf8))
        #expect(parser.parse())
    }
}

struct FormattingTests {
    @Test(arguments: [
        (0.0, 2, "0.00"), (1.005, 2, "1.00"), (-2.5, 0, "-3"), (12.345, 1, "12.3"), (-0.004, 2, "0.00"), (99.995, 2, "100.00"),
        (1234.5678, 3, "1234.568"), (0.1, 3, "0.100"),
    ])
    /// Like `%.Nf`, except that halves round away from zero and there is no negative zero.
    func fixedRoundsLikePrintfWithoutNegativeZero(value: Double, decimals: Int, expected: String) {
        #expect(Comparison.fixed(value, decimals: decimals) == expected)
    }
}
