import Foundation
import OllamaAPI

/// What becomes of a node's 5xx answer that arrived while nothing had reached the client.
enum FailedAnswer: Sendable, Hashable {
    /// The node failed: count it against the node and try another one.
    case retry
    /// The client's own mistake, which Ollama answers with a 500 (an option of the wrong type):
    /// every node would say the same, so it goes back as it is, and says nothing about the node.
    case clientError
}

extension RelayRules {
    /// The longest error body that is read to judge it: Ollama's error answers are one short
    /// JSON object. A longer body is not judged; it is a node failure, as any other 5xx.
    static let judgedBodyLimit = 4096

    /// Judges a node's 5xx answer by its status and body.
    ///
    /// Ollama answers a request whose `options` hold a value of the wrong type with a 500 and
    /// `{"error":"option \"num_predict\" must be of type integer"}` (`Options.FromMap`, see
    /// ``ModelOptionError``). That is the client's error, not the node's; any other 5xx is the node's.
    static func judge(status: Int, body: some Collection<UInt8>) -> FailedAnswer {
        guard status == 500, body.count <= judgedBodyLimit, let message = errorMessage(body) else { return .retry }
        return isOptionError(message) ? .clientError : .retry
    }

    /// Whether `message` is Ollama's text for an option of the wrong type, word for word:
    /// `option "NAME" must be of type integer|float32|boolean|array` or
    /// `option "NAME" must be of an array of strings`.
    static func isOptionError(_ message: String) -> Bool {
        guard message.hasPrefix("option \"") else { return false }
        let rest = message.dropFirst("option \"".count)
        guard let quote = rest.firstIndex(of: "\""), quote > rest.startIndex else { return false }
        return optionProblems.contains(String(rest[quote...]))
    }

    /// What follows the option's name in Ollama's texts (its closing quote included).
    private static let optionProblems: Set<String> = [
        "\" must be of type integer", "\" must be of type float32", "\" must be of type boolean", "\" must be of type array",
        "\" must be of an array of strings",
    ]

    /// The `error` text of an Ollama error body (`{"error":"..."}`), or nil for any other body.
    private static func errorMessage(_ body: some Collection<UInt8>) -> String? {
        guard let decoded = try? JSONDecoder().decode(ErrorResponse.self, from: Data(body)) else { return nil }
        return decoded.error
    }
}
