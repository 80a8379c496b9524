import HTTPTypes
import NIOCore
import OllamaAPI
import Testing

@testable import Gateway

/// Gateway-made errors and stream endings in each route's own shape.
struct ErrorStyleTests {
    static func text(_ buffer: ByteBuffer) -> String {
        String(buffer: buffer)
    }

    @Test func eachRouteHasItsStyle() {
        #expect(ErrorStyle(path: "/api/chat") == .ollama)
        #expect(ErrorStyle(path: "/v1/chat/completions") == .openAI)
        #expect(ErrorStyle(path: "/v1/messages") == .anthropic)
        #expect(ErrorStyle(path: "/v1/responses") == .responses)
        #expect(ErrorStyle(path: "/v1/messages/count_tokens") == .openAI)
    }

    @Test func anthropicErrorsAreAnthropicsBodyWithTheTypeForTheStatus() {
        #expect(
            Self.text(ErrorStyle.anthropic.body("no healthy node", status: .serviceUnavailable, requestID: "abc"))
                == #"{"error":{"message":"no healthy node","type":"overloaded_error"},"request_id":"abc","type":"error"}"#
        )
        #expect(
            Self.text(ErrorStyle.anthropic.body("too large", status: .contentTooLarge))
                == #"{"error":{"message":"too large","type":"request_too_large"},"type":"error"}"#
        )
    }

    @Test func responsesErrorsAreOpenAIsBody() throws {
        let body = Self.text(ErrorStyle.responses.body("model 'x' not found", status: .notFound, requestID: "abc"))
        let expected = OpenAIErrorResponse(status: 404, message: "model 'x' not found")
        #expect(body == String(decoding: try OllamaJSON.encode(expected), as: UTF8.self))
    }

    @Test func brokenStreamsEndWithTheRoutesErrorEvent() {
        var sse = StreamInspector(contentType: "text/event-stream")
        sse.inspect(
            Array(
                "event: response.created\ndata: {\"sequence_number\": 1}\n\nevent: response.in_progress\ndata: {\"sequence_number\":2}\n\n".utf8
            )
        )
        #expect(
            Self.text(ErrorStyle.anthropic.streamErrorLine("node n failed mid-stream: eof", after: sse))
                == "event: error\n" + #"data: {"error":{"message":"node n failed mid-stream: eof","type":"api_error"},"type":"error"}"#
                + "\n\n"
        )
        #expect(
            Self.text(ErrorStyle.responses.streamErrorLine("node n failed mid-stream: eof", after: sse))
                == "event: error\n"
                + #"data: {"code":"api_error","message":"node n failed mid-stream: eof","param":null,"sequence_number":3,"type":"error"}"#
                + "\n\n"
        )
        #expect(
            Self.text(ErrorStyle.openAI.streamErrorLine("x", after: sse))
                == #"data: {"error":{"code":null,"message":"x","param":null,"type":"api_error"}}"# + "\n\n"
        )
        let ndjson = StreamInspector(contentType: "application/x-ndjson")
        #expect(Self.text(ErrorStyle.ollama.streamErrorLine("x", after: ndjson)) == #"{"error":"x"}"# + "\n")
    }
}
