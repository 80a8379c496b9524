import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OllamaAPI

/// Errors the gateway itself answers, in the shape the route's clients expect: Ollama's
/// `{"error": "..."}` on `/api/*`, the OpenAI object on `/v1/*`.
enum ErrorStyle: Sendable {
    case ollama
    case openAI

    init(path: String) {
        self = path.hasPrefix("/v1/") ? .openAI : .ollama
    }

    func response(_ message: String, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: body(message, status: status)))
    }

    /// The JSON error body for `message` (its `Content-Type` is `application/json; charset=utf-8`).
    func body(_ message: String, status: HTTPResponse.Status) -> ByteBuffer {
        let body: Data
        switch self {
        case .ollama: body = (try? OllamaJSON.encode(ErrorResponse(error: message))) ?? Data()
        case .openAI: body = (try? OllamaJSON.encode(OpenAIErrorResponse(status: status.code, message: message))) ?? Data()
        }
        return ByteBuffer(bytes: body)
    }

    /// The line that ends a broken stream: an NDJSON `{"error"}` line or an SSE error event.
    func streamErrorLine(_ message: String, sse: Bool) -> ByteBuffer {
        if sse {
            let json = (try? OllamaJSON.encode(OpenAIErrorResponse(status: 500, message: message))) ?? Data()
            return ByteBuffer(bytes: SSEEvent(data: String(decoding: json, as: UTF8.self)).encoded())
        }
        return ByteBuffer(bytes: (try? OllamaJSON.encodeLine(ErrorResponse(error: message))) ?? Data())
    }
}

/// Ollama's exact 503 text for a full queue (two spaces included).
let busyMessage = "server busy, please try again.  maximum pending requests exceeded"
