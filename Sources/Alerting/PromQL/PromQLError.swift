/// An error from parsing or evaluating a PromQL expression.
///
/// Parse errors carry the position (`line:column`) in the expression text; unsupported constructs name
/// the construct, so a rule that could never fire is refused when it is loaded rather than staying silent.
public struct PromQLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is.
    public enum Kind: String, Sendable, Hashable {
        /// The text is not valid PromQL (or not well typed).
        case parse
        /// Valid PromQL that the embedded evaluator does not implement.
        case unsupported
        /// The expression failed while being evaluated (e.g. many-to-many matching).
        case evaluation
    }

    /// What kind of problem this is.
    public let kind: Kind
    /// The message without position.
    public let message: String
    /// 1-based line and column in the expression, for parse errors.
    public let position: (line: Int, column: Int)?

    init(kind: Kind, message: String, position: (line: Int, column: Int)? = nil) {
        self.kind = kind
        self.message = message
        self.position = position
    }

    /// A readable message, e.g. `1:14: parse error: unexpected "}"`.
    public var description: String {
        switch kind {
        case .parse:
            if let position { return "\(position.line):\(position.column): parse error: \(message)" }
            return "parse error: \(message)"
        case .unsupported, .evaluation:
            return message
        }
    }

    public static func == (lhs: PromQLError, rhs: PromQLError) -> Bool {
        lhs.kind == rhs.kind && lhs.message == rhs.message && lhs.position?.line == rhs.position?.line
            && lhs.position?.column == rhs.position?.column
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(message)
    }

    static func parse(_ message: String, at position: (line: Int, column: Int)?) -> PromQLError {
        PromQLError(kind: .parse, message: message, position: position)
    }

    static func unsupported(_ message: String) -> PromQLError {
        PromQLError(kind: .unsupported, message: message)
    }

    static func evaluation(_ message: String) -> PromQLError {
        PromQLError(kind: .evaluation, message: message)
    }

    static func invalidRegex(_ pattern: String) -> PromQLError {
        PromQLError(kind: .parse, message: "invalid regular expression \(GoQuote.quote(pattern))")
    }
}
