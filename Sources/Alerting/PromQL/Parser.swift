/// A recursive-descent PromQL parser with Prometheus' grammar: operator precedence climbing for binary
/// operators (`^` right-associative, the rest left), unary `+`/`-` binding like `*`, and `[...]`, `offset`
/// and `@` binding to the closest operand.
struct Parser {
    let bytes: [UInt8]
    var tokens: [Token]
    var index = 0
    /// The lexer's error where the tokens end with `invalid`.
    let lexError: PromQLError?

    init(_ text: String) throws(PromQLError) {
        bytes = Array(text.utf8)
        (tokens, lexError) = Lexer.tokens(text)
    }

    // MARK: Token helpers

    var current: Token { tokens[index] }
    var next: Token { tokens[min(index + 1, tokens.count - 1)] }
    /// Byte offset just past the previous token.
    var previousEnd: Int { index > 0 ? tokens[index - 1].offset + tokens[index - 1].text.utf8.count : 0 }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    mutating func expect(_ kind: TokenKind, in context: String) throws(PromQLError) -> Token {
        guard current.kind == kind else { throw unexpected(in: context, expected: kind.display) }
        return advance()
    }

    func position(_ offset: Int) -> (line: Int, column: Int) {
        SourcePosition.lineColumn(of: offset, in: bytes)
    }

    func error(_ message: String, at offset: Int) -> PromQLError {
        .parse(message, at: position(offset))
    }

    func unexpected(in context: String = "", expected: String = "") -> PromQLError {
        let token = current
        if token.kind == .invalid, let lexError { return lexError }
        var description = token.kind == .eof ? "end of input" : "\(token.kind.display) \(GoQuote.quote(token.text))"
        let isWord = token.kind != .number && TokenKind.keywords[token.text.lowercased()] == token.kind
        if token.kind.binaryOperator != nil || isWord || [.leftParen, .rightParen, .comma].contains(token.kind) {
            description = token.kind.display
        }
        var message = "unexpected \(description)"
        if !context.isEmpty { message += " in \(context)" }
        if !expected.isEmpty { message += ", expected \(expected)" }
        return error(message, at: token.offset)
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[max(0, range.lowerBound)..<min(bytes.count, range.upperBound)], as: UTF8.self)
    }

    // MARK: Expressions

    mutating func parseExpression(minimumPrecedence: Int) throws(PromQLError) -> Expr {
        var lhs = try parseUnary()
        while let op = current.kind.binaryOperator, op.precedence >= minimumPrecedence {
            advance()
            var binary = BinaryExpression(op: op, lhs: lhs, rhs: lhs, source: lhs.source)
            if current.kind == .bool {
                advance()
                binary.returnBool = true
            }
            if current.kind == .on || current.kind == .ignoring {
                binary.matching.on = advance().kind == .on
                binary.matching.labels = try parseGroupingLabels()
                if current.kind == .groupLeft || current.kind == .groupRight {
                    binary.matching.cardinality = advance().kind == .groupLeft ? .manyToOne : .oneToMany
                    if current.kind == .leftParen {
                        binary.matching.include = try parseGroupingLabels()
                    }
                }
            }
            let rhs = try parseExpression(minimumPrecedence: op == .power ? op.precedence : op.precedence + 1)
            binary.rhs = rhs
            binary.source = lhs.source.lowerBound..<rhs.source.upperBound
            lhs = .binary(binary)
        }
        return lhs
    }

    mutating func parseUnary() throws(PromQLError) -> Expr {
        guard current.kind == .add || current.kind == .sub else { return try parsePostfix(parsePrimary()) }
        let op = advance()
        // Unary operators bind like `*`: only `^` binds tighter, so `-a^b` is `-(a^b)`.
        let operand = try parseExpression(minimumPrecedence: BinaryOperator.power.precedence)
        let source = op.offset..<operand.source.upperBound
        if case .number(let value, _) = operand {
            return .number(op.kind == .sub ? -value : value, source: source)
        }
        if op.kind == .add {
            return .parenthesized(operand, source: source)
        }
        return .negation(operand, source: source)
    }

    mutating func parsePrimary() throws(PromQLError) -> Expr {
        let token = current
        switch token.kind {
        case .number:
            advance()
            return .number(try parseNumber(token), source: token.offset..<previousEnd)
        case .string:
            advance()
            return .string(try StringLiteral.unquote(token.text, at: position(token.offset)), source: token.offset..<previousEnd)
        case .leftParen:
            advance()
            let inner = try parseExpression(minimumPrecedence: 0)
            _ = try expect(.rightParen, in: "parenthesized expression")
            return .parenthesized(inner, source: token.offset..<previousEnd)
        case .leftBrace:
            return .vectorSelector(try parseSelector(name: nil, start: token.offset))
        case .identifier:
            if next.kind == .leftParen { return try parseCall() }
            advance()
            return .vectorSelector(try parseSelector(name: token.text, start: token.offset))
        case .metricIdentifier:
            advance()
            return .vectorSelector(try parseSelector(name: token.text, start: token.offset))
        case .at:
            throw unexpected(in: "expression")
        default:
            if token.kind.isAggregator, [.leftParen, .by, .without].contains(next.kind) {
                return try parseAggregation()
            }
            if Parser.keywordsUsableAsMetricNames.contains(token.kind) {
                advance()
                return .vectorSelector(try parseSelector(name: token.text, start: token.offset))
            }
            throw unexpected()
        }
    }

    /// Keywords Prometheus' grammar also accepts as metric names (`metric_identifier`).
    static let keywordsUsableAsMetricNames: Set<TokenKind> = [
        .avg, .bottomk, .by, .count, .countValues, .group, .and, .or, .unless, .max, .min, .offset, .quantile,
        .stddev, .stdvar, .sum, .topk, .without, .start, .end,
    ]

    /// Go's number parsing as Prometheus applies it: integers first (`0x1F` hex, `017` octal), then floats.
    func parseNumber(_ token: Token) throws(PromQLError) -> Double {
        let text = token.text
        let lower = text.lowercased()
        if lower == "inf" { return .infinity }
        if lower == "nan" { return .nan }
        if lower.hasPrefix("0x"), let value = Int64(lower.dropFirst(2), radix: 16) { return Double(value) }
        if text.count > 1, text.hasPrefix("0"), text.allSatisfy({ ("0"..."7").contains($0) }),
            let value = Int64(text.dropFirst(), radix: 8)
        {
            return Double(value)
        }
        if text.allSatisfy(\.isASCIIDigit), let value = Int64(text) { return Double(value) }
        if !lower.hasPrefix("0x"), let value = Double(text) { return value }
        throw error("error parsing number: \(GoQuote.quote(text))", at: token.offset)
    }

    mutating func parseCall() throws(PromQLError) -> Expr {
        let nameToken = advance()
        guard let function = PromQLFunction.named(nameToken.text) else {
            throw error("unknown function with name \(GoQuote.quote(nameToken.text))", at: nameToken.offset)
        }
        let arguments = try parseArguments()
        return .call(FunctionCall(function: function, arguments: arguments, source: nameToken.offset..<previousEnd))
    }

    /// `( expr, expr, … )`; no trailing comma.
    mutating func parseArguments(context: String = "function call") throws(PromQLError) -> [Expr] {
        _ = try expect(.leftParen, in: context)
        var arguments: [Expr] = []
        if current.kind == .rightParen {
            advance()
            return arguments
        }
        while true {
            arguments.append(try parseExpression(minimumPrecedence: 0))
            if current.kind == .comma {
                let comma = advance()
                if current.kind == .rightParen {
                    throw error("trailing commas not allowed in function call args", at: comma.offset)
                }
                continue
            }
            _ = try expect(.rightParen, in: context == "function call" ? "function call arguments" : context)
            return arguments
        }
    }

    mutating func parseAggregation() throws(PromQLError) -> Expr {
        let opToken = advance()
        guard let op = AggregationOperator(rawValue: opToken.text.lowercased()) else { throw unexpected() }
        var grouping: [String] = []
        var without = false
        var modifierSeen = false
        if current.kind == .by || current.kind == .without {
            without = advance().kind == .without
            grouping = try parseGroupingLabels()
            modifierSeen = true
        }
        let arguments = try parseArguments(context: "aggregation")
        if !modifierSeen, current.kind == .by || current.kind == .without {
            without = advance().kind == .without
            grouping = try parseGroupingLabels()
        }
        let source = opToken.offset..<previousEnd
        if arguments.isEmpty {
            throw error("no arguments for aggregate expression provided", at: opToken.offset)
        }
        let expected = op.hasParameter ? 2 : 1
        guard arguments.count == expected else {
            throw error(
                "wrong number of arguments for aggregate expression provided, expected \(expected), got \(arguments.count)",
                at: opToken.offset
            )
        }
        return .aggregation(
            Aggregation(
                op: op,
                grouping: grouping,
                without: without,
                parameter: op.hasParameter ? arguments[0] : nil,
                expression: arguments[expected - 1],
                source: source
            )
        )
    }

    /// `(label, label, …)` after `by`, `without`, `on`, `ignoring`, `group_left` or `group_right`.
    mutating func parseGroupingLabels() throws(PromQLError) -> [String] {
        _ = try expect(.leftParen, in: "grouping opts")
        var labels: [String] = []
        while current.kind != .rightParen {
            let token = current
            let isWord = token.kind == .identifier || TokenKind.keywords[token.text.lowercased()] == token.kind
            guard isWord, token.kind != .number, LabelName.isValid(token.text) else {
                throw unexpected(in: "grouping opts", expected: "label")
            }
            labels.append(token.text)
            advance()
            if current.kind == .comma {
                advance()
            } else if current.kind != .rightParen {
                throw unexpected(in: "grouping opts", expected: "\",\" or \")\"")
            }
        }
        advance()
        return labels
    }
}

/// Prometheus' name rules for labels and metrics.
enum LabelName {
    /// `[a-zA-Z_][a-zA-Z0-9_]*`
    static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, isAlpha(first) else { return false }
        return name.utf8.allSatisfy { isAlpha($0) || isDigit($0) }
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
    static func isValidMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isAlpha(first) || first == UInt8(ascii: ":") else { return false }
        return name.utf8.allSatisfy { isAlpha($0) || isDigit($0) || $0 == UInt8(ascii: ":") }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
