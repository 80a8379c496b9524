import Foundation
import Testing

@testable import LoadGenerator

/// The soak's pure parts: judging a stream line by line, the counts, the RSS goal, and reading
/// the children's output and /proc status.
struct SoakTests {
    private func judged(_ chunks: [String]) -> SoakStreamJudge {
        var judge = SoakStreamJudge()
        for chunk in chunks { judge.feed(Array(chunk.utf8)) }
        return judge
    }

    @Test func aStreamEndingWithItsDoneLineCompletesEvenWhenLinesAreSplitAcrossChunks() {
        let judge = judged([#"{"response":"a","do"#, #"ne":false}"# + "\n" + #"{"response":"","done":true}"#, "\n"])
        #expect(judge.ended() == .completed)
        #expect(judge.malformedLines == 0)
    }

    @Test func anErrorLineIsACleanErrorWhateverHappensAfterIt() {
        let judge = judged([#"{"response":"a","done":false}"# + "\n" + #"{"error":"node x failed mid-stream: reset"}"# + "\n"])
        #expect(judge.ended() == .cleanError)
        #expect(judge.failed(timedOut: false) == .cleanError)
        #expect(judge.failed(timedOut: true) == .cleanError)
        #expect(judge.errorMessage == "node x failed mid-stream: reset")
    }

    @Test func aStreamCutBeforeItsDoneLineIsAResetAndItsCutLineIsNotMalformed() {
        let judge = judged([#"{"response":"a","done":false}"# + "\n" + #"{"respo"#])
        #expect(judge.ended() == .reset)
        #expect(judge.failed(timedOut: false) == .reset)
        #expect(judge.failed(timedOut: true) == .hang)
        #expect(judge.malformedLines == 0)
    }

    @Test func linesThatAreNotJSONObjectsAreCountedAsMalformed() {
        let judge = judged(["not json\n", "[1,2]\n", "\n", #"{"error":"x"}{"done":true}"# + "\n", #"{"done":true}"# + "\n"])
        #expect(judge.malformedLines == 3)
        #expect(judge.ended() == .completed)
    }

    @Test func aFailureAfterTheDoneLineStillCountsAsCompleted() {
        #expect(judged([#"{"done":true}"# + "\n"]).failed(timedOut: true) == .completed)
    }

    @Test func theSummaryAddsUpItsCountsAndBoundsTheReasons() {
        var counts = SoakCounts()
        counts.started = 7
        counts.record(.completed, reason: nil, malformedLines: 0)
        counts.record(.completed, reason: nil, malformedLines: 2)
        counts.record(.cleanError, reason: "HTTP 503 busy", malformedLines: 0)
        counts.record(.reset, reason: "remoteConnectionClosed", malformedLines: 0)
        counts.record(.hang, reason: nil, malformedLines: 0)
        counts.record(.interrupted, reason: nil, malformedLines: 0)
        counts.record(.cleanError, reason: "HTTP 503 busy", malformedLines: 0)
        for index in 0..<30 { counts.record(.reset, reason: "reason \(index)", malformedLines: 0) }
        let summary = SoakSummary(
            duration: .seconds(10),
            streams: 5,
            killInterval: .seconds(4),
            clientTimeout: .seconds(30),
            counts: counts,
            samples: [],
            nodeKills: 2,
            interrupted: false
        )
        #expect(summary.requests == .init(started: 7, completed: 2, cleanErrors: 2, hangs: 1, resets: 31, interrupted: 1))
        #expect(summary.cleanErrorReasons == ["HTTP 503 busy": 2])
        #expect(summary.resetReasons.count == SoakCounts.reasonLimit + 1)
        #expect(summary.resetReasons["other"] == 11)
        #expect(summary.malformedLines == 2)
        #expect(summary.goals == .init(rssFlat: nil, noHangs: false, noMalformedLines: false))
        #expect(!summary.passed)
        #expect(summary.text.contains("  requests: 7 started = 2 completed + 2 clean errors + 1 hangs + 31 resets + 1 interrupted"))
        #expect(summary.text.hasSuffix("soak: FAIL"))
    }

    private func summary(rss: [(Double, Int)], duration: Duration = .seconds(600), interrupted: Bool = false) -> SoakSummary {
        SoakSummary(
            duration: duration,
            streams: 1,
            killInterval: .seconds(60),
            clientTimeout: .seconds(30),
            counts: SoakCounts(),
            samples: rss.map { SoakSummary.RSSSample(seconds: $0.0, bytes: $0.1) },
            nodeKills: 0,
            interrupted: interrupted
        )
    }

    @Test func rssIsFlatWhenTheLastMinutesMeanIsWithinTenPercentOfTheSecondMinutes() {
        // The first minute (warm-up) does not count; the second minute's mean is 100, the last one's 109.
        let flat = summary(rss: [(10, 10), (60, 90), (110, 110), (300, 500), (540, 100), (600, 118)])
        #expect(flat.rssSecondWindowMeanBytes == 100)
        #expect(flat.rssLastWindowMeanBytes == 109)
        #expect(flat.goals.rssFlat == true)
        #expect(flat.passed)
        #expect(flat.text.hasSuffix("soak: PASS"))
        let grown = summary(rss: [(60, 100), (600, 111)])
        #expect(grown.goals.rssFlat == false)
        #expect(!grown.passed)
        let shrunk = summary(rss: [(60, 100), (600, 89)])
        #expect(shrunk.goals.rssFlat == false)
    }

    @Test func aShortRunJudgesRSSOverThirdsAndAnInterruptedRunFails() {
        let short = summary(rss: [(1, 50), (4, 100), (10, 100)], duration: .seconds(12))
        #expect(short.rssWindowSeconds == 4)
        #expect(short.goals.rssFlat == true)
        #expect(!summary(rss: [(4, 100), (10, 100)], duration: .seconds(12), interrupted: true).passed)
    }

    @Test func childOutputAndProcStatusAreRead() {
        #expect(SoakChild.listeningPort("OllamaMax gateway listening on http://127.0.0.1:41234 (model-aware over 3 nodes)") == 41234)
        #expect(SoakChild.listeningPort("node-0 listening on http://127.0.0.1:11434") == 11434)
        #expect(SoakChild.listeningPort("something else") == nil)
        #expect(SoakChild.vmRSS("Name:\tx\nVmPeak:\t  9 kB\nVmRSS:\t   2048 kB\nThreads:\t4\n") == 2048 * 1024)
        #expect(SoakChild.vmRSS("Name:\tx\n") == nil)
    }

    @Test func badSettingsAreAllNamed() {
        var settings = SoakConfiguration(executable: .init(fileURLWithPath: "/bin/true"), workDirectory: .init(fileURLWithPath: "/tmp"))
        #expect(settings.problems().isEmpty)
        settings.streams = 0
        settings.clientTimeout = .seconds(1)
        settings.faults.hangRate = 2
        #expect(
            settings.problems() == [
                "streams: must be between 1 and 10000, got 0",
                "client timeout: must be at least 6s (the gateway's node timeouts are a sixth of it)",
                "hang rate: must be between 0 and 1, got 2.0",
            ]
        )
    }

    @Test func theGatewayFileListsTheNodesWithTimeoutsUnderTheClientTimeout() {
        let settings = SoakConfiguration(
            executable: .init(fileURLWithPath: "/bin/true"),
            streams: 10,
            clientTimeout: .seconds(30),
            workDirectory: .init(fileURLWithPath: "/tmp")
        )
        let file = SoakCluster.gatewayFile(settings, ports: [1001, 1002, 1003])
        #expect(file.contains("  - url: http://127.0.0.1:1002\n    max_in_flight: 6\n    num_parallel: 6\n"))
        #expect(file.contains("response_timeout: 5000ms\n"))
        #expect(file.contains("max_attempts: 2\n"))
    }
}
