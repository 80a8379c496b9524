import Foundation

/// One Server-Sent Event: a name and a JSON body, framed as the EventSource API reads it.
public struct ServerSentEvent: Sendable, Hashable {
    public var event: String
    public var data: String

    public init(event: String, data: String) {
        self.event = event
        self.data = data
    }

    /// An event whose data is `value` as JSON (one line: JSON without pretty printing has no newline).
    public init(event: String, json value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
        self.init(event: event, data: data)
    }

    /// `event: NAME`, one `data:` line per line of the data, and the blank line that ends it.
    public var text: String {
        "event: \(event)\n" + data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }.joined() + "\n"
    }
}
