/// Picks the token statistics out of an answer as it streams past, without decoding it.
///
/// Ollama puts `prompt_eval_count`, `eval_count` and `eval_duration` in its final object (the
/// whole answer, or the last NDJSON line); the OpenAI-compatible routes put `prompt_tokens` and
/// `completion_tokens` in `usage`. The scanner follows JSON string boundaries across chunks, so
/// text that merely mentions a key is never mistaken for it, and keeps the last value of each key.
public struct UsageScanner: Sendable {
    /// The statistics found so far; `nil` fields were not seen.
    public struct Usage: Sendable, Hashable {
        public var promptTokens: Int?
        public var outputTokens: Int?
        /// Nanoseconds the node spent generating `outputTokens` (Ollama only).
        public var evalDurationNanoseconds: Int?

        public init(promptTokens: Int? = nil, outputTokens: Int? = nil, evalDurationNanoseconds: Int? = nil) {
            self.promptTokens = promptTokens
            self.outputTokens = outputTokens
            self.evalDurationNanoseconds = evalDurationNanoseconds
        }

        /// Output tokens per second of decoding, when the node reported both numbers.
        public var tokensPerSecond: Double? {
            guard let outputTokens, let evalDurationNanoseconds, evalDurationNanoseconds > 0, outputTokens > 0 else {
                return nil
            }
            return Double(outputTokens) / (Double(evalDurationNanoseconds) / 1e9)
        }
    }

    private enum Key: CaseIterable {
        case promptEvalCount, evalCount, evalDuration, promptTokens, completionTokens

        var bytes: [UInt8] {
            switch self {
            case .promptEvalCount: Array("prompt_eval_count".utf8)
            case .evalCount: Array("eval_count".utf8)
            case .evalDuration: Array("eval_duration".utf8)
            case .promptTokens: Array("prompt_tokens".utf8)
            case .completionTokens: Array("completion_tokens".utf8)
            }
        }

        static let table: [([UInt8], Key)] = allCases.map { ($0.bytes, $0) }
        static let longest = allCases.map(\.bytes.count).max() ?? 0
    }

    private enum State: Sendable {
        case outside
        case inString(escaped: Bool)
        case afterString
        case afterColon(Key)
        case inNumber(Key, Int)
    }

    public private(set) var usage = Usage()
    private var state = State.outside
    /// The current string's bytes while it could still be a key of interest.
    private var string: [UInt8] = []
    private var stringTooLong = false

    public init() {}

    /// Feeds the next bytes of the answer.
    public mutating func scan(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { step(byte) }
    }

    private mutating func step(_ byte: UInt8) {
        switch state {
        case .outside:
            if byte == UInt8(ascii: "\"") {
                state = .inString(escaped: false)
                string.removeAll(keepingCapacity: true)
                stringTooLong = false
            }
        case .inString(let escaped):
            if escaped {
                state = .inString(escaped: false)
                stringTooLong = true  // keys of interest have no escapes
            } else if byte == UInt8(ascii: "\\") {
                state = .inString(escaped: true)
            } else if byte == UInt8(ascii: "\"") {
                state = .afterString
            } else if !stringTooLong {
                if string.count < Key.longest { string.append(byte) } else { stringTooLong = true }
            }
        case .afterString:
            if Self.isSpace(byte) { return }
            if byte == UInt8(ascii: ":"), !stringTooLong, let key = Key.table.first(where: { $0.0 == string })?.1 {
                state = .afterColon(key)
            } else {
                state = .outside
                step(byte)
            }
        case .afterColon(let key):
            if Self.isSpace(byte) { return }
            if let digit = Self.digit(byte) {
                state = .inNumber(key, digit)
            } else {
                state = .outside
                step(byte)
            }
        case .inNumber(let key, let value):
            if let digit = Self.digit(byte) {
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(digit)
                state = overflow1 || overflow2 ? .outside : .inNumber(key, sum)
            } else {
                // A fraction or exponent means it is not a count: ignore it.
                if byte != UInt8(ascii: "."), byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") { record(key, value) }
                state = .outside
                step(byte)
            }
        }
    }

    private mutating func record(_ key: Key, _ value: Int) {
        switch key {
        case .promptEvalCount, .promptTokens: usage.promptTokens = value
        case .evalCount, .completionTokens: usage.outputTokens = value
        case .evalDuration: usage.evalDurationNanoseconds = value
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
