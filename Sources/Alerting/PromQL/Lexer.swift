/// Splits PromQL text into tokens with Prometheus' lexer rules: identifiers and keywords (keywords are
/// case-insensitive), numbers (decimal, hex, scientific, `Inf`, `NaN`), durations (`5m`, `1h30m`, `1d`, `1w`,
/// `1y`, `100ms`), strings in `"`, `'` or backticks, and `#` comments. Inside `{}` every word is a label
/// name; inside `[]` the lexer reads durations and the subquery colon.
struct Lexer {
    private let bytes: [UInt8]
    private let source: String
    private(set) var position = 0
    private var parenDepth = 0
    private var braceOpen = false
    private var bracketOpen = false
    private var gotColon = false

    init(_ source: String) {
        self.source = source
        bytes = Array(source.utf8)
    }

    /// All tokens up to and including `eof`; comments are dropped. A lexical error ends the list with an
    /// `invalid` token and is returned, so that a parse error earlier in the text is reported first, as
    /// Prometheus' lazily lexing parser does.
    static func tokens(_ source: String) -> (tokens: [Token], error: PromQLError?) {
        var lexer = Lexer(source)
        var tokens: [Token] = []
        while true {
            do {
                let token = try lexer.next()
                tokens.append(token)
                if token.kind == .eof { return (tokens, nil) }
            } catch {
                tokens.append(Token(kind: .invalid, text: "", offset: lexer.position))
                return (tokens, error)
            }
        }
    }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        position + ahead < bytes.count ? bytes[position + ahead] : nil
    }

    private func error(_ message: String, at offset: Int) -> PromQLError {
        .parse(message, at: SourcePosition.lineColumn(of: offset, in: bytes))
    }

    private func text(_ start: Int) -> String {
        String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func make(_ kind: TokenKind, from start: Int) -> Token {
        Token(kind: kind, text: text(start), offset: start)
    }

    private mutating func next() throws(PromQLError) -> Token {
        while true {
            skipSpace()
            if peek() == UInt8(ascii: "#") {
                while let byte = peek(), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") { position += 1 }
                continue
            }
            break
        }
        let start = position
        guard let byte = peek() else {
            if braceOpen { throw error("unexpected end of input inside braces", at: start) }
            if parenDepth != 0 { throw error("unclosed left parenthesis", at: start) }
            if bracketOpen { throw error("unclosed left bracket", at: start) }
            return Token(kind: .eof, text: "", offset: start)
        }
        if braceOpen { return try insideBraces(start) }
        if bracketOpen, byte != UInt8(ascii: "]"), byte != UInt8(ascii: ":") {
            if isDigit(byte) { return try durationToken(start) }
            if isAlpha(byte) {
                // Only the subquery step may follow a colon; a word here is a missing duration.
                throw error("unexpected character in duration: \(describe(byte))", at: start)
            }
        }
        position += 1
        switch byte {
        case UInt8(ascii: ","): return make(.comma, from: start)
        case UInt8(ascii: "*"): return make(.mul, from: start)
        case UInt8(ascii: "/"): return make(.div, from: start)
        case UInt8(ascii: "%"): return make(.mod, from: start)
        case UInt8(ascii: "+"): return make(.add, from: start)
        case UInt8(ascii: "-"): return make(.sub, from: start)
        case UInt8(ascii: "^"): return make(.pow, from: start)
        case UInt8(ascii: "@"): return make(.at, from: start)
        case UInt8(ascii: "="):
            if peek() == UInt8(ascii: "=") {
                position += 1
                return make(.equalEqual, from: start)
            }
            if peek() == UInt8(ascii: "~") { throw error("unexpected character after '=': '~'", at: start) }
            return make(.assign, from: start)
        case UInt8(ascii: "!"):
            if peek() == UInt8(ascii: "=") {
                position += 1
                return make(.notEqual, from: start)
            }
            throw error("unexpected character after '!': \(peek().map(describe) ?? "end of input")", at: start)
        case UInt8(ascii: "<"):
            if peek() == UInt8(ascii: "=") {
                position += 1
                return make(.lessEqual, from: start)
            }
            return make(.less, from: start)
        case UInt8(ascii: ">"):
            if peek() == UInt8(ascii: "=") {
                position += 1
                return make(.greaterEqual, from: start)
            }
            return make(.greater, from: start)
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"):
            return try stringToken(start, quote: byte)
        case UInt8(ascii: "("):
            parenDepth += 1
            return make(.leftParen, from: start)
        case UInt8(ascii: ")"):
            parenDepth -= 1
            if parenDepth < 0 { throw error("unexpected right parenthesis ')'", at: start) }
            return make(.rightParen, from: start)
        case UInt8(ascii: "{"):
            braceOpen = true
            return make(.leftBrace, from: start)
        case UInt8(ascii: "}"):
            throw error("unexpected right brace '}'", at: start)
        case UInt8(ascii: "["):
            if bracketOpen { throw error("unexpected left bracket '['", at: start) }
            bracketOpen = true
            gotColon = false
            return make(.leftBracket, from: start)
        case UInt8(ascii: "]"):
            if !bracketOpen { throw error("unexpected right bracket ']'", at: start) }
            bracketOpen = false
            return make(.rightBracket, from: start)
        case UInt8(ascii: ":") where bracketOpen:
            if gotColon { throw error("unexpected colon ':'", at: start) }
            gotColon = true
            return make(.colon, from: start)
        default:
            position = start
            if isDigit(byte) || (byte == UInt8(ascii: ".") && peek(1).map(isDigit) == true) {
                return try numberOrDuration(start)
            }
            if isAlpha(byte) || byte == UInt8(ascii: ":") {
                return keywordOrIdentifier(start)
            }
            throw error("unexpected character: \(describe(byte))", at: start)
        }
    }

    private mutating func insideBraces(_ start: Int) throws(PromQLError) -> Token {
        guard let byte = peek() else { throw error("unexpected end of input inside braces", at: start) }
        position += 1
        switch byte {
        case UInt8(ascii: ","): return make(.comma, from: start)
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"): return try stringToken(start, quote: byte)
        case UInt8(ascii: "="):
            if peek() == UInt8(ascii: "~") {
                position += 1
                return make(.regexMatch, from: start)
            }
            return make(.assign, from: start)
        case UInt8(ascii: "!"):
            if peek() == UInt8(ascii: "~") {
                position += 1
                return make(.regexNoMatch, from: start)
            }
            if peek() == UInt8(ascii: "=") {
                position += 1
                return make(.notEqual, from: start)
            }
            throw error("unexpected character after '!' inside braces: \(peek().map(describe) ?? "end of input")", at: start)
        case UInt8(ascii: "{"):
            throw error("unexpected left brace '{'", at: start)
        case UInt8(ascii: "}"):
            braceOpen = false
            return make(.rightBrace, from: start)
        default:
            if isAlpha(byte) {
                while let next = peek(), isAlpha(next) || isDigit(next) { position += 1 }
                return make(.identifier, from: start)
            }
            throw error("unexpected character inside braces: \(describe(byte))", at: start)
        }
    }

    private mutating func keywordOrIdentifier(_ start: Int) -> Token {
        while let byte = peek(), isAlpha(byte) || isDigit(byte) || byte == UInt8(ascii: ":") { position += 1 }
        let word = text(start)
        if let keyword = TokenKind.keywords[word.lowercased()] {
            return Token(kind: keyword, text: word, offset: start)
        }
        return Token(kind: word.contains(":") ? .metricIdentifier : .identifier, text: word, offset: start)
    }

    private mutating func numberOrDuration(_ start: Int) throws(PromQLError) -> Token {
        if scanNumber() { return make(.number, from: start) }
        if acceptRemainingDuration() { return make(.duration, from: start) }
        throw error("bad number or duration syntax: \(GoQuote.quote(text(start)))", at: start)
    }

    private mutating func durationToken(_ start: Int) throws(PromQLError) -> Token {
        if scanNumber() { throw error("missing unit character in duration", at: start) }
        if !acceptRemainingDuration() {
            throw error("bad duration syntax: \(GoQuote.quote(text(start)))", at: start)
        }
        return make(.duration, from: start)
    }

    /// Scans a number; true when it ends where a number may end (not followed by a letter or digit).
    private mutating func scanNumber() -> Bool {
        var hex = false
        if peek() == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            position += 2
            hex = true
        }
        let isNumberDigit: (UInt8) -> Bool = { hex ? isHexDigit($0) : isDigit($0) }
        while let byte = peek(), isNumberDigit(byte) { position += 1 }
        if peek() == UInt8(ascii: ".") {
            position += 1
            while let byte = peek(), isNumberDigit(byte) { position += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            while let byte = peek(), isDigit(byte) { position += 1 }
        }
        guard let next = peek() else { return true }
        return !(isAlpha(next) || isDigit(next))
    }

    /// After a number that a letter followed: accepts unit letters and further number-unit pairs.
    private mutating func acceptRemainingDuration() -> Bool {
        guard accept("smhdwy") else { return false }
        _ = accept("s")
        while accept("0123456789") {
            while accept("0123456789") {}
            guard accept("smhdw") else { return false }
            _ = accept("s")
        }
        if let next = peek(), isAlpha(next) || isDigit(next) {
            position += 1
            return false
        }
        return true
    }

    private mutating func accept(_ valid: String) -> Bool {
        guard let byte = peek(), valid.utf8.contains(byte) else { return false }
        position += 1
        return true
    }

    private mutating func stringToken(_ start: Int, quote: UInt8) throws(PromQLError) -> Token {
        while let byte = peek() {
            position += 1
            if quote != UInt8(ascii: "`") {
                if byte == UInt8(ascii: "\\") {
                    guard peek() != nil else { throw error("escape sequence not terminated", at: start) }
                    position += 1
                    continue
                }
                if byte == UInt8(ascii: "\n") { throw error("unterminated quoted string", at: start) }
            }
            if byte == quote {
                let token = make(.string, from: start)
                _ = try StringLiteral.unquote(token.text, at: SourcePosition.lineColumn(of: start, in: bytes))
                return token
            }
        }
        throw error(quote == UInt8(ascii: "`") ? "unterminated raw string" : "unterminated quoted string", at: start)
    }

    private mutating func skipSpace() {
        while let byte = peek(), isSpace(byte) { position += 1 }
    }

    private func describe(_ byte: UInt8) -> String {
        "'" + String(decoding: [byte], as: UTF8.self) + "'"
    }
}

@inline(__always) private func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
}

@inline(__always) func isDigit(_ byte: UInt8) -> Bool {
    byte >= 0x30 && byte <= 0x39
}

@inline(__always) private func isHexDigit(_ byte: UInt8) -> Bool {
    isDigit(byte) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)
}

@inline(__always) func isAlpha(_ byte: UInt8) -> Bool {
    byte == 0x5F || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
}

/// Converts byte offsets into 1-based line and column numbers for messages.
enum SourcePosition {
    static func lineColumn(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }
}
