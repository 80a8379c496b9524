/// The kinds of PromQL tokens, as Prometheus' lexer names them.
enum TokenKind: Hashable, Sendable {
    case eof
    /// Where the lexer failed; the parser reports the lexer's error only if it gets this far.
    case invalid
    case identifier
    case metricIdentifier
    case number
    case string
    case duration
    case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
    case comma, colon, at
    // Operators.
    case add, sub, mul, div, mod, pow
    case equalEqual, notEqual, lessEqual, less, greaterEqual, greater
    case assign, regexMatch, regexNoMatch
    case and, or, unless, atan2
    // Aggregators.
    case sum, avg, count, min, max, group, stddev, stdvar, topk, bottomk, countValues, quantile
    // Keywords.
    case offset, by, without, on, ignoring, groupLeft, groupRight, bool, start, end

    /// Keywords and word operators, looked up case-insensitively as Prometheus does.
    static let keywords: [String: TokenKind] = [
        "and": .and, "or": .or, "unless": .unless, "atan2": .atan2,
        "sum": .sum, "avg": .avg, "count": .count, "min": .min, "max": .max, "group": .group,
        "stddev": .stddev, "stdvar": .stdvar, "topk": .topk, "bottomk": .bottomk,
        "count_values": .countValues, "quantile": .quantile,
        "offset": .offset, "by": .by, "without": .without, "on": .on, "ignoring": .ignoring,
        "group_left": .groupLeft, "group_right": .groupRight, "bool": .bool, "start": .start, "end": .end,
        "inf": .number, "nan": .number,
    ]

    var isAggregator: Bool {
        switch self {
        case .sum, .avg, .count, .min, .max, .group, .stddev, .stdvar, .topk, .bottomk, .countValues, .quantile:
            return true
        default:
            return false
        }
    }

    /// The binary operator this token stands for, if any.
    var binaryOperator: BinaryOperator? {
        switch self {
        case .add: return .add
        case .sub: return .subtract
        case .mul: return .multiply
        case .div: return .divide
        case .mod: return .modulo
        case .pow: return .power
        case .atan2: return .atan2
        case .equalEqual: return .equal
        case .notEqual: return .notEqual
        case .greater: return .greater
        case .less: return .less
        case .greaterEqual: return .greaterOrEqual
        case .lessEqual: return .lessOrEqual
        case .and: return .and
        case .or: return .or
        case .unless: return .unless
        default: return nil
        }
    }

    /// How the token reads in error messages.
    var display: String {
        switch self {
        case .eof: return "end of input"
        case .identifier: return "identifier"
        case .metricIdentifier: return "metric identifier"
        case .number: return "number"
        case .string: return "string"
        case .duration: return "duration"
        case .leftParen: return "\"(\""
        case .rightParen: return "\")\""
        case .leftBrace: return "\"{\""
        case .rightBrace: return "\"}\""
        case .leftBracket: return "\"[\""
        case .rightBracket: return "\"]\""
        case .comma: return "\",\""
        case .colon: return "\":\""
        case .at: return "\"@\""
        case .assign: return "\"=\""
        case .regexMatch: return "\"=~\""
        case .regexNoMatch: return "\"!~\""
        default:
            if let op = binaryOperator { return "<op:\(op.rawValue)>" }
            if let word = TokenKind.keywords.first(where: { $0.value == self })?.key {
                return isAggregator ? "<aggr:\(word)>" : "<\(word)>"
            }
            return "token"
        }
    }
}

/// One token: its kind, its text and its byte offset in the expression.
struct Token: Sendable {
    var kind: TokenKind
    var text: String
    var offset: Int
}
