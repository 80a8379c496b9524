import Foundation
import Telemetry
import Testing

/// Parsing `/proc` text, and a live read of this test process.
@Suite struct ProcessStatsTests {
    /// A real-shaped `/proc/<pid>/stat` line whose command name has spaces and parentheses.
    static let stat =
        "4242 (my (weird) proc) S 1 4242 4242 0 -1 4194560 1234 0 0 0 10 5 0 0 20 0 4 0 "
        + "987654 123456789 2048 18446744073709551615 1 1 0 0 0 0 0 4096 17642 0 0 0 17 1 0 0 0 0 0\n"

    @Test func statFieldsAreCountedAfterTheLastParenthesis() throws {
        let parsed = try ProcessStats.parseStat(Self.stat)
        #expect(parsed.startTicks == 987_654)
        #expect(parsed.virtualBytes == 123_456_789)
        #expect(parsed.rssPages == 2048)
    }

    @Test func statWithoutClosingParenthesisIsAnError() {
        let error = #expect(throws: ProcessStatsError.self) { try ProcessStats.parseStat("4242 (oops S 1 2 3") }
        #expect(error?.file == "/proc/self/stat")
        #expect(error?.problem.contains("')'") == true)
    }

    @Test func truncatedStatIsAnErrorCountingTheFields() {
        let error = #expect(throws: ProcessStatsError.self) { try ProcessStats.parseStat("1 (x) S 1 2 3\n") }
        #expect(error?.description == "/proc/self/stat: expected at least 24 fields, found 6")
    }

    @Test func nonNumericStatFieldIsAnErrorNamingTheField() {
        let broken = Self.stat.replacingOccurrences(of: " 123456789 ", with: " lots ")
        let error = #expect(throws: ProcessStatsError.self) { try ProcessStats.parseStat(broken) }
        #expect(error?.problem == "field 23 (vsize) is \"lots\", not a count")
    }

    @Test func bootTimeIsReadFromTheBtimeLine() throws {
        let procStat = "cpu  1 2 3 4\ncpu0 1 2 3 4\nintr 100 0\nctxt 5000\nbtime 1712000000\nprocesses 99\n"
        #expect(try ProcessStats.parseBootTime(procStat) == 1_712_000_000)
    }

    @Test func missingOrMalformedBtimeIsAnError() {
        let missing = #expect(throws: ProcessStatsError.self) { try ProcessStats.parseBootTime("cpu 1 2\n") }
        #expect(missing?.description == "/proc/stat: no btime line")
        let malformed = #expect(throws: ProcessStatsError.self) { try ProcessStats.parseBootTime("btime soon\n") }
        #expect(malformed?.problem == "malformed btime line: \"btime soon\"")
    }

    @Test func threadsAreReadFromTheStatusFile() throws {
        let status = "Name:\tollama-distributed\nState:\tS (sleeping)\nTgid:\t4242\nThreads:\t17\nSigQ:\t0/63422\n"
        #expect(try ProcessStats.parseThreads(status) == 17)
    }

    @Test func missingThreadsLineIsAnErrorNamingTheFile() {
        let error = #expect(throws: ProcessStatsError.self) { try ProcessStats.parseThreads("Name:\tx\n") }
        #expect(error?.description == "/proc/self/status: no Threads: line")
    }

    #if os(Linux)
    @Test func liveReadOfThisProcessIsSane() throws {
        let ballast = [UInt8](repeating: 1, count: 1 << 16)
        let stats = try ProcessStats.read()
        withExtendedLifetime(ballast) {}
        let now = Date().timeIntervalSince1970
        #expect(stats.residentBytes > 0)
        #expect(stats.virtualBytes >= stats.residentBytes)
        #expect(stats.openFDs > 0)
        #expect(stats.openFDs <= stats.maxFDs)
        // btime is whole seconds and start ticks are 1/100 s, so allow a second of rounding.
        #expect(stats.startTimeSeconds <= now + 1)
        #expect(stats.startTimeSeconds > now - 86_400)
        #expect(stats.threads >= 1)
        #expect(stats.cpuSeconds >= 0)
        #expect(stats.heap.inUseBytes > 0)
        #expect(stats.heap.arenaBytes >= stats.heap.inUseBytes)
    }
    #else
    @Test func readOnOtherPlatformsSaysTheyAreUnsupported() {
        let error = #expect(throws: ProcessStatsError.self) { try ProcessStats.read() }
        #expect(error?.problem.contains("unsupported platform") == true)
    }
    #endif
}
