extension Parser {
    /// A vector selector after its optional name: `{label op "value", …}` and nothing else.
    mutating func parseSelector(name: String?, start: Int) throws(PromQLError) -> VectorSelector {
        var matchers: [LabelMatcher] = []
        if current.kind == .leftBrace {
            advance()
            while current.kind != .rightBrace {
                matchers.append(try parseMatcher())
                if current.kind == .comma {
                    advance()
                } else if current.kind != .rightBrace {
                    throw unexpected(in: "label matching", expected: "\",\" or \"}\"")
                }
            }
            advance()
        }
        if let name {
            matchers.append(try LabelMatcher(Labels.metricName, .equal, name))
        }
        return VectorSelector(name: name, matchers: matchers, source: start..<previousEnd)
    }

    private mutating func parseMatcher() throws(PromQLError) -> LabelMatcher {
        guard current.kind == .identifier else {
            throw unexpected(in: "label matching", expected: "identifier or \"}\"")
        }
        let label = advance()
        let kind: LabelMatcher.Kind
        switch current.kind {
        case .assign: kind = .equal
        case .notEqual: kind = .notEqual
        case .regexMatch: kind = .matchesRegex
        case .regexNoMatch: kind = .doesNotMatchRegex
        default: throw unexpected(in: "label matching", expected: "label matching operator")
        }
        advance()
        guard current.kind == .string else { throw unexpected(in: "label matching", expected: "string") }
        let valueToken = advance()
        let value = try StringLiteral.unquote(valueToken.text, at: position(valueToken.offset))
        do {
            return try LabelMatcher(label.text, kind, value)
        } catch {
            throw self.error(error.message, at: label.offset)
        }
    }

    /// Applies the postfix forms that bind to the closest operand: `[range]`, `[range:step]`, `offset d`, `@ t`.
    mutating func parsePostfix(_ operand: Expr) throws(PromQLError) -> Expr {
        var expression = operand
        while true {
            switch current.kind {
            case .leftBracket:
                expression = try parseRangeOrSubquery(expression)
            case .offset:
                expression = try parseOffset(expression)
            case .at:
                advance()
                if current.kind == .add || current.kind == .sub { advance() }
                if current.kind == .number {
                    advance()
                } else if current.kind == .start || current.kind == .end {
                    advance()
                    _ = try expect(.leftParen, in: "@ modifier")
                    _ = try expect(.rightParen, in: "@ modifier")
                } else {
                    throw unexpected(in: "@", expected: "timestamp")
                }
                let construct = text(expression.source.lowerBound..<previousEnd)
                throw .unsupported("the @ modifier in `\(construct)` is not supported by the embedded evaluator")
            default:
                return expression
            }
        }
    }

    private mutating func parseRangeOrSubquery(_ operand: Expr) throws(PromQLError) -> Expr {
        let bracket = advance()
        guard current.kind == .duration else { throw unexpected(in: "subquery selector", expected: "duration") }
        let range = try parseDuration(advance())
        if current.kind == .rightBracket {
            advance()
            guard case .vectorSelector(let selector) = operand else {
                throw error("ranges only allowed for vector selectors", at: bracket.offset)
            }
            if selector.offsetMs != 0 {
                throw error("no offset modifiers allowed before range", at: bracket.offset)
            }
            return .matrixSelector(MatrixSelector(selector: selector, rangeMs: range, source: operand.source.lowerBound..<previousEnd))
        }
        guard current.kind == .colon else { throw unexpected(in: "subquery or range", expected: "\":\" or \"]\"") }
        advance()
        var step: Int64 = 0
        if current.kind == .duration {
            step = try parseDuration(advance())
        }
        guard current.kind == .rightBracket else { throw unexpected(in: "subquery selector", expected: "\"]\"") }
        advance()
        return .subquery(
            Subquery(expression: operand, rangeMs: range, stepMs: step, source: operand.source.lowerBound..<previousEnd)
        )
    }

    private mutating func parseOffset(_ operand: Expr) throws(PromQLError) -> Expr {
        let keyword = advance()
        var sign: Int64 = 1
        if current.kind == .sub {
            advance()
            sign = -1
        }
        guard current.kind == .duration else { throw unexpected(in: "offset", expected: "duration") }
        let offset = try parseDuration(advance()) * sign
        let source = operand.source.lowerBound..<previousEnd
        let repeated = "offset may not be set multiple times"
        switch operand {
        case .vectorSelector(var selector):
            if selector.offsetMs != 0 { throw error(repeated, at: selector.source.lowerBound) }
            selector.offsetMs = offset
            selector.source = source
            return .vectorSelector(selector)
        case .matrixSelector(var matrix):
            if matrix.selector.offsetMs != 0 { throw error(repeated, at: matrix.source.lowerBound) }
            matrix.selector.offsetMs = offset
            matrix.source = source
            return .matrixSelector(matrix)
        case .subquery(var subquery):
            if subquery.offsetMs != 0 { throw error(repeated, at: subquery.source.lowerBound) }
            subquery.offsetMs = offset
            subquery.source = source
            return .subquery(subquery)
        default:
            throw error(
                "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery",
                at: keyword.offset
            )
        }
    }

    private func parseDuration(_ token: Token) throws(PromQLError) -> Int64 {
        guard let milliseconds = PromDuration.milliseconds(token.text) else {
            throw error("not a valid duration string: \(GoQuote.quote(token.text))", at: token.offset)
        }
        if milliseconds == 0 { throw error("duration must be greater than 0", at: token.offset) }
        return milliseconds
    }
}
