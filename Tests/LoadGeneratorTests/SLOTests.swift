import Testing

@testable import LoadGenerator

@Suite struct SLOTests {
    @Test func parsesEveryBoundInSeconds() throws {
        #expect(try SLO.parse("ttft=500ms,itl=50ms,e2e=10s") == SLO(ttft: .seconds(0.5), itl: .seconds(50 * 1e-3), e2e: .seconds(10)))
    }

    @Test func boundsAreOptionalAndSpacingAndCaseAreForgiven() throws {
        #expect(try SLO.parse(" E2E = 2s ") == SLO(e2e: .seconds(2)))
        #expect(try SLO.parse("ttft=1") == SLO(ttft: .seconds(1)))
    }

    @Test(arguments: [
        ("", #"SLO "": is empty (expected e.g. ttft=500ms,itl=50ms,e2e=10s)"#),
        ("foo=1s", #"SLO "foo=1s": unknown key "foo" (use ttft, itl, e2e)"#),
        ("ttft=fast", #"SLO "ttft=fast": ttft=fast: "fast" is not a duration ≥ 0 (use e.g. 500ms, 2s)"#),
        ("ttft=-1s", #"SLO "ttft=-1s": ttft=-1s: "-1s" is not a duration ≥ 0 (use e.g. 500ms, 2s)"#),
        ("ttft=1s,,e2e=2s", #"SLO "ttft=1s,,e2e=2s": has an empty part (remove the extra comma)"#),
        ("ttft=1s,ttft=2s", #"SLO "ttft=1s,ttft=2s": ttft is given twice"#),
        ("ttft", #"SLO "ttft": "ttft" is not key=duration (e.g. ttft=500ms)"#),
    ])
    func badTextNamesTheBadPart(text: String, message: String) {
        #expect(throws: LoadError.self) { try SLO.parse(text) }
        do {
            _ = try SLO.parse(text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func textRoundTripsThroughParse() throws {
        let slo = try SLO.parse("ttft=500ms,itl=50ms,e2e=10s")
        #expect(slo.text() == "ttft=500ms,itl=50ms,e2e=10000ms")
        #expect(try SLO.parse(slo.text()) == slo)
    }

    @Test func failedRequestNeverMeetsTheSLO() {
        let result = RequestResult(intendedStart: 0, ttft: 0.1, endToEnd: 0.2, error: .timeout)
        #expect(!SLO().isMet(by: result))
    }

    @Test func eachBoundIsInclusiveAndChecked() {
        let result = RequestResult(intendedStart: 0, ttft: 0.25, gaps: [0.125, 0.375], endToEnd: 1)
        #expect(SLO(ttft: .seconds(0.25), itl: .seconds(0.25), e2e: .seconds(1)).isMet(by: result))
        #expect(!SLO(ttft: .seconds(0.125)).isMet(by: result))
        #expect(!SLO(itl: .seconds(0.125)).isMet(by: result))
        #expect(!SLO(e2e: .seconds(0.5)).isMet(by: result))
    }

    @Test func itlBoundUsesTheMeanGapNotTheWorstGap() {
        let result = RequestResult(intendedStart: 0, ttft: 0.1, gaps: [0.0625, 0.5, 0.0625, 0.0625], endToEnd: 1)
        #expect(SLO(itl: .seconds(0.25)).isMet(by: result))
    }

    @Test func ttftBoundFailsARequestWithoutAFirstToken() {
        #expect(!SLO(ttft: .seconds(10)).isMet(by: RequestResult(intendedStart: 0, endToEnd: 1)))
    }

    @Test func itlBoundIsMetByAnAnswerWithNoGaps() {
        #expect(SLO(itl: .seconds(0.001)).isMet(by: RequestResult(intendedStart: 0, ttft: 0.5, endToEnd: 0.5)))
    }
}
