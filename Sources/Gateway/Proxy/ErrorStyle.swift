import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OllamaAPI

/// Errors the gateway itself answers, in the shape the route's clients expect: Ollama's
/// `{"error": "..."}` on `/api/*`, Anthropic's `{"type":"error","error":{...}}` on
/// `/v1/messages`, the OpenAI object on every other `/v1/*` route (`/v1/responses` included,
/// whose broken streams end with the Responses `error` event instead of a bare `data:` line).
enum ErrorStyle: Sendable {
    case ollama
    case openAI
    case anthropic
    case responses

    init(path: String) {
        if !path.hasPrefix("/v1/") {
            self = .ollama
        } else if path == "/v1/messages" {
            self = .anthropic
        } else if path == "/v1/responses" {
            self = .responses
        } else {
            self = .openAI
        }
    }

    func response(_ message: String, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: status,
            headers: fields,
            body: ResponseBody(byteBuffer: body(message, status: status, requestID: headers[.requestID]))
        )
    }

    /// The JSON error body for `message` (its `Content-Type` is `application/json; charset=utf-8`);
    /// Anthropic's body carries `requestID` as its `request_id` when given.
    func body(_ message: String, status: HTTPResponse.Status, requestID: String? = nil) -> ByteBuffer {
        let body: Data
        switch self {
        case .ollama: body = (try? OllamaJSON.encode(ErrorResponse(error: message))) ?? Data()
        case .openAI, .responses:
            body = (try? OllamaJSON.encode(OpenAIErrorResponse(status: status.code, message: message))) ?? Data()
        case .anthropic:
            body =
                (try? OllamaJSON.encode(AnthropicErrorResponse(status: status.code, message: message, requestID: requestID))) ?? Data()
        }
        return ByteBuffer(bytes: body)
    }

    /// The line that ends a broken stream, in the framing the node's answer had (``StreamInspector``):
    /// an NDJSON `{"error"}` line; or an SSE error event: `data: {"error":{...}}` (OpenAI),
    /// `event: error` with Anthropic's error object, or `event: error` with the Responses error
    /// event numbered after the events relayed so far (``StreamInspector/nextSequenceNumber``).
    func streamErrorLine(_ message: String, after inspector: StreamInspector) -> ByteBuffer {
        guard inspector.framing == .sse else {
            return ByteBuffer(bytes: (try? OllamaJSON.encodeLine(ErrorResponse(error: message))) ?? Data())
        }
        let event: SSEEvent
        switch self {
        case .ollama, .openAI:
            let json = (try? OllamaJSON.encode(OpenAIErrorResponse(status: 500, message: message))) ?? Data()
            event = SSEEvent(data: String(decoding: json, as: UTF8.self))
        case .anthropic:
            let json = (try? OllamaJSON.encode(AnthropicErrorResponse(status: 500, message: message))) ?? Data()
            event = SSEEvent(event: "error", data: String(decoding: json, as: UTF8.self))
        case .responses:
            let error = ResponsesErrorEvent(message: message, sequenceNumber: inspector.nextSequenceNumber)
            let json = (try? OllamaJSON.encode(error)) ?? Data()
            event = SSEEvent(event: "error", data: String(decoding: json, as: UTF8.self))
        }
        return ByteBuffer(bytes: event.encoded())
    }
}

/// Ollama's exact 503 text for a full queue (two spaces included).
let busyMessage = "server busy, please try again.  maximum pending requests exceeded"
