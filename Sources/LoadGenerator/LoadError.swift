import Foundation

/// Everything that can go wrong configuring a load run or combining its results.
///
/// The ``description`` says what was wrong and where, ready to print as-is, e.g.
/// `prompts.jsonl:3: "max_tokens" must be an integer` or
/// `SLO "ttft=fast": ttft=fast: "fast" is not a duration ≥ 0 (use e.g. 500ms, 2s)`. Messages
/// name the input, never a command-line flag: the CLI adds the flag when it reports one.
public struct LoadError: Error, Hashable, CustomStringConvertible, Sendable {
    private enum Code: Hashable, Sendable {
        case invalidSchedule
        case invalidSLO
        case invalidPrompts
        case invalidMerge
        case invalidAddress
        case invalidTarget
    }

    private let code: Code
    /// The full, human-readable message.
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    static func schedule(_ problem: String) -> LoadError {
        LoadError(.invalidSchedule, problem)
    }

    static func slo(_ text: String, _ problem: String) -> LoadError {
        LoadError(.invalidSLO, "SLO \(quoted(text)): \(problem)")
    }

    static func prompts(_ source: String, line: Int? = nil, _ problem: String) -> LoadError {
        LoadError(.invalidPrompts, line.map { "\(source):\($0): \(problem)" } ?? "\(source): \(problem)")
    }

    static func merge(_ problem: String) -> LoadError {
        LoadError(.invalidMerge, "cannot merge reports: \(problem)")
    }

    static func address(_ url: String, _ problem: String) -> LoadError {
        LoadError(.invalidAddress, "URL \(quoted(url)): \(problem)")
    }

    static func target(_ problem: String) -> LoadError {
        LoadError(.invalidTarget, problem)
    }

    /// Quotes a name the way every message does, escaping embedded quotes.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
