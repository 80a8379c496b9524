extension Expr: CustomStringConvertible {
    /// The expression in Prometheus' canonical one-line form (what `/api/v1/rules` shows as `query`).
    var description: String {
        switch self {
        case .number(let value, _):
            return GoFloat.print(value)
        case .string(let value, _):
            return GoQuote.quote(value)
        case .vectorSelector(let selector):
            return selector.description
        case .matrixSelector(let matrix):
            var bare = matrix.selector
            bare.offsetMs = 0
            return "\(bare)[\(PromDuration.format(milliseconds: matrix.rangeMs))]" + Expr.offsetText(matrix.selector.offsetMs)
        case .subquery(let subquery):
            let step = subquery.stepMs == 0 ? "" : PromDuration.format(milliseconds: subquery.stepMs)
            return "\(subquery.expression)[\(PromDuration.format(milliseconds: subquery.rangeMs)):\(step)]"
                + Expr.offsetText(subquery.offsetMs)
        case .call(let call):
            return "\(call.function.name)(\(call.arguments.map(\.description).joined(separator: ", ")))"
        case .aggregation(let aggregation):
            var text = aggregation.op.rawValue
            let labels = aggregation.grouping.sorted().joined(separator: ", ")
            if aggregation.without {
                text += " without (\(labels)) "
            } else if !aggregation.grouping.isEmpty {
                text += " by (\(labels)) "
            }
            text += "("
            if let parameter = aggregation.parameter { text += "\(parameter), " }
            return text + "\(aggregation.expression))"
        case .binary(let binary):
            var modifiers = binary.returnBool ? " bool" : ""
            let matching = binary.matching
            if !matching.labels.isEmpty || matching.on {
                modifiers += " \(matching.on ? "on" : "ignoring") (\(matching.labels.joined(separator: ", ")))"
                if matching.cardinality == .manyToOne || matching.cardinality == .oneToMany {
                    let side = matching.cardinality == .manyToOne ? "left" : "right"
                    modifiers += " group_\(side) (\(matching.include.joined(separator: ", ")))"
                }
            }
            return "\(binary.lhs) \(binary.op.rawValue)\(modifiers) \(binary.rhs)"
        case .negation(let inner, _):
            return "-\(inner)"
        case .parenthesized(let inner, _):
            return "(\(inner))"
        }
    }

    static func offsetText(_ offsetMs: Int64) -> String {
        if offsetMs > 0 { return " offset \(PromDuration.format(milliseconds: offsetMs))" }
        if offsetMs < 0 { return " offset -\(PromDuration.format(milliseconds: -offsetMs))" }
        return ""
    }
}

extension VectorSelector: CustomStringConvertible {
    var description: String {
        let shown = matchers.filter { !($0.name == Labels.metricName && $0.kind == .equal && $0.value == name) }
        let offset = Expr.offsetText(offsetMs)
        if shown.isEmpty { return (name ?? "") + offset }
        let texts = shown.map(\.description).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return (name ?? "") + "{" + texts.joined(separator: ",") + "}" + offset
    }
}
