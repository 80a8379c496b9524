/// One line of an exposition body, classified.
enum ExpositionLine: Sendable, Hashable {
    case blank
    case comment
    case help(name: String, text: String)
    case type(name: String, type: String)
    case sample(ExpositionSample)
}

/// A line of the body with its 1-based number, before lexing.
struct RawLine: Sendable {
    var number: Int
    var bytes: [UInt8]

    var text: String { String(decoding: bytes, as: UTF8.self) }
}

extension RawLine {
    /// Splits on `\n` bytes, not Characters: Swift treats `\r\n` as one Character, which
    /// would hide CRLF line endings from the checker.
    static func split(_ text: String) -> [RawLine] {
        var parts = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if parts.last?.isEmpty == true { parts.removeLast() }
        return parts.enumerated().map { RawLine(number: $0.offset + 1, bytes: Array($0.element)) }
    }
}

/// Lexes one line of the text format, byte by byte, following expfmt's TextParser.
struct LineLexer {
    private let line: RawLine
    private var bytes: [UInt8] { line.bytes }
    private var index = 0

    init(_ line: RawLine) {
        self.line = line
    }

    static func lex(_ line: RawLine) -> Result<ExpositionLine, ExpositionError> {
        var lexer = LineLexer(line)
        return Result { () throws(ExpositionError) in try lexer.lexLine() }
    }

    private mutating func lexLine() throws(ExpositionError) -> ExpositionLine {
        if bytes.last == UInt8(ascii: "\r") {
            throw fail("line ends with \\r (CRLF line ending); the text format needs plain \\n")
        }
        skipBlanks()
        guard let first = peek else { return .blank }
        if first == UInt8(ascii: "#") {
            index += 1
            return try lexComment()
        }
        return .sample(try lexSample())
    }

    // MARK: Comments

    private mutating func lexComment() throws(ExpositionError) -> ExpositionLine {
        skipBlanks()
        let keyword = readUntilBlank()
        guard keyword == "HELP" || keyword == "TYPE" else { return .comment }
        skipBlanks()
        let name = readName(allowColon: true)
        guard !name.isEmpty else { throw fail("expected a metric name after \(keyword)") }
        if let next = peek, !isBlank(next) {
            throw fail("invalid character '\(Self.show(next))' in metric name after \(keyword)")
        }
        skipBlanks()
        if keyword == "HELP" {
            return .help(name: name, text: try readHelpText())
        }
        // Like expfmt, trailing blanks are part of the type and so make it unknown.
        let type = String(decoding: bytes[index...], as: UTF8.self)
        guard !type.isEmpty else { throw fail("TYPE line for \(name) has no type") }
        let lowered = type.lowercased()
        guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(lowered) else {
            throw fail("unknown metric type \"\(type)\" for \(name)")
        }
        return .type(name: name, type: lowered)
    }

    private mutating func readHelpText() throws(ExpositionError) -> String {
        var out: [UInt8] = []
        while let byte = next() {
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                continue
            }
            switch next() {
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
            // Newer expfmt accepts \" in HELP too; harmless to allow.
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
            case let other?: throw fail("invalid escape sequence '\\\(Self.show(other))' in HELP text")
            case nil: throw fail("HELP text ends in a lone backslash")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Samples

    private mutating func lexSample() throws(ExpositionError) -> ExpositionSample {
        let name = readName(allowColon: true)
        guard !name.isEmpty else {
            throw fail("expected a metric name, found '\(Self.show(peek ?? 0))'")
        }
        skipBlanks()
        var labels: [String: String] = [:]
        if peek == UInt8(ascii: "{") {
            index += 1
            labels = try lexLabels(of: name)
            skipBlanks()
        } else if index > 0, let byte = peek, !isBlank(bytes[index - 1]) {
            throw fail("invalid character '\(Self.show(byte))' after metric name \(name)")
        }
        let valueToken = readUntilBlank()
        guard !valueToken.isEmpty else { throw fail("sample \(name) has no value") }
        guard let value = Self.parseGoFloat(valueToken) else {
            throw fail("expected a float as the value of \(name), got \"\(valueToken)\"")
        }
        skipBlanks()
        if peek != nil {
            let timestamp = readUntilBlank()
            guard Int64(timestamp) != nil else {
                throw fail("expected an integer timestamp (ms) after the value of \(name), got \"\(timestamp)\"")
            }
            skipBlanks()
            if peek != nil {
                throw fail("unexpected text after the timestamp of \(name)")
            }
        }
        return ExpositionSample(name: name, labels: labels, value: value)
    }

    /// Called just after `{`; consumes through `}`. A trailing comma is allowed.
    private mutating func lexLabels(of metric: String) throws(ExpositionError) -> [String: String] {
        var labels: [String: String] = [:]
        while true {
            skipBlanks()
            if peek == UInt8(ascii: "}") {
                index += 1
                return labels
            }
            let name = readName(allowColon: false)
            guard !name.isEmpty else {
                if peek == nil { throw fail("unterminated label set of \(metric): missing '}'") }
                throw fail("expected a label name in \(metric){…}, found '\(Self.show(peek ?? 0))'")
            }
            skipBlanks()
            guard next() == UInt8(ascii: "=") else { throw fail("expected '=' after label name \(name)") }
            skipBlanks()
            guard next() == UInt8(ascii: "\"") else {
                throw fail("expected '\"' to open the value of label \(name)")
            }
            let value = try readLabelValue(label: name)
            guard labels.updateValue(value, forKey: name) == nil else {
                throw fail("label \(name) appears twice in one sample of \(metric)")
            }
            skipBlanks()
            switch next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "}"): return labels
            case nil: throw fail("unterminated label set of \(metric): missing '}'")
            case let other?: throw fail("expected ',' or '}' after label \(name), found '\(Self.show(other))'")
            }
        }
    }

    /// Called just after the opening quote; consumes the closing quote.
    private mutating func readLabelValue(label: String) throws(ExpositionError) -> String {
        var out: [UInt8] = []
        while let byte = next() {
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                switch next() {
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case let other?:
                    throw fail("invalid escape sequence '\\\(Self.show(other))' in the value of label \(label)")
                case nil: break
                }
            default:
                out.append(byte)
            }
        }
        throw fail("unterminated value of label \(label): missing closing '\"'")
    }

    // MARK: Tokens

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func next() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    private func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    private mutating func skipBlanks() {
        while let byte = peek, isBlank(byte) { index += 1 }
    }

    private mutating func readUntilBlank() -> String {
        let start = index
        while let byte = peek, !isBlank(byte) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*` for metric names; without `:` for label names.
    private mutating func readName(allowColon: Bool) -> String {
        let start = index
        while let byte = peek {
            let letter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            let ok =
                letter || byte == UInt8(ascii: "_") || (allowColon && byte == UInt8(ascii: ":"))
                || (digit && index > start)
            guard ok else { break }
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private func fail(_ message: String) -> ExpositionError {
        ExpositionError(line: line.number, text: line.text, message: message)
    }

    /// A byte for an error message; non-printable bytes as `\xNN`.
    private static func show(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }
}
