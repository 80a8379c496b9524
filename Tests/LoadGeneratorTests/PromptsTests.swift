import Foundation
import Testing

@testable import LoadGenerator

@Suite struct SyntheticPromptsTests {
    @Test func promptHasOneWordPerToken() {
        let prompts = SyntheticPrompts(seed: 1, promptTokens: 256, outputTokens: 64)
        let words = prompts.prompt(0).split(separator: " ")
        #expect(words.count == 256)
        #expect(words.allSatisfy { SyntheticPrompts.words.contains(String($0)) })
    }

    @Test func promptsAreRepeatablePerSeedAndIndex() {
        let a = SyntheticPrompts(seed: 1, promptTokens: 32, outputTokens: 8)
        let b = SyntheticPrompts(seed: 2, promptTokens: 32, outputTokens: 8)
        #expect(a.prompt(5) == a.prompt(5))
        #expect(a.prompt(5) != a.prompt(6))
        #expect(a.prompt(5) != b.prompt(5))
    }

    @Test func neighbouringPromptsShareNoLeadingRun() {
        let prompts = SyntheticPrompts(seed: 0, promptTokens: 16, outputTokens: 8)
        let first = prompts.prompt(0).split(separator: " ")
        let second = prompts.prompt(1).split(separator: " ")
        #expect(Array(first.dropFirst()) != Array(second.dropLast()))
    }

    @Test func zeroTokensGiveAnEmptyPrompt() {
        #expect(SyntheticPrompts(promptTokens: 0, outputTokens: 1).prompt(3) == "")
    }
}

@Suite struct PromptFileTests {
    @Test func readsPromptTextAndMaxTokensSkippingBlankLines() throws {
        let text = """
            {"prompt": "Hello", "max_tokens": 16}

            {"text": "World"}
            """
        let file = try PromptFile(parsing: text, source: "p.jsonl")
        #expect(file.prompts == [Prompt(text: "Hello", maxTokens: 16), Prompt(text: "World")])
        #expect(file.prompt(2) == Prompt(text: "Hello", maxTokens: 16))
        #expect(file.prompt(3) == Prompt(text: "World"))
    }

    @Test(arguments: [
        (#"{"prompt": "a"}"# + "\n{oops", "p.jsonl:2: is not valid JSON"),
        (#"{"prompt": 5}"#, #"p.jsonl:1: "prompt" must be a string"#),
        (#"{"prompt": "a", "max_tokens": "12"}"#, #"p.jsonl:1: "max_tokens" must be an integer"#),
        (#"{"prompt": "a", "max_tokens": 12.5}"#, #"p.jsonl:1: "max_tokens" must be an integer"#),
        (#"{"prompt": "a", "max_tokens": 0}"#, #"p.jsonl:1: "max_tokens" is 0 (need an integer ≥ 1)"#),
        ("[1]", "p.jsonl:1: is not a JSON object"),
        (#"{"foo": "a"}"#, #"p.jsonl:1: has no "prompt" (or "text") string"#),
        (#"{"prompt": ""}"#, #"p.jsonl:1: has no "prompt" (or "text") string"#),
        ("\n  \n", #"p.jsonl: has no prompts (expected one JSON object per line, e.g. {"prompt": "Hello"})"#),
    ])
    func badLinesAreReportedWithFileAndLine(text: String, message: String) {
        do {
            _ = try PromptFile(parsing: text, source: "p.jsonl")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func loadsAFileFromDisk() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("prompts-\(UUID().uuidString).jsonl")
        try Data(#"{"prompt": "Hi"}"#.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try PromptFile(path: url.path).prompts == [Prompt(text: "Hi")])
    }

    @Test func missingFileIsNamedInTheError() {
        do {
            _ = try PromptFile(path: "/nonexistent/prompts.jsonl")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/prompts.jsonl: cannot read file"))
        }
    }
}
