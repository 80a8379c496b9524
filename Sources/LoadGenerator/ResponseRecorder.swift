import OllamaAPI

/// Turns the events of one answer (head, body chunks, end or failure) into a ``RequestResult``.
///
/// Pure: every time is given in seconds from the request's intended start, so the recorder is
/// tested without sockets or clocks; ``LoadConnection`` feeds it from the event loop.
struct ResponseRecorder: Sendable {
    private var result: RequestResult
    private var timing: StreamTiming
    private var firstByte: UInt8?
    /// The start of a non-2xx answer's body, for its message.
    private var errorBody: [UInt8] = []
    private let target: LoadTarget

    /// The most of an error answer's body kept for its message.
    static let errorBodyLimit = 4096

    /// Starts recording a request planned at `intendedStart` and sent at `actualStart` (seconds from the run start).
    init(target: LoadTarget, intendedStart: Double, actualStart: Double) {
        self.target = target
        result = RequestResult(intendedStart: intendedStart, actualStart: actualStart, endToEnd: 0)
        timing = StreamTiming(streamed: target.stream, api: target.api)
    }

    /// Whether the response head has arrived.
    var gotHead: Bool { result.status != nil }

    /// The response head arrived.
    mutating func head(status: Int) {
        result.status = status
    }

    /// A body chunk arrived `time` seconds after the intended start.
    mutating func body(_ bytes: some Collection<UInt8>, at time: Double) {
        if firstByte == nil { firstByte = bytes.first { $0 > 0x20 } }
        if let status = result.status, !(200..<300).contains(status) {
            errorBody += bytes.prefix(Self.errorBodyLimit - errorBody.count)
            return
        }
        timing.feed(bytes, at: time)
    }

    /// The answer ended `time` seconds after the intended start, completely (`error == nil`) or not.
    func finish(at time: Double, error: ErrorKind? = nil) -> RequestResult {
        var result = result
        result.endToEnd = time
        result.error = error ?? classify()
        result.ttft = target.stream ? timing.tokenTimes.first : nil
        result.gaps = timing.gaps
        result.promptTokens = timing.reported.promptTokens
        result.outputTokens = timing.outputTokens
        if let status = result.status, !(200..<300).contains(status) {
            result.errorMessage = errorBody.isEmpty ? "HTTP \(status) with no body" : ErrorText.message(in: errorBody)
        } else {
            result.errorMessage = timing.errorMessage
        }
        return result
    }

    /// What a complete answer says about the request: an HTTP error, a body that is not the
    /// API's or reports an error, a cut stream.
    private func classify() -> ErrorKind? {
        guard let status = result.status else { return .streamBroken }
        if status >= 500 { return .http5xx }
        if status >= 400 { return .http4xx }
        let json = firstByte == nil || firstByte == UInt8(ascii: "{") || (target.stream && target.api.streamsEvents)
        if timing.malformed || timing.errorMessage != nil || !json { return .badResponse }
        if target.stream && !timing.finished { return .streamBroken }
        return nil
    }
}
