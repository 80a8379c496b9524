/// The tokens inside one template action.
enum TemplateToken: Equatable, Sendable {
    case word(String)
    case dot
    case field([String])
    case variable(String, fields: [String])
    case string(String)
    case number(Double, isFloat: Bool)
    case pipe, leftParen, rightParen, comma, declare, assign
}

/// A token with its byte offset in the template text and its text as written.
struct PlacedToken: Sendable {
    var token: TemplateToken
    var offset: Int
    var text: String
}

/// Splits the inside of a `{{…}}` action into tokens with Go text/template's lexical rules.
enum TemplateTokenizer {
    /// Tokens of `source`, which starts at byte `base` of the template text.
    static func tokens(_ source: String, base: Int, templateName: String) throws(TemplateError) -> [PlacedToken] {
        let characters = Array(source)
        var byteOffsets: [Int] = []
        var running = base
        for character in characters {
            byteOffsets.append(running)
            running += character.utf8.count
        }
        byteOffsets.append(running)
        var placed: [PlacedToken] = []
        var tokens: [TemplateToken] = []
        var index = 0
        var tokenStart = 0
        func place() {
            for token in tokens[placed.count...] {
                placed.append(PlacedToken(token: token, offset: byteOffsets[tokenStart], text: String(characters[tokenStart..<index])))
            }
        }
        func fail(_ message: String) -> TemplateError {
            TemplateError("template: \(templateName):1: \(message)")
        }
        func isWordCharacter(_ character: Character) -> Bool {
            character.isLetter || character.isNumber || character == "_"
        }
        func readFields() -> [String] {
            var fields: [String] = []
            while index < characters.count, characters[index] == ".", index + 1 < characters.count,
                isWordCharacter(characters[index + 1]), !characters[index + 1].isNumber
            {
                index += 1
                let start = index
                while index < characters.count, isWordCharacter(characters[index]) { index += 1 }
                fields.append(String(characters[start..<index]))
            }
            return fields
        }
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
                continue
            }
            tokenStart = index
            defer { place() }
            switch character {
            case "|":
                tokens.append(.pipe)
                index += 1
            case "(":
                tokens.append(.leftParen)
                index += 1
            case ")":
                tokens.append(.rightParen)
                index += 1
                let fields = readFields()
                if !fields.isEmpty { tokens.append(.field(fields)) }
            case ",":
                tokens.append(.comma)
                index += 1
            case ":":
                guard index + 1 < characters.count, characters[index + 1] == "=" else { throw fail("expected :=") }
                tokens.append(.declare)
                index += 2
            case "=":
                tokens.append(.assign)
                index += 1
            case "\"", "`":
                let start = index
                index += 1
                while index < characters.count, characters[index] != character {
                    if character == "\"" && characters[index] == "\\" { index += 1 }
                    index += 1
                }
                guard index < characters.count else { throw fail("unterminated quoted string") }
                index += 1
                let literal = String(characters[start..<index])
                do {
                    tokens.append(.string(try StringLiteral.unquote(literal, at: nil)))
                } catch {
                    throw fail("bad string \(literal)")
                }
            case "'":
                guard index + 2 < characters.count, characters[index + 2] == "'",
                    let scalar = characters[index + 1].unicodeScalars.first
                else { throw fail("bad character constant") }
                tokens.append(.number(Double(scalar.value), isFloat: false))
                index += 3
            case "$":
                let start = index
                index += 1
                while index < characters.count, isWordCharacter(characters[index]) { index += 1 }
                let name = String(characters[start..<index])
                tokens.append(.variable(name, fields: readFields()))
            case ".":
                if index + 1 < characters.count, characters[index + 1].isNumber {
                    tokens.append(try number(characters, &index, fail))
                } else {
                    let fields = readFields()
                    if fields.isEmpty {
                        tokens.append(.dot)
                        index += 1
                    } else {
                        tokens.append(.field(fields))
                    }
                }
            default:
                if character.isNumber
                    || ((character == "-" || character == "+") && index + 1 < characters.count
                        && (characters[index + 1].isNumber || characters[index + 1] == "."))
                {
                    tokens.append(try number(characters, &index, fail))
                } else if isWordCharacter(character) {
                    let start = index
                    while index < characters.count, isWordCharacter(characters[index]) { index += 1 }
                    tokens.append(.word(String(characters[start..<index])))
                } else {
                    throw fail("unexpected \(GoQuote.quote(String(character))) in command")
                }
            }
        }
        return placed
    }

    private static func number(
        _ characters: [Character],
        _ index: inout Int,
        _ fail: (String) -> TemplateError
    ) throws(TemplateError) -> TemplateToken {
        let start = index
        if characters[index] == "+" || characters[index] == "-" { index += 1 }
        while index < characters.count,
            characters[index].isHexDigit || "._xXoObBpP".contains(characters[index])
                || ((characters[index] == "+" || characters[index] == "-")
                    && "eEpP".contains(characters[index - 1]))
        {
            index += 1
        }
        let text = String(characters[start..<index]).replacingUnderscores
        let lower = text.lowercased()
        let isHex = lower.hasPrefix("0x") || lower.hasPrefix("-0x") || lower.hasPrefix("+0x")
        let isFloat = !isHex && (text.contains(".") || lower.contains("e")) || (isHex && lower.contains("p"))
        if !isFloat {
            let negative = text.hasPrefix("-")
            var digits = Substring(text)
            if digits.hasPrefix("-") || digits.hasPrefix("+") { digits = digits.dropFirst() }
            var radix = 10
            if digits.lowercased().hasPrefix("0x") {
                radix = 16
                digits = digits.dropFirst(2)
            } else if digits.lowercased().hasPrefix("0b") {
                radix = 2
                digits = digits.dropFirst(2)
            } else if digits.lowercased().hasPrefix("0o") {
                radix = 8
                digits = digits.dropFirst(2)
            } else if digits.count > 1 && digits.hasPrefix("0") {
                radix = 8
                digits = digits.dropFirst()
            }
            guard let value = Int64(digits, radix: radix) else { throw fail("bad number syntax: \(GoQuote.quote(text))") }
            return .number(Double(negative ? -value : value), isFloat: false)
        }
        guard let value = GoParse.float(text) else { throw fail("bad number syntax: \(GoQuote.quote(text))") }
        return .number(value, isFloat: true)
    }
}

extension String {
    fileprivate var replacingUnderscores: String {
        String(filter { $0 != "_" })
    }
}
