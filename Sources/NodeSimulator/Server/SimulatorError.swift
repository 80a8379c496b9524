import HTTPTypes
import Hummingbird
import OllamaAPI

/// An answer other than success, thrown by a handler: a message and a status, written as
/// Ollama's `{"error": "..."}`, in the OpenAI shape or in Anthropic's.
struct SimulatorError: HTTPResponseError {
    var message: String
    var status: HTTPResponse.Status
    var style: ErrorStyle

    /// Ollama's 499 for a request whose client left (or whose server is stopping).
    static let canceled = HTTPResponse.Status(code: 499)

    func response(from request: Request, context: some RequestContext) throws -> Response {
        style.response(message, status: status)
    }
}

/// How errors are written: Ollama's `{"error": "..."}`, the OpenAI shape, or Anthropic's
/// `{"type": "error", "error": {...}, "request_id"}` (`/v1/messages`).
enum ErrorStyle: Sendable {
    case ollama
    case openAI
    case anthropic

    /// The error as a response in this style.
    func response(_ message: String, status: HTTPResponse.Status) -> Response {
        switch self {
        case .ollama: Responses.ollamaError(message, status: status)
        case .openAI: Responses.openAIError(message, status: status)
        case .anthropic:
            Responses.json(
                AnthropicErrorResponse(status: status.code, message: message, requestID: SimulatorHandlers.anthropicID("req")),
                status: status
            )
        }
    }

    /// A ``SimulatorError`` in this style, to throw.
    func error(_ message: String, status: HTTPResponse.Status) -> SimulatorError {
        SimulatorError(message: message, status: status, style: self)
    }
}
