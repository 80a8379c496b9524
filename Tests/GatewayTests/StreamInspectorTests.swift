import Testing

@testable import Gateway

/// Error lines inside relayed streams, found by a byte search whatever the chunking.
struct StreamInspectorTests {
    static func inspect(_ text: String, contentType: String, chunk: Int) -> String? {
        var inspector = StreamInspector(contentType: contentType)
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            inspector.inspect(bytes[start..<min(bytes.count, start + chunk)])
            start += chunk
        }
        return inspector.streamError
    }

    @Test func anNDJSONErrorLineIsFound() {
        let stream = #"{"response":"the \"error\" word","done":false}"# + "\n" + #"{"error":"model runner crashed"}"# + "\n"
        for chunk in [1, 7, 4096] {
            #expect(Self.inspect(stream, contentType: "application/x-ndjson", chunk: chunk) == "model runner crashed")
        }
        #expect(Self.inspect(#"{"response":"error","done":true}"# + "\n", contentType: "application/x-ndjson", chunk: 3) == nil)
    }

    @Test func anSSEErrorEventIsFoundInEitherShape() {
        let token = #"data: {"choices":[{"delta":{"content":"\"error\""}}]}"# + "\n\n"
        let openAI = token + #"data: {"error":{"message":"upstream failed","type":"api_error"}}"# + "\n\n" + "data: [DONE]\n\n"
        let plain = token + #"data:{"error":"node busy"}"# + "\n\n"
        for chunk in [1, 5, 4096] {
            #expect(Self.inspect(openAI, contentType: "text/event-stream", chunk: chunk) == "upstream failed")
            #expect(Self.inspect(plain, contentType: "text/event-stream; charset=utf-8", chunk: chunk) == "node busy")
            #expect(Self.inspect(token + "data: [DONE]\n\n", contentType: "text/event-stream", chunk: chunk) == nil)
        }
    }

    @Test func wholeAnswersAreNotInspected() {
        #expect(Self.inspect(#"{"error":"x"}"#, contentType: "application/json", chunk: 100) == nil)
    }

    @Test func theFramingFollowsTheContentTypeInAnyCase() {
        #expect(StreamInspector(contentType: "Application/X-NDJSON; charset=utf-8").framing == .ndjson)
        #expect(StreamInspector(contentType: "TEXT/event-stream").framing == .sse)
        #expect(StreamInspector(contentType: "text/event-strea").framing == .whole)
        #expect(StreamInspector(contentType: "application/json").framing == .whole)
        #expect(StreamInspector(contentType: "").framing == .whole)
        #expect(StreamInspector(contentType: nil).framing == .whole)
        // Only A-Z fold: a byte 0x20 above a lowercase letter is not that letter.
        #expect(StreamInspector(contentType: "text\u{0F}event-stream").framing == .whole)
    }
}

extension StreamInspectorTests {
    @Test func anAnthropicErrorEventIsFound() {
        let delta =
            "event: content_block_delta\n" + #"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\"error\""}}"#
            + "\n\n"
        let error = "event: error\n" + #"data: {"type":"error","error":{"type":"overloaded_error","message":"model runner crashed"}}"# + "\n\n"
        for chunk in [1, 6, 4096] {
            #expect(Self.inspect(delta + error, contentType: "text/event-stream", chunk: chunk) == "model runner crashed")
            #expect(Self.inspect(delta, contentType: "text/event-stream", chunk: chunk) == nil)
        }
    }

    @Test func aResponsesErrorEventIsFound() {
        let delta =
            "event: response.output_text.delta\n"
            + #"data: {"type":"response.output_text.delta","delta":"an \"error\"","sequence_number":4}"# + "\n\n"
        let error =
            "event: error\n" + #"data: {"type":"error","code":"api_error","message":"runner gone","param":null,"sequence_number":5}"#
            + "\n\n"
        for chunk in [1, 6, 4096] {
            #expect(Self.inspect(delta + error, contentType: "text/event-stream", chunk: chunk) == "runner gone")
            #expect(Self.inspect(delta, contentType: "text/event-stream", chunk: chunk) == nil)
        }
    }

    @Test func sseEventsAreCountedByTheirDataLines() {
        var inspector = StreamInspector(contentType: "text/event-stream")
        let events = (0..<3).map { "event: response.output_text.delta\ndata: {\"sequence_number\":\($0)}\n\n" }.joined()
        inspector.inspect(Array(events.utf8))
        #expect(inspector.events == 3)
        var ndjson = StreamInspector(contentType: "application/x-ndjson")
        ndjson.inspect(Array("{\"response\":\"data:\"}\n".utf8))
        #expect(ndjson.events == 0)
    }
}
