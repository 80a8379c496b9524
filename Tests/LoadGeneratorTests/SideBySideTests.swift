import Foundation
import LoadGenerator
import NodeSimulator
import TestHTTP
import Testing

/// Several servers loaded side by side in one run: the lanes' sends interleave, and the table
/// says what each lane adds to the first.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct SideBySideTests {
    @Test func openLoopLanesTakeTurnsWithinOneGap() throws {
        let open = LoadMode.open(try OpenLoopSchedule(rate: 100))
        #expect(SideBySide.phase(of: 0, among: 2, mode: open) == 0)
        #expect(SideBySide.phase(of: 1, among: 2, mode: open) == 0.005)
        let ramp = LoadMode.ramp(try RampSchedule(from: 10, to: 50, duration: .seconds(5)))
        #expect(SideBySide.phase(of: 2, among: 4, mode: ramp) == 0.01)
        #expect(SideBySide.phase(of: 1, among: 3, mode: .closed(concurrency: 4)) == 0)
    }

    @Test func aRunNeedsALane() {
        #expect(throws: LoadError.self) { try SideBySide(lanes: []) }
    }

    /// End-to-end times of 100–199 µs and 600–699 µs: exact in the summaries' histograms.
    static func summary(offsetMicroseconds: Int, streamed: Bool = false) -> LoadSummary {
        let results = (100..<200).map { micro in
            let seconds = Double(micro + offsetMicroseconds) * 1e-6
            return RequestResult(intendedStart: 0, ttft: streamed ? seconds : nil, endToEnd: seconds, status: 200)
        }
        return LoadSummary(results: results, elapsed: 1, slo: nil)
    }

    @Test func theAddedLatencyIsTheDifferenceOfTheLanesPercentiles() throws {
        let base = Self.summary(offsetMicroseconds: 0, streamed: true)
        let slower = Self.summary(offsetMicroseconds: 500, streamed: true)
        let added = AddedLatency(slower, over: base)
        #expect(abs(try #require(added.e2eP50) - 500e-6) < 1e-9)
        #expect(abs(try #require(added.e2eP99) - 500e-6) < 1e-9)
        #expect(abs(try #require(added.ttftP99) - 500e-6) < 1e-9)
        let faster = AddedLatency(base, over: slower)
        #expect(abs(try #require(faster.e2eP50) + 500e-6) < 1e-9)
        // Without streaming there is no time to first token to compare.
        #expect(AddedLatency(Self.summary(offsetMicroseconds: 500), over: base).ttftP50 == nil)
    }

    @Test func theTableHasARowPerLaneAfterTheFirst() {
        let table = AddedLatency.table(
            names: ["http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3"],
            summaries: [Self.summary(offsetMicroseconds: 0), Self.summary(offsetMicroseconds: 500), Self.summary(offsetMicroseconds: 0)]
        )
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(table)")
        #expect(lines[0].hasPrefix("added to http://127.0.0.1:1"))
        #expect(lines[2].hasPrefix("http://127.0.0.1:2") && lines[2].contains("+0.500") && lines[2].hasSuffix("-"), "\(lines[2])")
        #expect(lines[3].contains("+0.000"), "\(lines[3])")
        #expect(AddedLatency.table(names: ["only"], summaries: [Self.summary(offsetMicroseconds: 0)]).isEmpty)
    }

    @Test func twoServersGetTheWholeLoadWithTheirSendsInterleaved() async throws {
        let configuration = LoadRunnerTests.knownTiming(decode: 2000)
        try await withSimulator(configuration) { first, _ in
            try await withSimulator(configuration) { second, _ in
                let lanes = try [first, second].map { try LoadRunnerTests.runner($0, stream: false) }
                let (runs, elapsed) = try await SideBySide(lanes: lanes).run(
                    .init(mode: .open(try OpenLoopSchedule(rate: 50)), duration: nil, requests: 10, warmup: 1)
                )
                #expect(runs.count == 2)
                #expect(runs.allSatisfy { $0.count == 10 })
                #expect(runs.joined().allSatisfy { $0.error == nil }, "\(runs.joined().compactMap(\.error))")
                #expect(elapsed > 0)
                // Lane 1 sends half a gap (10 ms at 50 a second) after lane 0, every time.
                let starts = runs.map { $0.map(\.intendedStart).sorted() }
                for (zero, one) in zip(starts[0], starts[1]) {
                    #expect(abs(one - zero - 0.01) < 1e-9, "lane 0 at \(zero), lane 1 at \(one)")
                }
                #expect(abs(starts[0][9] - 0.18) < 1e-9)
            }
        }
    }
}
