import AsyncHTTPClient
import LoadGenerator
import NodeSimulator
import TestHTTP
import Testing

/// `smoke` against a live node: every check passes; a wrong model or no server fails clearly.
@Suite(.timeLimit(.minutes(1)))
struct SmokeTestTests {
    @Test func aHealthyNodePassesEveryCheck() async throws {
        try await withSimulator { client, _ in
            let checks = await SmokeTest(client: HTTPClient.shared, url: client.base, model: "llama3.2").run()
            #expect(checks.map(\.name) == [
                "liveness", "version", "models", "generate", "generate stream", "chat", "chat stream", "openai models", "metrics",
            ])
            #expect(checks.allSatisfy { $0.passed }, "\(checks.filter { !$0.passed }.map(\.line))")
            #expect(checks.last?.detail.contains("skipped") == true)
            let junit = checks.junit()
            #expect(junit.contains(#"tests="9" failures="0""#))
        }
    }

    @Test func aMissingModelFailsTheModelAndInferenceChecks() async throws {
        try await withSimulator { client, _ in
            let checks = await SmokeTest(client: HTTPClient.shared, url: client.base, model: "nope").run()
            let failed = checks.filter { !$0.passed }.map(\.name)
            #expect(failed == ["models", "generate", "generate stream", "chat", "chat stream"])
            #expect(checks.first { $0.name == "models" }?.detail.contains("\"nope\" is not listed") == true)
            #expect(checks.junit().contains(#"failures="5""#))
        }
    }

    @Test func noServerFailsEveryCheckWithoutHanging() async {
        let checks = await SmokeTest(client: HTTPClient.shared, url: "http://127.0.0.1:1", model: nil, timeoutSeconds: 1).run()
        #expect(checks.allSatisfy { !$0.passed })
        #expect(checks.first { $0.name == "generate" }?.detail == "no model to try")
    }
}
