/// Prometheus' `checkAST` (type rules of operators, functions and aggregations) followed by the embedded
/// evaluator's own limits: subqueries and native-histogram functions are refused with a message naming
/// the construct.
struct TypeChecker {
    let parser: Parser

    func check(_ expression: Expr) throws(PromQLError) {
        try checkTypes(expression)
        try checkSupport(expression)
    }

    private func error(_ message: String, _ expression: Expr) -> PromQLError {
        parser.error(message, at: expression.source.lowerBound)
    }

    /// An error about a binary expression's operator, placed where Prometheus' `opRange` puts it: at the
    /// first non-space byte after the left operand.
    private func operatorError(_ message: String, _ binary: BinaryExpression) -> PromQLError {
        var offset = binary.lhs.source.upperBound
        while offset < parser.bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(parser.bytes[offset]) { offset += 1 }
        return parser.error(message, at: offset)
    }

    private func expect(_ expression: Expr, _ type: ValueType, in context: String) throws(PromQLError) {
        try checkTypes(expression)
        if expression.type != type {
            throw error("expected type \(type.rawValue) in \(context), got \(expression.type.rawValue)", expression)
        }
    }

    private func checkTypes(_ expression: Expr) throws(PromQLError) {
        switch expression {
        case .number, .string:
            return
        case .parenthesized(let inner, _):
            try checkTypes(inner)
        case .negation(let inner, _):
            try checkTypes(inner)
            if inner.type != .scalar && inner.type != .vector {
                throw error(
                    "unary expression only allowed on expressions of type scalar or instant vector, got \(GoQuote.quote(inner.type.rawValue))",
                    expression
                )
            }
        case .vectorSelector(let selector):
            try checkSelector(selector, expression)
        case .matrixSelector(let matrix):
            try checkSelector(matrix.selector, expression)
        case .subquery(let subquery):
            try checkTypes(subquery.expression)
            if subquery.expression.type != .vector {
                throw error("subquery is only allowed on instant vector, got \(subquery.expression.type.rawValue) instead", expression)
            }
        case .aggregation(let aggregation):
            try expect(aggregation.expression, .vector, in: "aggregation expression")
            if let parameter = aggregation.parameter {
                let wanted: ValueType = aggregation.op == .countValues ? .string : .scalar
                try expect(parameter, wanted, in: "aggregation parameter")
            }
        case .call(let call):
            try checkCall(call, expression)
        case .binary(let binary):
            try checkBinary(binary, expression)
        }
    }

    private func checkSelector(_ selector: VectorSelector, _ expression: Expr) throws(PromQLError) {
        if let name = selector.name {
            for matcher in selector.matchers.dropLast() where matcher.name == Labels.metricName {
                throw error("metric name must not be set twice: \(GoQuote.quote(name)) or \(GoQuote.quote(matcher.value))", expression)
            }
            return
        }
        if !selector.matchers.contains(where: { !$0.matches("") }) {
            throw error("vector selector must contain at least one non-empty matcher", expression)
        }
    }

    private func checkCall(_ call: FunctionCall, _ expression: Expr) throws(PromQLError) {
        let function = call.function
        let declared = function.argumentTypes.count
        let name = GoQuote.quote(function.name)
        if function.variadic == 0 {
            if declared != call.arguments.count {
                throw error("expected \(declared) argument(s) in call to \(name), got \(call.arguments.count)", expression)
            }
        } else {
            let required = declared - 1
            if required > call.arguments.count {
                throw error("expected at least \(required) argument(s) in call to \(name), got \(call.arguments.count)", expression)
            }
            if function.variadic > 0, required + function.variadic < call.arguments.count {
                throw error(
                    "expected at most \(required + function.variadic) argument(s) in call to \(name), got \(call.arguments.count)",
                    expression
                )
            }
        }
        for (position, argument) in call.arguments.enumerated() {
            var typeIndex = position
            if position >= declared {
                if function.variadic == 0 { break }
                typeIndex = declared - 1
            }
            try expect(argument, function.argumentTypes[typeIndex], in: "call to function \(name)")
        }
    }

    private func checkBinary(_ binary: BinaryExpression, _ expression: Expr) throws(PromQLError) {
        try checkTypes(binary.lhs)
        try checkTypes(binary.rhs)
        let left = binary.lhs.type
        let right = binary.rhs.type
        if binary.returnBool && !binary.op.isComparison {
            throw operatorError("bool modifier can only be used on comparison operators", binary)
        }
        if binary.op.isComparison && !binary.returnBool && left == .scalar && right == .scalar {
            throw operatorError("comparisons between scalars must use BOOL modifier", binary)
        }
        if binary.matching.on {
            for label in binary.matching.labels where binary.matching.include.contains(label) {
                throw operatorError("label \(GoQuote.quote(label)) must not occur in ON and GROUP clause at once", binary)
            }
        }
        if left != .scalar && left != .vector {
            throw error("binary expression must contain only scalar and instant vector types", binary.lhs)
        }
        if right != .scalar && right != .vector {
            throw error("binary expression must contain only scalar and instant vector types", binary.rhs)
        }
        if left != .vector || right != .vector {
            if !binary.matching.labels.isEmpty {
                throw error("vector matching only allowed between instant vectors", expression)
            }
            if binary.op.isSetOperator {
                throw error("set operator \(GoQuote.quote(binary.op.rawValue)) not allowed in binary scalar expression", expression)
            }
        } else if binary.op.isSetOperator {
            if binary.matching.cardinality == .manyToOne || binary.matching.cardinality == .oneToMany {
                throw error("no grouping allowed for \(GoQuote.quote(binary.op.rawValue)) operation", expression)
            }
        }
    }

    /// Refuses what the embedded evaluator cannot evaluate, naming the construct as written.
    private func checkSupport(_ expression: Expr) throws(PromQLError) {
        switch expression {
        case .number, .string, .vectorSelector, .matrixSelector:
            return
        case .parenthesized(let inner, _), .negation(let inner, _):
            try checkSupport(inner)
        case .subquery:
            throw .unsupported(
                "subquery `\(parser.text(expression.source))` is not supported by the embedded evaluator"
            )
        case .aggregation(let aggregation):
            if let parameter = aggregation.parameter { try checkSupport(parameter) }
            try checkSupport(aggregation.expression)
        case .call(let call):
            if let reason = call.function.unsupportedReason {
                throw .unsupported(
                    "function \(call.function.name) in `\(parser.text(expression.source))` \(reason)"
                )
            }
            for argument in call.arguments { try checkSupport(argument) }
        case .binary(let binary):
            try checkSupport(binary.lhs)
            try checkSupport(binary.rhs)
        }
    }
}
