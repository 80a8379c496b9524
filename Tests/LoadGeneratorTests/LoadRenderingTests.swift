import Foundation
import LoadGenerator
import PerfReport
import Testing

/// What `load` prints and writes, rendered by the library so the CLI only parses.
struct LoadRenderingTests {
    @Test func theProgressLineShowsPerfStatsP95OfRecentFirstTokens() {
        // numpy.percentile([0.1, 0.2, 0.3, 0.4, 0.5], 95) == 0.48 (the old CLI rule said 0.5).
        let progress = LoadProgress(elapsed: 5, completed: 42, failed: 1, recentTTFT: [0.1, 0.3, 0.2, 0.5, 0.4])
        #expect(progress.line() == "   5.0s       42 done       8.4 req/s  p95 TTFT 480ms  1 errors")
        let idle = LoadProgress(elapsed: 0, completed: 0, failed: 0, recentTTFT: [])
        #expect(idle.line() == "   0.0s        0 done       0.0 req/s  p95 TTFT -  0 errors")
    }

    @Test func aTerminalRedrawsTheLineAndALogGetsOneEveryFiveSeconds() {
        let at5 = LoadProgress(elapsed: 5, completed: 42, failed: 1, recentTTFT: [0.1, 0.3, 0.2, 0.5, 0.4])
        #expect(at5.rendered(onTerminal: true) == "\r\u{1B}[K" + at5.line())
        #expect(at5.rendered(onTerminal: false) == at5.line() + "\n")
        let at6 = LoadProgress(elapsed: 6, completed: 50, failed: 0, recentTTFT: [])
        #expect(at6.rendered(onTerminal: false) == nil)
        #expect(at6.rendered(onTerminal: true) == "\r\u{1B}[K" + at6.line())
    }

    @Test func theSweepTableHasARowPerStepAndTheConclusionNamesTheBestRate() {
        let steps = [SweepTests.step(rate: nil, goodput: 0.2), SweepTests.step(rate: 10, goodput: 1)]
        #expect(
            Sweep.table(steps) == """
                step          offered     achieved    goodput   p95 TTFT    p95 e2e
                closed loop   flat out      10.0/s      20.0%     5000ms     9000ms
                open loop       10.0/s      10.0/s     100.0%      100ms     1000ms

                """
        )
        let slo = SLO(ttft: .milliseconds(500))
        #expect(Sweep(steps: 1).conclusion(steps, slo: slo) == "highest rate meeting ttft=500ms for 95% of requests: 10.0 requests/s")
        #expect(
            Sweep(steps: 1).conclusion([SweepTests.step(rate: 10, goodput: 0.5)], slo: slo)
                == "no open-loop step met ttft=500ms for 95% of its requests"
        )
    }

    @Test func aSweepSharesItsDurationAmongItsClosedAndOpenLoopSteps() {
        #expect(Sweep(steps: 5).stepDuration(total: .seconds(60)) == .seconds(10))
        #expect(Sweep(steps: 1).stepDuration(total: .seconds(3)) == .milliseconds(1500))
    }

    @Test func oneServerPrintsItsSummaryAndSeveralGetHeadingsAndTheAddedTable() {
        let summary = Fixtures.summary
        #expect(SideBySide.text(servers: ["http://a:1"], summaries: [summary]) == summary.text())
        #expect(
            SideBySide.text(servers: ["http://a:1", "http://b:2"], summaries: [summary, summary])
                == "== http://a:1\n" + summary.text() + "\n== http://b:2\n" + summary.text() + "\n"
                + AddedLatency.table(names: ["http://a:1", "http://b:2"], summaries: [summary, summary])
        )
    }

    @Test func reportsNameABenchmarkPerServerAndPerSweepStep() {
        let metadata = Metadata(createdAt: "2026-12-04T00:00:00Z")
        let one = LoadReport.sideBySide(
            results: [Fixtures.results],
            summaries: [Fixtures.summary],
            servers: ["http://a:1"],
            benchmark: "load/x",
            metadata: metadata
        )
        #expect(one.benchmarks.map(\.name) == ["load/x"])
        let two = LoadReport.sideBySide(
            results: [Fixtures.results, Fixtures.results],
            summaries: [Fixtures.summary, Fixtures.summary],
            servers: ["http://a:1", "http://b:2"],
            benchmark: "load/x",
            metadata: metadata
        )
        #expect(two.benchmarks.map(\.name) == ["load/x@http://a:1", "load/x@http://b:2"])
        let sweep = LoadReport.sweep(
            [SweepTests.step(rate: nil, goodput: 1), SweepTests.step(rate: 12.25, goodput: 1)],
            benchmark: "load/x",
            metadata: metadata
        )
        #expect(sweep.benchmarks.map(\.name) == ["load/x@closed", "load/x@12.2"])
    }

    @Test func aRampIsWrittenFromColonTo() throws {
        let ramp = try RampSchedule(parsing: "1:50", duration: .seconds(10))
        #expect(ramp.from == 1 && ramp.to == 50 && ramp.duration == .seconds(10))
        #expect(throws: LoadError.self) { try RampSchedule(parsing: "1-50", duration: .seconds(10)) }
        do {
            _ = try RampSchedule(parsing: "1-50", duration: .seconds(10))
        } catch {
            #expect(error.description == #"ramp "1-50" is not FROM:TO requests per second, e.g. 1:50"#)
        }
    }

    @Test func anSLOIsWrittenInSecondsAndReadBack() throws {
        let slo = SLO(ttft: .milliseconds(500), e2e: .seconds(10))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(slo), as: UTF8.self) == #"{"e2e":10,"ttft":0.5}"#)
        #expect(
            try JSONDecoder().decode(SLO.self, from: Data(#"{"ttft":0.5,"itl":0.25}"#.utf8)) == SLO(ttft: .milliseconds(500), itl: .milliseconds(250))
        )
    }
}
