import Foundation
import OllamaAPI
import Testing

struct AnthropicErrorTests {
    @Test(arguments: [
        (400, "invalid_request_error"), (401, "authentication_error"), (403, "permission_error"), (404, "not_found_error"),
        (413, "request_too_large"), (429, "rate_limit_error"), (503, "overloaded_error"), (529, "overloaded_error"),
        (500, "api_error"), (502, "api_error"),
    ])
    func errorTypeFollowsTheStatusAsOllamaMapsIt(status: Int, type: String) {
        #expect(AnthropicErrorResponse.errorType(status: status) == type)
        #expect(AnthropicErrorResponse(status: status, message: "m").error.type == type)
    }

    @Test func errorBodyHasAnthropicsShapeAndOmitsANilRequestID() throws {
        let withoutID = try OllamaJSON.encode(AnthropicErrorResponse(status: 404, message: "model 'x' not found"))
        #expect(
            String(decoding: withoutID, as: UTF8.self)
                == #"{"error":{"message":"model 'x' not found","type":"not_found_error"},"type":"error"}"#
        )
        let withID = try OllamaJSON.encode(AnthropicErrorResponse(status: 400, message: "bad", requestID: "req_01"))
        #expect(
            String(decoding: withID, as: UTF8.self)
                == #"{"error":{"message":"bad","type":"invalid_request_error"},"request_id":"req_01","type":"error"}"#
        )
    }

    @Test func ollamasErrorBodyDecodes() throws {
        let body = #"{"type":"error","error":{"type":"overloaded_error","message":"busy"},"request_id":"req_9f"}"#
        let decoded = try OllamaJSON.decode(AnthropicErrorResponse.self, from: Data(body.utf8))
        #expect(decoded == AnthropicErrorResponse(status: 503, message: "busy", requestID: "req_9f"))
    }
}
