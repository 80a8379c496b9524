import Testing

@testable import LoadGenerator

/// How an answer's events become a result: token times, error kinds, counts.
struct ResponseRecorderTests {
    static let ollama = LoadTarget(url: "http://127.0.0.1:1", model: "m", stream: true)

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func aStreamedAnswerGivesTokenTimesAndTheServersCounts() {
        var recorder = ResponseRecorder(target: Self.ollama, intendedStart: 1, actualStart: 1.5)
        recorder.head(status: 200)
        recorder.body(Self.bytes(#"{"response":"a","done":false}"# + "\n"), at: 0.2)
        recorder.body(Self.bytes(#"{"response":"b","done":false}"# + "\n"), at: 0.25)
        recorder.body(Self.bytes(#"{"done":true,"prompt_eval_count":7,"eval_count":2}"# + "\n"), at: 0.3)
        let result = recorder.finish(at: 0.31)
        #expect(result.error == nil)
        #expect(result.status == 200)
        #expect(result.intendedStart == 1 && result.actualStart == 1.5)
        #expect(result.ttft == 0.2)
        #expect(result.gaps.count == 1 && abs(result.gaps[0] - 0.05) < 1e-12)
        #expect(result.endToEnd == 0.31)
        #expect(result.promptTokens == 7 && result.outputTokens == 2)
    }

    @Test func aStreamWithoutItsFinalLineIsBroken() {
        var recorder = ResponseRecorder(target: Self.ollama, intendedStart: 0, actualStart: 0)
        recorder.head(status: 200)
        recorder.body(Self.bytes(#"{"response":"a","done":false}"# + "\n"), at: 0.1)
        #expect(recorder.finish(at: 0.2).error == .streamBroken)
    }

    @Test func statusCodesAndBodiesDecideTheErrorKind() {
        for (status, expected) in [(404, ErrorKind.http4xx), (503, .http5xx)] {
            var recorder = ResponseRecorder(target: Self.ollama, intendedStart: 0, actualStart: 0)
            recorder.head(status: status)
            recorder.body(Self.bytes(#"{"error":"x"}"#), at: 0.1)
            #expect(recorder.finish(at: 0.1).error == expected)
        }
        var html = ResponseRecorder(
            target: LoadTarget(url: "http://127.0.0.1:1", model: "m", stream: false),
            intendedStart: 0,
            actualStart: 0
        )
        html.head(status: 200)
        html.body(Self.bytes("<html>"), at: 0.1)
        #expect(html.finish(at: 0.1).error == .badResponse)
    }

    @Test func aFailureBeforeTheHeadKeepsTheGivenKind() {
        let recorder = ResponseRecorder(target: Self.ollama, intendedStart: 0, actualStart: 0)
        #expect(!recorder.gotHead)
        let result = recorder.finish(at: 2, error: .timeout)
        #expect(result.error == .timeout && result.status == nil && result.endToEnd == 2)
    }
}

/// Base URLs the load generator accepts, and the ones it refuses with a message.
struct LoadAddressTests {
    @Test func baseURLsParse() throws {
        let plain = try LoadAddress(url: "http://127.0.0.1:8080")
        #expect(!plain.tls && plain.host == "127.0.0.1" && plain.port == 8080 && plain.basePath == "")
        #expect(plain.hostHeader == "127.0.0.1:8080")
        let prefixed = try LoadAddress(url: "https://gateway.example/ollama/")
        #expect(prefixed.tls && prefixed.host == "gateway.example" && prefixed.port == 443 && prefixed.basePath == "/ollama")
        #expect(prefixed.hostHeader == "gateway.example")
        let v6 = try LoadAddress(url: "http://[::1]:11434")
        #expect(v6.host == "::1" && v6.port == 11434 && v6.hostHeader == "[::1]:11434")
    }

    @Test func badURLsAreRefusedByName() {
        let cases = [
            ("127.0.0.1:8080", "URL \"127.0.0.1:8080\": has no scheme (use e.g. http://127.0.0.1:8080)"),
            ("ftp://host", "URL \"ftp://host\": scheme \"ftp\" is not http or https"),
            ("http://host:99999", "URL \"http://host:99999\": port \"99999\" is not a number from 1 to 65535"),
            ("http://:80", "URL \"http://:80\": has no host"),
        ]
        for (url, message) in cases {
            #expect(throws: LoadError.self) { try LoadAddress(url: url) }
            do {
                _ = try LoadAddress(url: url)
            } catch {
                #expect(error.description == message)
            }
        }
    }
}
