import ArgumentParser
import Foundation
import LoadGenerator
import Testing

@testable import OllamaMaxCLI

/// `load --api anthropic|responses`: chat is their endpoint, and any other is refused naming
/// both flags and what to use instead.
@Suite(.timeLimit(.minutes(3)))
struct LoadAPICommandTests {
    typealias Run = OllamaDistributed.Load.Run

    @Test(arguments: [
        (
            "anthropic", "embed",
            "error: --api anthropic --endpoint embed: the anthropic API has no embed route (it serves chat only); use --endpoint chat, or --api ollama or openai for embed"
        ),
        (
            "responses", "generate",
            "error: --api responses --endpoint generate: the responses API has no generate route (it serves chat only); use --endpoint chat, or --api ollama or openai for generate"
        ),
    ])
    func anEndpointTheAPIDoesNotServeIsRefusedNamingBothFlags(api: String, endpoint: String, message: String) async throws {
        let result = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["load", "--url", "http://127.0.0.1:1", "--model", "m", "--api", api, "--endpoint", endpoint, "--concurrency", "1", "--requests", "1"]
        )
        #expect(result.code == 2)
        #expect(result.stderr == message + "\n", "\(result.stderr)")
        #expect(result.stdout.isEmpty, "\(result.stdout)")
    }

    @Test func theMessagesAndResponsesAPIsDefaultToChatAndTheOthersToGenerate() throws {
        let base = ["--url", "http://h:1", "--model", "m", "--concurrency", "1", "--requests", "1"]
        #expect(try Run.parse(base + ["--api", "anthropic"]).chosenEndpoint() == .chat)
        #expect(try Run.parse(base + ["--api", "responses"]).chosenEndpoint() == .chat)
        #expect(try Run.parse(base + ["--api", "openai"]).chosenEndpoint() == .generate)
        #expect(try Run.parse(base).chosenEndpoint() == .generate)
        #expect(try Run.parse(base + ["--api", "ollama", "--endpoint", "embed"]).chosenEndpoint() == .embed)
    }
}
