import Foundation
import PerfStats

/// One prompt to send, with an optional cap on the answer's length.
public struct Prompt: Sendable, Hashable {
    /// The prompt text.
    public var text: String
    /// The most output tokens to ask for (`num_predict` / `max_tokens`); nil for the server default.
    public var maxTokens: Int?

    /// Creates a prompt.
    public init(text: String, maxTokens: Int? = nil) {
        self.text = text
        self.maxTokens = maxTokens
    }
}

/// Deterministic synthetic prompts of a chosen length, for runs without a prompt file.
///
/// Each prompt is `promptTokens` words drawn from a fixed list of 64 short, common English words.
/// Such words are single tokens in the BPE vocabularies of the usual open models (Llama, Qwen,
/// Gemma), so one word ≈ one token; the true count differs by a few percent from model to model,
/// and the server's own `prompt_eval_count` is what the results record.
public struct SyntheticPrompts: Sendable, Hashable {
    /// Seed; the same seed and index give the same prompt on every platform.
    public var seed: UInt64
    /// Words per prompt (≈ prompt tokens), ≥ 1.
    public var promptTokens: Int
    /// Output tokens to ask for.
    public var outputTokens: Int

    /// Creates a generator.
    public init(seed: UInt64 = 0, promptTokens: Int, outputTokens: Int) {
        self.seed = seed
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
    }

    static let words = [
        "the", "of", "and", "to", "in", "is", "for", "on", "with", "as", "at", "by", "from", "it", "an", "be",
        "this", "that", "are", "was", "or", "not", "but", "all", "can", "will", "one", "new", "more", "time", "some", "out",
        "about", "up", "so", "what", "when", "there", "people", "year", "good", "make", "work", "first", "day", "just", "over", "after",
        "world", "life", "water", "house", "light", "music", "city", "story", "river", "paper", "green", "small", "long", "open", "road", "tree",
    ]

    /// The `index`-th prompt text: `promptTokens` space-separated words.
    ///
    /// Each index gets its own generator, seeded from `seed` and the index through a
    /// multiplicative mix, so prompts differ from the first word (no shared prefix for the
    /// server's prompt cache to reuse) and any prompt can be made without the ones before it.
    public func prompt(_ index: Int) -> String {
        var generator = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        var words: [String] = []
        words.reserveCapacity(max(promptTokens, 0))
        for _ in 0..<max(promptTokens, 0) {
            words.append(Self.words[generator.next(below: Self.words.count)])
        }
        return words.joined(separator: " ")
    }
}

/// Prompts read from a JSONL file: one object per line, `{"prompt": "...", "max_tokens": 128}`.
///
/// `"text"` is accepted in place of `"prompt"`; `"max_tokens"` is optional. Blank lines are skipped.
public struct PromptFile: Sendable, Hashable {
    /// The prompts, in file order; never empty.
    public let prompts: [Prompt]

    /// Reads and parses the file at `path`.
    /// - Throws: ``LoadError`` when the file cannot be read, or as ``init(parsing:source:)``.
    public init(path: String) throws(LoadError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .prompts(path, "cannot read file (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .prompts(path, "is not UTF-8 text")
        }
        try self.init(parsing: text, source: path)
    }

    /// Parses JSONL text.
    /// - Parameter source: the file name to start error messages with.
    /// - Throws: ``LoadError`` naming `source` and the line of the first bad line (not JSON, not an
    ///   object, no non-empty `prompt`/`text` string, `max_tokens` not an integer ≥ 1), or
    ///   naming `source` when there are no prompts at all.
    public init(parsing text: String, source: String) throws(LoadError) {
        var prompts: [Prompt] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = String(line).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            prompts.append(try Self.parseLine(trimmed, source: source, line: offset + 1))
        }
        guard !prompts.isEmpty else {
            throw .prompts(source, #"has no prompts (expected one JSON object per line, e.g. {"prompt": "Hello"})"#)
        }
        self.prompts = prompts
    }

    /// The `index`-th prompt, cycling through the file so a run can send more requests than lines.
    public func prompt(_ index: Int) -> Prompt {
        prompts[((index % prompts.count) + prompts.count) % prompts.count]
    }

    private struct Line: Decodable {
        var prompt: String?
        var text: String?
        // A Double, because the decoder reports 12.5 for an Int as invalid JSON, naming no key.
        var maxTokens: Double?

        enum CodingKeys: String, CodingKey {
            case prompt, text
            case maxTokens = "max_tokens"
        }
    }

    /// A message for a decoding error: which key had the wrong type, or what the line is not.
    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .dataCorrupted(let context), .valueNotFound(_, let context):
            if let key = context.codingPath.last?.stringValue {
                return "\(LoadError.quoted(key)) must be " + (key == "max_tokens" ? "an integer" : "a string")
            }
            if case .typeMismatch = error { return "is not a JSON object" }
            return "is not valid JSON"
        default:
            return "is not valid JSON"
        }
    }

    private static func parseLine(_ text: String, source: String, line: Int) throws(LoadError) -> Prompt {
        let decoded: Line
        do {
            decoded = try JSONDecoder().decode(Line.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw .prompts(source, line: line, describe(error))
        } catch {
            throw .prompts(source, line: line, "is not valid JSON")
        }
        guard let prompt = decoded.prompt ?? decoded.text, !prompt.isEmpty else {
            throw .prompts(source, line: line, #"has no "prompt" (or "text") string"#)
        }
        var maxTokens: Int?
        if let value = decoded.maxTokens {
            guard let integer = Int(exactly: value) else {
                throw .prompts(source, line: line, "\"max_tokens\" must be an integer")
            }
            guard integer >= 1 else {
                throw .prompts(source, line: line, "\"max_tokens\" is \(integer) (need an integer ≥ 1)")
            }
            maxTokens = integer
        }
        return Prompt(text: prompt, maxTokens: maxTokens)
    }
}
