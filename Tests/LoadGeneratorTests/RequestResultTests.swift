import Foundation
import Testing

@testable import LoadGenerator

@Suite struct RequestResultTests {
    @Test func timePerOutputTokenExcludesTheFirstToken() {
        let result = RequestResult(intendedStart: 0, ttft: 0.5, endToEnd: 2.5, outputTokens: 5)
        #expect(result.timePerOutputToken == 0.5)
    }

    @Test func timePerOutputTokenNeedsTwoTokensAndATTFT() {
        #expect(RequestResult(intendedStart: 0, ttft: 0.5, endToEnd: 2.5, outputTokens: 1).timePerOutputToken == nil)
        #expect(RequestResult(intendedStart: 0, endToEnd: 2.5, outputTokens: 5).timePerOutputToken == nil)
    }

    @Test func schedulerLagIsActualMinusIntendedStart() {
        #expect(RequestResult(intendedStart: 1, actualStart: 1.25, endToEnd: 2).schedulerLag == 0.25)
        #expect(RequestResult(intendedStart: 1, endToEnd: 2).schedulerLag == 0)
    }

    @Test func meanGapAveragesTheGaps() {
        #expect(RequestResult(intendedStart: 0, gaps: [0.25, 0.5, 0.75], endToEnd: 1).meanGap == 0.5)
        #expect(RequestResult(intendedStart: 0, endToEnd: 1).meanGap == nil)
    }

    @Test func successMeansNoError() {
        #expect(RequestResult(intendedStart: 0, endToEnd: 1).succeeded)
        #expect(!RequestResult(intendedStart: 0, endToEnd: 1, status: 503, error: .http5xx).succeeded)
    }

    @Test func errorKindRawValuesAreReportKeys() {
        #expect(
            ErrorKind.allCases.map(\.rawValue) == [
                "connect", "timeout", "http_4xx", "http_5xx", "bad_response", "stream_broken", "cancelled",
            ]
        )
    }

    @Test func encodesWithSnakeCaseKeysAndRoundTrips() throws {
        let result = RequestResult(
            intendedStart: 1,
            actualStart: 1.5,
            ttft: 0.25,
            gaps: [0.125],
            endToEnd: 2,
            promptTokens: 10,
            outputTokens: 2,
            status: 200
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(result), as: UTF8.self)
        #expect(
            json == #"{"actual_start":1.5,"e2e":2,"gaps":[0.125],"intended_start":1,"output_tokens":2,"prompt_tokens":10,"status":200,"ttft":0.25}"#
        )
        #expect(try JSONDecoder().decode(RequestResult.self, from: Data(json.utf8)) == result)
    }
}
