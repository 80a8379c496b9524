/// Why a request failed; the raw value is the key used in reports (`errors_by_kind`).
public enum ErrorKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The connection could not be opened.
    case connect
    /// No answer (or no next token) within the time allowed.
    case timeout
    /// The server answered 4xx.
    case http4xx = "http_4xx"
    /// The server answered 5xx.
    case http5xx = "http_5xx"
    /// The body could not be parsed, or was an error object.
    case badResponse = "bad_response"
    /// The stream ended before its final chunk.
    case streamBroken = "stream_broken"
    /// The run ended (deadline, Ctrl-C) while the request was in flight.
    case cancelled
}

/// What one request did, timed from the start of the run.
///
/// Latencies are measured from ``intendedStart``, not ``actualStart``: in an open-loop run a
/// client that falls behind its schedule must not hide the wait from the results (coordinated
/// omission). In a closed-loop run the two are equal.
public struct RequestResult: Sendable, Hashable, Codable {
    /// When the schedule meant to send it, seconds from the run start (closed loop: the actual start).
    public var intendedStart: Double
    /// When it was actually sent, seconds from the run start.
    public var actualStart: Double
    /// Time to first token, seconds from ``intendedStart``; nil when no token arrived.
    public var ttft: Double?
    /// Gaps between consecutive tokens (chunks) after the first, seconds.
    public var gaps: [Double]
    /// Time until the last byte, seconds from ``intendedStart``.
    public var endToEnd: Double
    /// Prompt tokens as the server counted them, when it said.
    public var promptTokens: Int?
    /// Output tokens as the server counted them, when it said.
    public var outputTokens: Int?
    /// The HTTP status, when a response arrived.
    public var status: Int?
    /// Why it failed; nil for a success.
    public var error: ErrorKind?
    /// What the server said went wrong: the message of an error answer (any status outside
    /// 2xx) or of an error inside the stream; nil when it said nothing.
    public var errorMessage: String?

    /// Creates a result; `actualStart` defaults to `intendedStart` (closed loop).
    public init(
        intendedStart: Double,
        actualStart: Double? = nil,
        ttft: Double? = nil,
        gaps: [Double] = [],
        endToEnd: Double,
        promptTokens: Int? = nil,
        outputTokens: Int? = nil,
        status: Int? = nil,
        error: ErrorKind? = nil,
        errorMessage: String? = nil
    ) {
        self.intendedStart = intendedStart
        self.actualStart = actualStart ?? intendedStart
        self.ttft = ttft
        self.gaps = gaps
        self.endToEnd = endToEnd
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
        self.status = status
        self.error = error
        self.errorMessage = errorMessage
    }

    /// True when the request completed without error.
    public var succeeded: Bool { error == nil }

    /// Time per output token after the first: `(endToEnd − ttft) / (outputTokens − 1)`; nil
    /// without a TTFT or with fewer than two output tokens.
    public var timePerOutputToken: Double? {
        guard let ttft, let outputTokens, outputTokens > 1 else { return nil }
        return (endToEnd - ttft) / Double(outputTokens - 1)
    }

    /// The mean of ``gaps`` (the request's inter-token latency); nil when there are no gaps.
    public var meanGap: Double? {
        gaps.isEmpty ? nil : gaps.reduce(0, +) / Double(gaps.count)
    }

    /// How late the client sent it: `actualStart − intendedStart`, seconds.
    public var schedulerLag: Double { actualStart - intendedStart }

    private enum CodingKeys: String, CodingKey {
        case intendedStart = "intended_start"
        case actualStart = "actual_start"
        case ttft, gaps
        case endToEnd = "e2e"
        case promptTokens = "prompt_tokens"
        case outputTokens = "output_tokens"
        case status, error
        case errorMessage = "error_message"
    }
}
