/// One server-sent event: its `data` lines joined by `\n`, and its optional `event` and `id`.
public struct SSEEvent: Sendable, Hashable {
    public var event: String?
    public var data: String
    public var id: String?

    public init(event: String? = nil, data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }

    /// The `data: [DONE]` sentinel that ends an OpenAI stream.
    public var isDone: Bool { data == "[DONE]" }

    /// The event in wire form, ending with the blank line.
    public func encoded() -> [UInt8] {
        var text = ""
        if let event { text += "event: \(event)\n" }
        if let id { text += "id: \(id)\n" }
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) {
            text += "data: \(line)\n"
        }
        text += "\n"
        return Array(text.utf8)
    }
}

/// Parses a `text/event-stream` incrementally, per the WHATWG rules that matter for LLM APIs.
///
/// Lines end in `\n`, `\r\n` or `\r`; a blank line dispatches the event; lines starting with `:`
/// are comments; `data` lines accumulate; an event with no data is not dispatched.
public struct SSEDecoder: Sendable {
    private var lines = LineSplitter()
    private var data: [String] = []
    private var event: String?
    private var id: String?

    public init(maxLineLength: Int = 16 << 20) {
        lines = LineSplitter(maxLineLength: maxLineLength)
    }

    /// Appends `bytes` and returns every event they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(FramingError) -> [SSEEvent] {
        var events: [SSEEvent] = []
        for line in try lines.feed(bytes) {
            if let ready = process(line) { events.append(ready) }
        }
        return events
    }

    /// Dispatches a final event that was not followed by a blank line, and resets the decoder.
    public mutating func finish() -> SSEEvent? {
        var last: SSEEvent?
        if let line = lines.finish() { last = process(line) }
        if last == nil, !data.isEmpty { last = SSEEvent(event: event, data: data.joined(separator: "\n"), id: id) }
        data = []
        event = nil
        return last
    }

    private mutating func process(_ line: [UInt8]) -> SSEEvent? {
        if line.isEmpty {
            defer {
                data = []
                event = nil
            }
            guard !data.isEmpty else { return nil }
            return SSEEvent(event: event, data: data.joined(separator: "\n"), id: id)
        }
        if line.first == UInt8(ascii: ":") { return nil }
        let text = String(decoding: line, as: UTF8.self)
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = text[...]
            value = ""
        }
        switch field {
        case "data": data.append(String(value))
        case "event": event = String(value)
        case "id": id = String(value)
        default: break
        }
        return nil
    }
}

/// Splits bytes into lines on `\n`, `\r\n` or `\r`, keeping blank lines (SSE needs them).
struct LineSplitter: Sendable {
    let maxLineLength: Int
    private var buffer: [UInt8] = []
    private var lastWasCR = false

    init(maxLineLength: Int = 16 << 20) {
        self.maxLineLength = maxLineLength
    }

    mutating func feed(_ bytes: some Sequence<UInt8>) throws(FramingError) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for byte in bytes {
            if lastWasCR {
                lastWasCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                lines.append(buffer)
                buffer.removeAll(keepingCapacity: true)
                lastWasCR = byte == UInt8(ascii: "\r")
            } else {
                buffer.append(byte)
                if buffer.count > maxLineLength { throw FramingError.lineTooLong(limit: maxLineLength) }
            }
        }
        return lines
    }

    mutating func finish() -> [UInt8]? {
        defer {
            buffer = []
            lastWasCR = false
        }
        return buffer.isEmpty ? nil : buffer
    }
}
