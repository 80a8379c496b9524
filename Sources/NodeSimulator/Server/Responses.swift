import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OllamaAPI

/// Building responses with the exact content types Ollama sends.
enum Responses {
    static let jsonType = "application/json; charset=utf-8"
    static let ndjsonType = "application/x-ndjson"
    static let sseType = "text/event-stream"
    static let textType = "text/plain; charset=utf-8"

    /// A JSON body (Go's `c.JSON`).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? OllamaJSON.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: jsonType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// Ollama's `{"error": "..."}`.
    static func ollamaError(_ message: String, status: HTTPResponse.Status) -> Response {
        json(ErrorResponse(error: message), status: status)
    }

    /// The OpenAI-compatible `{"error": {"message", "type", ...}}`.
    static func openAIError(_ message: String, status: HTTPResponse.Status) -> Response {
        json(OpenAIErrorResponse(status: status.code, message: message), status: status)
    }

    /// Plain text (Go's `c.String`).
    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: textType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }

    /// A streamed body; `write` sends pieces as they are ready.
    static func stream(
        contentType: String,
        _ write: @escaping @Sendable (inout any ResponseBodyWriter) async throws -> Void
    ) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        if contentType == sseType { headers[.cacheControl] = "no-cache" }
        return Response(status: .ok, headers: headers, body: ResponseBody(write))
    }
}

extension ResponseBodyWriter {
    /// Writes one NDJSON line.
    mutating func writeLine(_ value: some Encodable) async throws {
        try await write(ByteBuffer(bytes: OllamaJSON.encodeLine(value)))
    }

    /// Writes one SSE `data:` event holding `value` as JSON.
    mutating func writeEvent(_ value: some Encodable) async throws {
        let json = String(decoding: try OllamaJSON.encode(value), as: UTF8.self)
        try await write(ByteBuffer(bytes: SSEEvent(data: json).encoded()))
    }

    /// Writes the `data: [DONE]` that ends an OpenAI stream.
    mutating func writeDone() async throws {
        try await write(ByteBuffer(bytes: SSEEvent(data: "[DONE]").encoded()))
    }
}
