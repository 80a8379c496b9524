import OllamaAPI

/// Turns an answer's chunks and their arrival times into token times and token counts.
///
/// A token is an NDJSON line of a streamed Ollama answer that is not the final (`"done":true`)
/// one, or an SSE event of an OpenAI stream that carries a non-empty `choices` array. Counts
/// come from the server's own statistics when present (`eval_count`, `usage`), otherwise from
/// the tokens seen. Pure: times are given, not read from a clock.
public struct StreamTiming: Sendable {
    public let streamed: Bool
    private var lines = NDJSONDecoder()
    private var events = SSEDecoder()
    private var usage = UsageScanner()
    private let sse: Bool
    /// Arrival time of every token, in seconds on the caller's clock.
    public private(set) var tokenTimes: [Double] = []
    /// Whether the answer's own end marker arrived (`"done":true` or `[DONE]`).
    public private(set) var finished = false
    /// The first line or event that was not what the API sends, if any.
    public private(set) var malformed = false

    public init(streamed: Bool, sse: Bool) {
        self.streamed = streamed
        self.sse = sse
    }

    /// Feeds one chunk that arrived at `time`.
    public mutating func feed(_ bytes: some Collection<UInt8>, at time: Double) {
        usage.scan(bytes)
        guard streamed else { return }
        if sse {
            guard let complete = try? events.feed(bytes) else {
                malformed = true
                return
            }
            for event in complete {
                if event.isDone {
                    finished = true
                } else if event.data.contains("\"choices\":[{") {
                    tokenTimes.append(time)
                } else if !event.data.hasPrefix("{") {
                    malformed = true
                }
            }
        } else {
            guard let complete = try? lines.feed(bytes) else {
                malformed = true
                return
            }
            for line in complete where !line.isEmpty {
                if line.first != UInt8(ascii: "{") {
                    malformed = true
                } else if Self.contains(line, "\"done\":true") {
                    finished = true
                } else if Self.contains(line, "\"error\"") {
                    malformed = true
                } else {
                    tokenTimes.append(time)
                }
            }
        }
    }

    /// The server's statistics, if it sent them.
    public var reported: UsageScanner.Usage { usage.usage }

    /// Output tokens: the server's count, else the tokens seen in the stream.
    public var outputTokens: Int? {
        reported.outputTokens ?? (streamed ? tokenTimes.count : nil)
    }

    /// Gaps between consecutive tokens.
    public var gaps: [Double] {
        zip(tokenTimes.dropFirst(), tokenTimes).map { $0 - $1 }
    }

    static func contains(_ bytes: [UInt8], _ text: StaticString) -> Bool {
        let needle = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        guard bytes.count >= needle.count, let first = needle.first else { return false }
        var index = 0
        while index + needle.count <= bytes.count {
            if bytes[index] == first, bytes[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
