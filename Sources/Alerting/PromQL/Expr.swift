/// The four types a PromQL expression can have.
public enum ValueType: String, Sendable, Hashable {
    /// A single number.
    case scalar
    /// One sample per series at the evaluation time.
    case vector = "instant vector"
    /// Samples over a time range per series.
    case matrix = "range vector"
    /// A string literal.
    case string
}

/// Binary operators with Prometheus' precedence (`^` binds tightest and is right-associative).
public enum BinaryOperator: String, Sendable, Hashable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case modulo = "%"
    case power = "^"
    case atan2
    case equal = "=="
    case notEqual = "!="
    case greater = ">"
    case less = "<"
    case greaterOrEqual = ">="
    case lessOrEqual = "<="
    case and, or, unless

    /// Higher binds tighter: `or` 1, `and unless` 2, comparisons 3, `+ -` 4, `* / % atan2` 5, `^` 6.
    var precedence: Int {
        switch self {
        case .or: return 1
        case .and, .unless: return 2
        case .equal, .notEqual, .greater, .less, .greaterOrEqual, .lessOrEqual: return 3
        case .add, .subtract: return 4
        case .multiply, .divide, .modulo, .atan2: return 5
        case .power: return 6
        }
    }

    var isComparison: Bool { precedence == 3 }
    var isSetOperator: Bool { self == .and || self == .or || self == .unless }

    /// Arithmetic drops `__name__`; comparisons, set operators and (as in Prometheus 2.x) `atan2` keep it.
    var dropsMetricName: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .modulo, .power: return true
        default: return false
        }
    }
}

/// Aggregation operators.
public enum AggregationOperator: String, Sendable, Hashable {
    case sum, avg, count, min, max, group, stddev, stdvar, topk, bottomk
    case countValues = "count_values"
    case quantile

    /// `topk`, `bottomk`, `count_values` and `quantile` take a parameter before the vector.
    var hasParameter: Bool {
        self == .topk || self == .bottomk || self == .countValues || self == .quantile
    }
}

/// An instant vector selector such as `http_requests_total{job="api"} offset 5m`.
struct VectorSelector: Sendable {
    /// The metric name written before the braces, if any.
    var name: String?
    /// All matchers, including `__name__="name"` appended last when a name was written.
    var matchers: [LabelMatcher]
    /// The `offset` in milliseconds (negative offsets look ahead).
    var offsetMs: Int64 = 0
    var source: Range<Int>
}

/// A range selector such as `x[5m]`.
struct MatrixSelector: Sendable {
    var selector: VectorSelector
    var rangeMs: Int64
    var source: Range<Int>
}

/// A subquery (`expr[range:step]`); parsed so the error can name it, never evaluated.
struct Subquery: Sendable {
    var expression: Expr
    var rangeMs: Int64
    var stepMs: Int64
    var offsetMs: Int64 = 0
    var source: Range<Int>
}

/// A function call.
struct FunctionCall: Sendable {
    var function: PromQLFunction
    var arguments: [Expr]
    var source: Range<Int>
}

/// An aggregation such as `sum by (job) (x)`.
struct Aggregation: Sendable {
    var op: AggregationOperator
    var grouping: [String]
    var without: Bool
    var parameter: Expr?
    var expression: Expr
    var source: Range<Int>
}

/// How the two sides of a vector-vector operation are matched.
struct VectorMatching: Sendable {
    enum Cardinality: Sendable {
        case oneToOne, manyToOne, oneToMany, manyToMany
    }
    var cardinality: Cardinality = .oneToOne
    /// The `on(...)` or `ignoring(...)` labels.
    var labels: [String] = []
    /// True for `on`, false for `ignoring` (or no modifier).
    var on = false
    /// The `group_left(...)` / `group_right(...)` labels taken from the "one" side.
    var include: [String] = []
}

/// A binary operation.
struct BinaryExpression: Sendable {
    var op: BinaryOperator
    var lhs: Expr
    var rhs: Expr
    var returnBool = false
    var matching = VectorMatching()
    var source: Range<Int>
}

/// A PromQL expression tree. Every node remembers where it came from in the text, for messages.
indirect enum Expr: Sendable {
    case number(Double, source: Range<Int>)
    case string(String, source: Range<Int>)
    case vectorSelector(VectorSelector)
    case matrixSelector(MatrixSelector)
    case subquery(Subquery)
    case call(FunctionCall)
    case aggregation(Aggregation)
    case binary(BinaryExpression)
    case negation(Expr, source: Range<Int>)
    case parenthesized(Expr, source: Range<Int>)

    var source: Range<Int> {
        switch self {
        case .number(_, let source), .string(_, let source), .negation(_, let source), .parenthesized(_, let source):
            return source
        case .vectorSelector(let selector): return selector.source
        case .matrixSelector(let selector): return selector.source
        case .subquery(let subquery): return subquery.source
        case .call(let call): return call.source
        case .aggregation(let aggregation): return aggregation.source
        case .binary(let binary): return binary.source
        }
    }

    /// The static type of the expression.
    var type: ValueType {
        switch self {
        case .number: return .scalar
        case .string: return .string
        case .vectorSelector, .aggregation: return .vector
        case .matrixSelector, .subquery: return .matrix
        case .call(let call): return call.function.returnType
        case .binary(let binary):
            return binary.lhs.type == .scalar && binary.rhs.type == .scalar ? .scalar : .vector
        case .negation(let inner, _), .parenthesized(let inner, _): return inner.type
        }
    }

    /// The expression without enclosing parentheses.
    var unwrapped: Expr {
        if case .parenthesized(let inner, _) = self { return inner.unwrapped }
        return self
    }
}
