import Foundation
import OllamaAPI

/// Watches a relayed answer without changing it: recognises the errors a node sends in the middle
/// of a stream (the status stays 200): `{"error"}` NDJSON lines and SSE `data:` lines, Anthropic's
/// `{"type":"error","error":{...}}` and the Responses `{"type":"error","message":...}` event.
/// It also counts the SSE events relayed, which numbers the Responses error event the gateway
/// writes after them.
struct StreamInspector {
    enum Framing {
        case ndjson
        case sse
        case whole
    }

    let framing: Framing
    private var lines = NDJSONDecoder(maxLineLength: 64 << 20)
    /// The error message a node sent inside the stream, if any.
    private(set) var streamError: String?
    /// How many SSE `data:` lines (one per event, as Ollama writes them) went past.
    private(set) var events = 0
    /// The `sequence_number` of the first SSE event, when it has one (Responses events are
    /// numbered one by one).
    private(set) var firstSequenceNumber: Int?

    /// The number the next Responses event takes, after the events relayed.
    var nextSequenceNumber: Int { (firstSequenceNumber ?? 0) + events }

    init(contentType: String?) {
        let type = contentType ?? ""
        if Self.hasPrefix(type, ignoringCase: "application/x-ndjson") {
            framing = .ndjson
        } else if Self.hasPrefix(type, ignoringCase: "text/event-stream") {
            framing = .sse
        } else {
            framing = .whole
        }
    }

    /// Whether `text` starts with the lowercase ASCII `prefix`, in any case (without the copy
    /// `lowercased()` makes on every answer).
    static func hasPrefix(_ text: String, ignoringCase prefix: StaticString) -> Bool {
        var bytes = text.utf8.makeIterator()
        return prefix.withUTF8Buffer { expected in
            expected.allSatisfy { wanted in
                guard let byte = bytes.next() else { return false }
                return byte | (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? 0x20 : 0) == wanted
            }
        }
    }

    mutating func inspect(_ bytes: some Sequence<UInt8>) {
        guard framing != .whole, let complete = try? lines.feed(bytes) else { return }
        for line in complete { examine(line) }
    }

    private static let errorKey = Array(#""error""#.utf8)
    private static let sequenceKey = Array(#""sequence_number":"#.utf8)
    private static let dataField = Array("data:".utf8)

    /// Token lines and events are passed over with a byte search; only a line that can be an
    /// error is decoded. An SSE error is a `data:` line holding `{"error": {"message": ...}}`
    /// (OpenAI's and, with `"type":"error"`, Anthropic's shape), `{"error": "..."}`, or
    /// `{"type": "error", "message": ...}` (the Responses error event); SSE needs no event
    /// assembly here, because an error object is one JSON line.
    private mutating func examine(_ line: [UInt8]) {
        if framing == .sse {
            guard line.starts(with: Self.dataField) else { return }
            events += 1
            if events == 1 { firstSequenceNumber = Self.integer(after: Self.sequenceKey, in: line) }
        }
        guard line.containsBytes(Self.errorKey) else { return }
        var json = line[...]
        if framing == .sse {
            json = json.dropFirst(Self.dataField.count)
            if json.first == UInt8(ascii: " ") { json = json.dropFirst() }
        }
        guard let object = try? JSONDecoder().decode(JSONObject.self, from: Data(json)) else { return }
        if let error = object["error"] {
            streamError = error.objectValue?["message"]?.stringValue ?? error.stringValue ?? "error"
        } else if object["type"]?.stringValue == "error" {
            streamError = object["message"]?.stringValue ?? "error"
        }
    }
}

extension StreamInspector {
    /// The non-negative integer right after `key` in `line` (spaces allowed between), if any.
    static func integer(after key: [UInt8], in line: [UInt8]) -> Int? {
        guard let start = line.indexAfter(key) else { return nil }
        var index = start
        while index < line.count, line[index] == UInt8(ascii: " ") { index += 1 }
        var value = 0
        var digits = 0
        while index < line.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(line[index]), digits < 18 {
            value = value * 10 + Int(line[index] - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        return digits > 0 ? value : nil
    }
}

extension Array where Element == UInt8 {
    /// The index just after the first occurrence of `needle`, if any.
    func indexAfter(_ needle: [UInt8]) -> Int? {
        guard !needle.isEmpty, count >= needle.count else { return nil }
        let first = needle[0]
        var index = 0
        while index <= count - needle.count {
            if self[index] == first, self[index..<index + needle.count].elementsEqual(needle) { return index + needle.count }
            index += 1
        }
        return nil
    }

    /// Whether `needle` occurs in the array.
    func containsBytes(_ needle: [UInt8]) -> Bool {
        indexAfter(needle) != nil
    }
}
