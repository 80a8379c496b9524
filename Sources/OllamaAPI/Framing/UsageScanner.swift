/// Picks the token statistics out of an answer as it streams past, without decoding it.
///
/// Ollama puts `prompt_eval_count`, `eval_count`, `eval_duration`, `prompt_eval_duration` and
/// `load_duration` in its final object (the
/// whole answer, or the last NDJSON line); the OpenAI-compatible routes put `prompt_tokens` and
/// `completion_tokens` in `usage`; the Anthropic Messages and OpenAI Responses routes put
/// `input_tokens` and `output_tokens` in `usage` (keys are matched whole, so Responses'
/// `input_tokens_details` and `total_tokens` are not counts of interest). The scanner follows JSON string boundaries across chunks, so
/// text that merely mentions a key is never mistaken for it, and keeps the last value of each key.
public struct UsageScanner: Sendable {
    /// The statistics found so far; `nil` fields were not seen.
    public struct Usage: Sendable, Hashable {
        public var promptTokens: Int?
        public var outputTokens: Int?
        /// Nanoseconds the node spent generating `outputTokens` (Ollama only).
        public var evalDurationNanoseconds: Int?
        /// Nanoseconds the node spent processing the prompt once the request had a slot
        /// (`prompt_eval_duration`, Ollama only).
        public var promptEvalDurationNanoseconds: Int?
        /// Nanoseconds the request waited for its model to load (`load_duration`, Ollama only).
        public var loadDurationNanoseconds: Int?

        public init(
            promptTokens: Int? = nil,
            outputTokens: Int? = nil,
            evalDurationNanoseconds: Int? = nil,
            promptEvalDurationNanoseconds: Int? = nil,
            loadDurationNanoseconds: Int? = nil
        ) {
            self.promptTokens = promptTokens
            self.outputTokens = outputTokens
            self.evalDurationNanoseconds = evalDurationNanoseconds
            self.promptEvalDurationNanoseconds = promptEvalDurationNanoseconds
            self.loadDurationNanoseconds = loadDurationNanoseconds
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
        case promptEvalCount, evalCount, evalDuration, promptEvalDuration, loadDuration
        case promptTokens, completionTokens, inputTokens, outputTokens

        var name: String {
            switch self {
            case .promptEvalCount: "prompt_eval_count"
            case .evalCount: "eval_count"
            case .evalDuration: "eval_duration"
            case .promptEvalDuration: "prompt_eval_duration"
            case .loadDuration: "load_duration"
            case .promptTokens: "prompt_tokens"
            case .completionTokens: "completion_tokens"
            case .inputTokens: "input_tokens"
            case .outputTokens: "output_tokens"
            }
        }

        /// The key whose name has this FNV-1a hash and length. Strings are matched by hash so the
        /// scan allocates nothing; a false match needs a 64-bit collision at the same length.
        static func matching(hash: UInt64, length: Int) -> Key? {
            for entry in table where entry.hash == hash && entry.length == length { return entry.key }
            return nil
        }

        private static let table: [(hash: UInt64, length: Int, key: Key)] = allCases.map { key in
            (key.name.utf8.reduce(UsageScanner.fnvBasis) { UsageScanner.fnv($0, $1) }, key.name.utf8.count, key)
        }
    }

    static let fnvBasis: UInt64 = 0xcbf2_9ce4_8422_2325

    static func fnv(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    /// The longest key name: longer strings cannot be keys of interest.
    static let longestKey = 20

    private enum State: Sendable {
        case outside
        case inString(escaped: Bool)
        case afterString
        case afterColon(Key)
        case inNumber(Key, Int)
    }

    public private(set) var usage = Usage()
    private var state = State.outside
    /// The current string's hash and length while it could still be a key of interest.
    private var stringHash = fnvBasis
    private var stringLength = 0
    private var stringTooLong = false

    public init() {}

    /// Feeds the next bytes of the answer.
    public mutating func scan(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in scan(buffer) }
        if done == nil { for byte in bytes { step(byte) } }
    }

    private mutating func scan(_ buffer: UnsafeBufferPointer<UInt8>) {
        var index = buffer.startIndex
        while index < buffer.endIndex {
            // Between strings, and inside a string too long to be a key, only a quote (or the
            // string's backslash) changes anything: skip to it without the state machine.
            switch state {
            case .outside:
                while index < buffer.endIndex, buffer[index] != Self.quote { index += 1 }
            case .inString(escaped: false) where stringTooLong:
                while index < buffer.endIndex, buffer[index] != Self.quote, buffer[index] != Self.backslash { index += 1 }
            default:
                break
            }
            guard index < buffer.endIndex else { return }
            step(buffer[index])
            index += 1
        }
    }

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    private mutating func step(_ byte: UInt8) {
        switch state {
        case .outside:
            if byte == UInt8(ascii: "\"") {
                state = .inString(escaped: false)
                stringHash = Self.fnvBasis
                stringLength = 0
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
                if stringLength < Self.longestKey {
                    stringHash = Self.fnv(stringHash, byte)
                    stringLength += 1
                } else {
                    stringTooLong = true
                }
            }
        case .afterString:
            if Self.isSpace(byte) { return }
            if byte == UInt8(ascii: ":"), !stringTooLong, let key = Key.matching(hash: stringHash, length: stringLength) {
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
        case .promptEvalCount, .promptTokens, .inputTokens: usage.promptTokens = value
        case .evalCount, .completionTokens, .outputTokens: usage.outputTokens = value
        case .evalDuration: usage.evalDurationNanoseconds = value
        case .promptEvalDuration: usage.promptEvalDurationNanoseconds = value
        case .loadDuration: usage.loadDurationNanoseconds = value
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
