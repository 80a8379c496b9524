/// promtool's notation for test input: a series (`metric{label="value"}`) and its values
/// (`1 2 3`, `a+bxn`, `a-bxn`, `axn`, `_`, `_xn`, `stale`), one value per test interval.
enum SeriesNotation {
    /// One value slot: a number, a stale marker, or nothing (`_`).
    enum Value: Equatable {
        case number(Double)
        case missing
    }

    /// Parses a series description such as `http_requests_total{job="api"}` or `{__name__="up"}`.
    static func labels(_ text: String) throws(PromQLError) -> Labels {
        var parser = try Parser(text)
        var pairs: [String: String] = [:]
        let first = parser.current
        if first.kind == .identifier || first.kind == .metricIdentifier
            || Parser.keywordsUsableAsMetricNames.contains(first.kind)
        {
            pairs[Labels.metricName] = first.text
            parser.advance()
        }
        if parser.current.kind == .leftBrace {
            parser.advance()
            while parser.current.kind != .rightBrace {
                guard parser.current.kind == .identifier else {
                    throw parser.unexpected(in: "label set", expected: "identifier or \"}\"")
                }
                let name = parser.advance().text
                _ = try parser.expect(.assign, in: "label set")
                guard parser.current.kind == .string else { throw parser.unexpected(in: "label set", expected: "string") }
                let valueToken = parser.advance()
                pairs[name] = try StringLiteral.unquote(valueToken.text, at: parser.position(valueToken.offset))
                if parser.current.kind == .comma {
                    parser.advance()
                } else if parser.current.kind != .rightBrace {
                    throw parser.unexpected(in: "label set", expected: "\",\" or \"}\"")
                }
            }
            parser.advance()
        }
        if parser.current.kind != .eof { throw parser.unexpected(in: "series description") }
        return Labels(pairs)
    }

    /// Expands a values string into one slot per interval; `a+bxn` gives n+1 values by repeated addition,
    /// `_xn` gives n missing slots.
    static func values(_ text: String) throws(PromQLError) -> [Value] {
        var result: [Value] = []
        for item in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
            result += try expand(String(item), in: text)
        }
        return result
    }

    private static func expand(_ item: String, in text: String) throws(PromQLError) -> [Value] {
        func fail() -> PromQLError {
            .parse("unexpected \(GoQuote.quote(item)) in series values, expected number or \"stale\"", at: nil)
        }
        if item == "_" { return [.missing] }
        if item.hasPrefix("_x") {
            guard let count = UInt64(item.dropFirst(2)) else { throw fail() }
            return Array(repeating: .missing, count: Int(count))
        }
        if item == "stale" { return [.number(StaleMarker.value)] }
        var scanner = Substring(item)
        guard let start = number(&scanner, signed: true) else { throw fail() }
        if scanner.isEmpty { return [.number(start)] }
        var step = 0.0
        if let sign = scanner.first, sign == "+" || sign == "-" {
            guard let parsed = number(&scanner, signed: true) else { throw fail() }
            step = parsed
        }
        guard scanner.first == "x", let count = UInt64(scanner.dropFirst()) else { throw fail() }
        var values: [Value] = []
        var current = start
        for _ in 0...count {
            values.append(.number(current))
            current += step
        }
        return values
    }

    /// Reads a number (digits, fraction, exponent, or `Inf`/`NaN`) with an optional sign.
    private static func number(_ scanner: inout Substring, signed: Bool) -> Double? {
        var text = ""
        if signed, let sign = scanner.first, sign == "+" || sign == "-" {
            text.append(sign)
            scanner = scanner.dropFirst()
        }
        let lower = scanner.lowercased()
        for word in ["inf", "nan"] where lower.hasPrefix(word) {
            let after = scanner.dropFirst(3)
            // Like Prometheus' lexer, `Infx3` is one word, not Inf repeated.
            if after.first.map({ $0.isLetter || $0.isNumber }) != true {
                scanner = after
                return word == "inf" ? (text == "-" ? -.infinity : .infinity) : .nan
            }
        }
        var body = ""
        while let character = scanner.first, character.isASCII, character.isNumber || character == "." {
            body.append(character)
            scanner = scanner.dropFirst()
        }
        if let e = scanner.first, e == "e" || e == "E" {
            body.append(e)
            scanner = scanner.dropFirst()
            if let sign = scanner.first, sign == "+" || sign == "-" {
                body.append(sign)
                scanner = scanner.dropFirst()
            }
            while let character = scanner.first, character.isASCII, character.isNumber {
                body.append(character)
                scanner = scanner.dropFirst()
            }
        }
        // Go parses integers first, with a leading 0 meaning octal (`010` is 8).
        if body.count > 1, body.hasPrefix("0"), body.allSatisfy({ ("0"..."7").contains($0) }), let octal = Int64(body, radix: 8) {
            return text == "-" ? -Double(octal) : Double(octal)
        }
        guard !body.isEmpty, let value = Double(text + body) else { return nil }
        return value
    }
}
