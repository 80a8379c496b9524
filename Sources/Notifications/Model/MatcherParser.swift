/// Reads Alertmanager's matcher syntax: `name op value`, comma-separated, optionally in braces.
///
/// Names are bare (`severity`) or quoted; values are quoted (with `\"`, `\\`, `\n` and `\t`
/// escapes) or bare up to the next comma or closing brace, with surrounding spaces dropped.
struct MatcherParser {
    private let text: String
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ text: String) {
        self.text = text
        self.scalars = Array(text.unicodeScalars)
    }

    mutating func parseList() throws(MatcherError) -> [Matcher] {
        skipSpaces()
        let braced = take("{")
        var found: [Matcher] = []
        while true {
            skipSpaces()
            if atEnd || peek == "}" { break }
            found.append(try parseMatcher())
            skipSpaces()
            if !take(",") { break }
        }
        skipSpaces()
        if braced && !take("}") { throw problem("a \"{\" without its closing \"}\"") }
        skipSpaces()
        guard atEnd else { throw problem("unexpected \"\(String(String.UnicodeScalarView(scalars[index...])))\"") }
        guard !found.isEmpty else {
            throw MatcherError("\(LabelText.quoted(text)) holds no matcher; write one like severity=\"critical\"")
        }
        return found
    }

    private mutating func parseMatcher() throws(MatcherError) -> Matcher {
        let name = try parseName()
        skipSpaces()
        let op: Matcher.Operator
        if take("=~") {
            op = .matchesRegex
        } else if take("!~") {
            op = .notMatchesRegex
        } else if take("!=") {
            op = .notEqual
        } else if take("=") {
            op = .equal
        } else {
            throw problem("after the label name \"\(name)\" comes no operator (=, !=, =~ or !~)")
        }
        skipSpaces()
        let value = peek == "\"" ? try parseQuoted() : parseBareValue()
        do {
            return try Matcher(name: name, op: op, value: value)
        } catch {
            throw problem("label \"\(name)\": \(error.description)")
        }
    }

    private mutating func parseName() throws(MatcherError) -> String {
        if peek == "\"" { return try parseQuoted() }
        var name = String.UnicodeScalarView()
        while let scalar = peek, isNameScalar(scalar) {
            name.append(scalar)
            index += 1
        }
        guard !name.isEmpty else { throw problem("expected a label name") }
        return String(name)
    }

    private func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        !(scalar.properties.isWhitespace || "=!~{},\"".unicodeScalars.contains(scalar))
    }

    private mutating func parseQuoted() throws(MatcherError) -> String {
        index += 1  // the opening quote
        var value = String.UnicodeScalarView()
        while let scalar = peek {
            index += 1
            switch scalar {
            case "\"": return String(value)
            case "\\":
                guard let escaped = peek else { break }
                index += 1
                switch escaped {
                case "n": value.append("\n")
                case "t": value.append("\t")
                default: value.append(escaped)
                }
            default: value.append(scalar)
            }
        }
        throw problem("a quoted string is not closed (add the closing \")")
    }

    private mutating func parseBareValue() -> String {
        var value = String.UnicodeScalarView()
        while let scalar = peek, scalar != ",", scalar != "}" {
            value.append(scalar)
            index += 1
        }
        return String(value).trimmingSpaces
    }

    private var atEnd: Bool { index >= scalars.count }
    private var peek: Unicode.Scalar? { atEnd ? nil : scalars[index] }

    private mutating func take(_ token: String) -> Bool {
        let wanted = Array(token.unicodeScalars)
        guard index + wanted.count <= scalars.count, Array(scalars[index..<index + wanted.count]) == wanted else { return false }
        index += wanted.count
        return true
    }

    private mutating func skipSpaces() {
        while let scalar = peek, scalar.properties.isWhitespace { index += 1 }
    }

    private func problem(_ what: String) -> MatcherError {
        MatcherError("\(LabelText.quoted(text)): \(what); write matchers like severity=\"critical\" or alertname=~\"Node.*\"")
    }
}

extension String {
    /// The string without leading and trailing whitespace.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
