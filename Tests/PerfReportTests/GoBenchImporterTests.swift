import Foundation
import PerfReport
import Testing

@Suite("Go benchmark text import")
struct GoBenchImporterTests {
    private func parse(_ text: String, importer: GoBenchImporter = GoBenchImporter()) throws(ReportError) -> PerformanceReport {
        try importer.parse(text: text, source: "bench.txt", createdAt: TestSupport.date)
    }

    private func errorText(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func realGoTestOutputBecomesOneBenchmarkPerNameWithCountSamples() throws {
        let report = try GoBenchImporter().parse(try TestSupport.fixture("go-bench.txt"), source: "go-bench.txt", createdAt: TestSupport.date)
        #expect(report.benchmarks.map(\.name) == ["Join", "Route/nodes=1", "Route/nodes=8"])
        #expect(report.benchmarks.allSatisfy { $0.group == "example.com/gobench" && $0.tags == ["gomaxprocs=2"] })

        let join = try #require(report.benchmark(named: "Join"))
        #expect(join.metrics.map(\.name) == ["time", "allocated_bytes", "allocations"])
        #expect(join.metrics.map(\.unit) == ["ns", "B", "count"])
        #expect(join.metrics.map(\.deterministic) == [false, true, true])
        #expect(join.metrics.allSatisfy { $0.direction == .lowerIsBetter })
        #expect(join.metrics[0].samples == [77.06, 76.03, 73.59, 78.80, 45.55])
        #expect(join.metrics[1].samples == [24, 24, 24, 24, 24])
        #expect(join.metrics[2].samples == [1, 1, 1, 1, 1])

        let route8 = try #require(report.benchmark(named: "Route/nodes=8"))
        #expect(route8.metrics.map(\.name) == ["time", "nodes/op", "allocated_bytes", "allocations"])
        #expect(route8.metrics[0].samples == [89.70, 70.43, 140.6, 140.4, 88.83])
        let custom = route8.metrics[1]
        #expect(custom.unit == "nodes/op" && custom.direction == .lowerIsBetter && !custom.deterministic)
        #expect(custom.samples == [8, 8, 8, 8, 8])
        #expect(report.benchmark(named: "Route/nodes=1")?.metric(named: "time")?.samples == [2.199, 2.979, 2.363, 2.363, 2.375])

        #expect(report.metadata.labels == ["goos": "linux", "goarch": "amd64", "cpu": "Intel(R) Xeon(R) Processor", "source_format": "go"])
        #expect(report.metadata.host == HostInfo(os: "linux", cpuModel: "Intel(R) Xeon(R) Processor"))
        #expect(report.metadata.createdAt == TestSupport.dateString)
    }

    @Test func procsSuffixIsKeptWhenStrippingIsOff() throws {
        let report = try parse("BenchmarkJoin-2 100 5 ns/op\n", importer: GoBenchImporter(stripProcsSuffix: false))
        #expect(report.benchmarks.map(\.name) == ["Join-2"])
        #expect(report.benchmarks[0].tags.isEmpty)
    }

    @Test func severalGOMAXPROCSStayApart() throws {
        let report = try parse(
            """
            BenchmarkJoin 100 5 ns/op
            BenchmarkJoin-2 100 6 ns/op
            BenchmarkJoin-4 100 7 ns/op
            BenchmarkJoin-4 100 8 ns/op
            """
        )
        #expect(report.benchmarks.map(\.name) == ["Join", "Join/gomaxprocs=2", "Join/gomaxprocs=4"])
        #expect(report.benchmark(named: "Join/gomaxprocs=4")?.metric(named: "time")?.samples == [7, 8])
    }

    @Test func unitMetadataSetsDirectionAndExactness() throws {
        let report = try parse(
            """
            BenchmarkServe-8 1 900 req/s 3 retries/op 50 MB/s
            Unit req/s better=higher assume=nothing
            Unit retries/op assume=exact
            """
        )
        let metrics = report.benchmarks[0].metrics
        #expect(metrics.map(\.name) == ["req/s", "retries/op", "throughput"])
        #expect(metrics.map(\.direction) == [.higherIsBetter, .lowerIsBetter, .higherIsBetter])
        #expect(metrics.map(\.deterministic) == [false, true, false])
        #expect(metrics[2].unit == "MB/s")
    }

    @Test func configLinesApplyToFollowingResults() throws {
        let report = try parse(
            """
            goos: linux
            pkg: example.com/a
            BenchmarkX 1 5 ns/op
            pkg: example.com/b
            BenchmarkY 1 6 ns/op
            BenchmarkX 1 7 ns/op
            """
        )
        #expect(report.benchmarks.map(\.name) == ["example.com/a.X", "Y", "example.com/b.X"])
        #expect(report.benchmarks.map(\.group) == ["example.com/a", "example.com/b", "example.com/b"])
        #expect(report.metadata.labels == ["goos": "linux", "source_format": "go"])
    }

    @Test func otherLinesAndBareNamesAreIgnored() throws {
        let report = try parse(
            """
            === RUN   BenchmarkRoute
            BenchmarkRoute
            PASS
            ok  \texample.com/gobench\t0.125s
            Benchmarking is fun: not a result
            BenchmarkRoute/n=1-2 10 3 ns/op
            """
        )
        #expect(report.benchmarks.map(\.name) == ["Route/n=1"])
    }

    @Test func oddFieldCountIsAnErrorWithFileAndLine() {
        #expect(
            errorText("goos: linux\nBenchmarkJoin-2 100 5 ns/op 24\n")
                == #"bench.txt:2: malformed line "BenchmarkJoin-2 100 5 ns/op 24": expected "Benchmark<Name> <iterations> <value> <unit> [<value> <unit>...]" (got 5 fields)"#
        )
    }

    @Test func missingMeasurementsAreAnError() {
        #expect(
            errorText("BenchmarkJoin-2 100\n")
                == #"bench.txt:1: malformed line "BenchmarkJoin-2 100": expected "Benchmark<Name> <iterations> <value> <unit> [<value> <unit>...]" (got 2 fields)"#
        )
    }

    @Test func nonIntegerIterationsAreAnError() {
        #expect(
            errorText("\n\nBenchmarkJoin-2 many 5 ns/op\n")
                == #"bench.txt:3: malformed line "BenchmarkJoin-2 many 5 ns/op": iteration count "many" is not an integer"#
        )
    }

    @Test func nonNumericValuesAreAnError() {
        #expect(
            errorText("BenchmarkJoin-2 100 fast ns/op\n")
                == #"bench.txt:1: malformed line "BenchmarkJoin-2 100 fast ns/op": value "fast" for unit "ns/op" is not a number"#
        )
    }

    @Test func badUnitMetadataIsAnError() {
        #expect(
            errorText("Unit ns/op better=faster\n")
                == #"bench.txt:1: malformed line "Unit ns/op better=faster": better=faster (expected lower or higher)"#
        )
    }

    @Test func negativeGoTimesFailValidationWhenLoaded() {
        do {
            _ = try PerformanceReport.parse(Data("BenchmarkJoin-2 100 -5 ns/op\n".utf8), source: "bench.txt", createdAt: TestSupport.date)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == #"bench.txt: benchmark "Join" metric "time" sample 1 is -5.0 ns (a duration cannot be negative)"#)
        }
    }
}
