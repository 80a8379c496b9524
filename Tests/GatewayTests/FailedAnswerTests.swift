import Foundation
import OllamaAPI
import Testing

@testable import Gateway

/// ``RelayRules/judge(status:body:)``: which of a node's 5xx answers are the client's error.
struct FailedAnswerTests {
    static func body(_ message: String) -> [UInt8] {
        Array((try? OllamaJSON.encode(ErrorResponse(error: message))) ?? Data())
    }

    /// Every text Ollama gives for an option of the wrong type, built by the type that gives them.
    static let optionErrors: [ModelOptionError] =
        ModelOptionType.allCases.map { ModelOptionError(option: "num_predict", problem: .wrongType($0)) }
        + [ModelOptionError(option: "stop", problem: .arrayItemNotString)]

    @Test func ollamasOptionTypeErrorsAreTheClientsEvenThoughTheyAre500s() {
        #expect(Self.optionErrors.count == 5)
        for error in Self.optionErrors {
            #expect(RelayRules.judge(status: 500, body: Self.body(error.description)) == .clientError, "\(error)")
        }
        let exact = Array(#"{"error":"option \"num_predict\" must be of type integer"}"#.utf8)
        #expect(RelayRules.judge(status: 500, body: exact) == .clientError)
    }

    @Test(arguments: [502, 503, 504, 599])
    func anOptionErrorWithAnotherStatusIsStillTheNodes(status: Int) {
        #expect(RelayRules.judge(status: status, body: Self.body(#"option "top_p" must be of type float32"#)) == .retry)
    }

    @Test(arguments: [
        "simulated failure: the model runner crashed",
        #"option "" must be of type integer"#,
        #"option "top_p" must be of type float64"#,
        #"option "top_p" must be of type float32 or so"#,
        #"error: option "top_p" must be of type float32"#,
        "",
    ])
    func anyOtherErrorTextIsTheNodes(message: String) {
        #expect(RelayRules.judge(status: 500, body: Self.body(message)) == .retry)
    }

    @Test func aBodyThatIsNotOllamasErrorObjectIsTheNodes() {
        let texts = [
            "", "option \"top_p\" must be of type float32", #"{"error":{"message":"option \"top_p\" must be of type float32"}}"#,
            #"{"error":"option \"top_p\" must be of type float32""#, "<html>502</html>",
        ]
        for text in texts {
            #expect(RelayRules.judge(status: 500, body: Array(text.utf8)) == .retry, "\(text)")
        }
    }

    @Test func aBodyOverTheLimitIsNotReadAndIsTheNodes() throws {
        let message = #"option "top_p" must be of type float32"#
        let padded = try #require(String(data: Data(Self.body(message)), encoding: .utf8))
        let fits = padded + String(repeating: " ", count: RelayRules.judgedBodyLimit - padded.utf8.count)
        #expect(fits.utf8.count == 4096)
        #expect(RelayRules.judge(status: 500, body: Array(fits.utf8)) == .clientError)
        #expect(RelayRules.judge(status: 500, body: Array((fits + " ").utf8)) == .retry)
    }
}
