/// A parsed, type-checked PromQL expression that the embedded evaluator can run.
///
/// Parsing refuses anything the evaluator would not evaluate faithfully (subqueries, the `@` modifier,
/// native-histogram functions), so a rule never silently stays silent.
public struct PromQLExpression: Sendable, CustomStringConvertible {
    let root: Expr

    /// The text as written.
    public let text: String

    /// Parses and checks `text`.
    /// - Throws: ``PromQLError`` of kind `.parse` for invalid PromQL, `.unsupported` for valid PromQL the
    ///   embedded evaluator does not implement; the message names the construct.
    public init(_ text: String) throws(PromQLError) {
        let parser = try Parser(text)
        var working = parser
        if working.current.kind == .eof { throw .parse("no expression found in input", at: nil) }
        let root = try working.parseExpression(minimumPrecedence: 0)
        if working.current.kind != .eof { throw working.unexpected() }
        try TypeChecker(parser: working).check(root)
        self.root = root
        self.text = text
    }

    /// The result type: scalar, instant vector, range vector or string.
    public var type: ValueType { root.type }

    /// Prometheus' canonical one-line form, e.g. `sum by (job) (rate(x[5m])) > 1`.
    public var description: String { root.description }
}
