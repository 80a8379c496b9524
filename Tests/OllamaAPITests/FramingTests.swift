import OllamaAPI
import Testing

/// NDJSON and SSE decoders yield whole messages whatever the chunk boundaries.
struct FramingTests {
    static let ndjson = Array(
        "{\"a\":1}\n{\"b\":\"two\\nlines\"}\r\n\n  \n{\"c\":[1,2,3]}\n{\"d\":\"ünï\"}\n".utf8
    )
    static let expectedLines = [#"{"a":1}"#, #"{"b":"two\nlines"}"#, #"{"c":[1,2,3]}"#, #"{"d":"ünï"}"#]

    /// Splits `bytes` at seeded random points into chunks of 1 to `maxChunk` bytes.
    static func chunks(_ bytes: [UInt8], seed: UInt64, maxChunk: Int) -> [[UInt8]] {
        var state = seed
        var result: [[UInt8]] = []
        var index = 0
        while index < bytes.count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let size = 1 + Int((state >> 33) % UInt64(maxChunk))
            result.append(Array(bytes[index..<min(bytes.count, index + size)]))
            index += size
        }
        return result
    }

    func decodeNDJSON(_ pieces: [[UInt8]]) throws -> [String] {
        var decoder = NDJSONDecoder()
        var lines: [String] = []
        for piece in pieces {
            lines += try decoder.feed(piece).map { String(decoding: $0, as: UTF8.self) }
        }
        if let last = decoder.finish() { lines.append(String(decoding: last, as: UTF8.self)) }
        return lines
    }

    @Test func ndjsonWhole() throws {
        #expect(try decodeNDJSON([Self.ndjson]) == Self.expectedLines)
    }

    @Test func ndjsonByteByByte() throws {
        #expect(try decodeNDJSON(Self.ndjson.map { [$0] }) == Self.expectedLines)
    }

    @Test(arguments: 1...40)
    func ndjsonRandomChunks(seed: UInt64) throws {
        #expect(try decodeNDJSON(Self.chunks(Self.ndjson, seed: seed, maxChunk: 9)) == Self.expectedLines)
    }

    @Test func ndjsonLastLineWithoutNewlineComesFromFinish() throws {
        var decoder = NDJSONDecoder()
        #expect(try decoder.feed(Array("{\"a\":1}\n{\"b\"".utf8)).count == 1)
        #expect(try decoder.feed(Array(":2}".utf8)).isEmpty)
        #expect(decoder.finish().map { String(decoding: $0, as: UTF8.self) } == #"{"b":2}"#)
        #expect(decoder.finish() == nil)
    }

    @Test func ndjsonRefusesAnEndlessLine() throws {
        var decoder = NDJSONDecoder(maxLineLength: 16)
        #expect(throws: FramingError.lineTooLong(limit: 16)) {
            _ = try decoder.feed(Array(repeating: UInt8(ascii: "x"), count: 17))
        }
    }

    static let sse = Array(
        (": keep-alive comment\n"
            + "data: {\"id\":1}\n\n"
            + "event: message\r\nid: 7\r\ndata: line one\r\ndata: line two\r\n\r\n"
            + "data:{\"no\":\"space\"}\r\r"
            + "retry: 100\n\n"
            + "data: [DONE]\n\n").utf8
    )
    static let expectedEvents = [
        SSEEvent(data: #"{"id":1}"#),
        SSEEvent(event: "message", data: "line one\nline two", id: "7"),
        SSEEvent(data: #"{"no":"space"}"#, id: "7"),
        SSEEvent(data: "[DONE]", id: "7"),
    ]

    func decodeSSE(_ pieces: [[UInt8]]) throws -> [SSEEvent] {
        var decoder = SSEDecoder()
        var events: [SSEEvent] = []
        for piece in pieces { events += try decoder.feed(piece) }
        if let last = decoder.finish() { events.append(last) }
        return events
    }

    @Test func sseWholeAndByteByByte() throws {
        #expect(try decodeSSE([Self.sse]) == Self.expectedEvents)
        #expect(try decodeSSE(Self.sse.map { [$0] }) == Self.expectedEvents)
        #expect(try decodeSSE([Self.sse]).last?.isDone == true)
    }

    @Test(arguments: 1...40)
    func sseRandomChunks(seed: UInt64) throws {
        #expect(try decodeSSE(Self.chunks(Self.sse, seed: seed, maxChunk: 7)) == Self.expectedEvents)
    }

    @Test func sseEventWithoutTrailingBlankLineIsDispatchedByFinish() throws {
        var decoder = SSEDecoder()
        #expect(try decoder.feed(Array("data: tail".utf8)).isEmpty)
        #expect(decoder.finish() == SSEEvent(data: "tail"))
    }

    @Test func sseEncodingRoundTrips() throws {
        let event = SSEEvent(event: "update", data: "a\nb", id: "3")
        var decoder = SSEDecoder()
        #expect(try decoder.feed(event.encoded()) == [event])
        #expect(String(decoding: SSEEvent(data: "[DONE]").encoded(), as: UTF8.self) == "data: [DONE]\n\n")
    }
}
