import Foundation
import OllamaAPI

/// Watches a relayed answer without changing it: recognises `{"error"}` lines a node sends in
/// the middle of a stream (the status stays 200).
struct StreamInspector {
    enum Framing {
        case ndjson
        case sse
        case whole
    }

    let framing: Framing
    private var lines = NDJSONDecoder(maxLineLength: 64 << 20)
    private var events = SSEDecoder(maxLineLength: 64 << 20)
    /// The error message a node sent inside the stream, if any.
    private(set) var streamError: String?

    init(contentType: String?) {
        let type = contentType?.lowercased() ?? ""
        if type.hasPrefix("application/x-ndjson") {
            framing = .ndjson
        } else if type.hasPrefix("text/event-stream") {
            framing = .sse
        } else {
            framing = .whole
        }
    }

    mutating func inspect(_ bytes: some Sequence<UInt8>) {
        switch framing {
        case .ndjson:
            guard let complete = try? lines.feed(bytes) else { return }
            for line in complete { examine(line) }
        case .sse:
            guard let complete = try? events.feed(bytes) else { return }
            for event in complete {
                if !event.isDone, event.data.contains("\"error\""), let object = try? JSONDecoder().decode(JSONObject.self, from: Data(event.data.utf8)),
                    let error = object["error"]
                {
                    streamError = error.objectValue?["message"]?.stringValue ?? error.stringValue ?? "error"
                }
            }
        case .whole:
            return
        }
    }

    private static let errorKey = Array(#""error""#.utf8)

    private mutating func examine(_ line: [UInt8]) {
        // Token lines are passed over with a byte search; only lines that can be errors are decoded.
        guard line.containsBytes(Self.errorKey),
            let object = try? JSONDecoder().decode(JSONObject.self, from: Data(line)),
            let error = object["error"]?.stringValue
        else { return }
        streamError = error
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs in the array.
    func containsBytes(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, count >= needle.count else { return false }
        let first = needle[0]
        var index = 0
        while index <= count - needle.count {
            if self[index] == first, self[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
