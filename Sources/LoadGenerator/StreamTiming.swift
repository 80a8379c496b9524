import OllamaAPI

/// Turns an answer's chunks and their arrival times into token times and token counts.
///
/// What counts as a token, per API (``LoadTarget/API``):
/// - `ollama`: an NDJSON line that is not the final (`"done":true`) one;
/// - `openai`: an SSE event that carries a non-empty `choices` array;
/// - `anthropic`: a `content_block_delta` event (text, thinking or tool input), never
///   `message_start` or `content_block_start`, which come before any token;
/// - `responses`: a content delta (``ResponsesEvents/tokenEvents``), never `response.created`.
///
/// Counts come from the server's own statistics when present (`eval_count`, `usage`; the last
/// value wins, so Anthropic's final `message_delta` counts, not `message_start`), otherwise from
/// the tokens seen. An error inside the stream (an NDJSON `{"error"}` line, an SSE `error`
/// event) is kept with its message. Pure: times are given, not read from a clock.
public struct StreamTiming: Sendable {
    public let streamed: Bool
    public let api: LoadTarget.API
    private var lines = NDJSONDecoder()
    private var events = SSEDecoder()
    private var usage = UsageScanner()
    /// Arrival time of every token, in seconds on the caller's clock.
    public private(set) var tokenTimes: [Double] = []
    /// Whether the answer's own end marker arrived (`"done":true`, `[DONE]`, `message_stop`, `response.completed`).
    public private(set) var finished = false
    /// The first line or event that was not what the API sends, if any.
    public private(set) var malformed = false
    /// The message of the first error the stream itself reported, if any.
    public private(set) var errorMessage: String?

    /// Timing of an answer from `api`, streamed or not.
    public init(streamed: Bool, api: LoadTarget.API) {
        self.streamed = streamed
        self.api = api
    }

    /// Feeds one chunk that arrived at `time`.
    public mutating func feed(_ bytes: some Collection<UInt8>, at time: Double) {
        usage.scan(bytes)
        guard streamed else { return }
        if api.streamsEvents {
            guard let complete = try? events.feed(bytes) else {
                malformed = true
                return
            }
            for event in complete { take(event, at: time) }
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
                    failed(ErrorText.message(in: line))
                } else {
                    tokenTimes.append(time)
                }
            }
        }
    }

    private mutating func take(_ event: SSEEvent, at time: Double) {
        if api == .openai && event.isDone {
            finished = true
            return
        }
        guard event.data.hasPrefix("{") else {
            malformed = true
            return
        }
        switch api {
        case .openai:
            if event.data.contains("\"choices\":[{") {
                tokenTimes.append(time)
            } else if event.data.hasPrefix("{\"error\"") {
                failed(ErrorText.message(in: Array(event.data.utf8)))
            }
        case .anthropic, .responses:
            let name = event.event ?? ErrorText.type(in: event.data)
            switch StreamEvents.kind(of: name, api: api) {
            case .token: tokenTimes.append(time)
            case .end: finished = true
            case .error: failed(ErrorText.message(in: Array(event.data.utf8)))
            case .other: break
            }
        case .ollama:
            break
        }
    }

    private mutating func failed(_ message: String) {
        if errorMessage == nil { errorMessage = message }
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
