/// text/template's `eq ne lt le gt ge`: operands must be of the same basic kind (an int literal such as `100`
/// does not compare with a float64 such as `$value`: Go reports "incompatible types for comparison").
enum TemplateComparison {
    private enum Kind {
        case bool, int, float, string
    }

    private static func kind(_ value: TemplateValue) -> Kind? {
        switch value {
        case .bool: return .bool
        case .int: return .int
        case .float: return .float
        case .string: return .string
        default: return nil
        }
    }

    static func compare(_ name: String, _ args: [TemplateValue]) throws(TemplateError) -> Bool {
        switch name {
        case "eq":
            guard args.count >= 2 else { throw TemplateError("missing argument for comparison") }
            for other in args.dropFirst() where try equal(args[0], other) { return true }
            return false
        case "ne":
            guard args.count == 2 else { throw TemplateError("wrong number of args for ne: want 2 got \(args.count)") }
            return try !equal(args[0], args[1])
        case "lt", "le", "gt", "ge":
            guard args.count == 2 else { throw TemplateError("wrong number of args for \(name): want 2 got \(args.count)") }
            let less = try lessThan(args[0], args[1])
            let same = try equal(args[0], args[1])
            switch name {
            case "lt": return less
            case "le": return less || same
            case "gt": return !(less || same)
            default: return !less
            }
        default:
            throw TemplateError("unknown comparison \(name)")
        }
    }

    private static func equal(_ lhs: TemplateValue, _ rhs: TemplateValue) throws(TemplateError) -> Bool {
        guard let left = kind(lhs) else {
            if case .null = lhs, case .null = rhs { return true }
            throw TemplateError("invalid type for comparison")
        }
        guard kind(rhs) == left else { throw TemplateError("incompatible types for comparison") }
        switch (lhs, rhs) {
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.float(let a), .float(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        default: return false
        }
    }

    private static func lessThan(_ lhs: TemplateValue, _ rhs: TemplateValue) throws(TemplateError) -> Bool {
        guard let left = kind(lhs), let right = kind(rhs) else { throw TemplateError("invalid type for comparison") }
        guard left == right else { throw TemplateError("incompatible types for comparison") }
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a < b
        case (.float(let a), .float(let b)): return a < b
        case (.string(let a), .string(let b)): return a.utf8.lexicographicallyPrecedes(b.utf8)
        default: throw TemplateError("invalid type for comparison")
        }
    }
}

/// Prometheus' query helpers in templates: `query`, `first`, `label`, `value`, `strvalue`, `sortByLabel`.
enum TemplateQueryFunctions {
    static func call(
        _ name: String,
        _ args: [TemplateValue],
        _ environment: TemplateEnvironment
    ) throws(TemplateError)
        -> TemplateValue
    {
        switch name {
        case "query":
            guard args.count == 1 else { throw TemplateError("wrong number of args for query: want 1 got \(args.count)") }
            let text = try args[0].toStringArgument()
            guard let query = environment.query else { throw TemplateError("query is not available here") }
            do {
                return .list(try query(text).map(sample))
            } catch {
                throw TemplateError(error.description)
            }
        case "first":
            guard case .list(let items)? = args.first, args.count == 1 else {
                throw TemplateError("wrong type for value; expected template.queryResult")
            }
            guard let first = items.first else { throw TemplateError("first() called on vector with no elements") }
            return first
        case "label":
            guard args.count == 2 else { throw TemplateError("wrong number of args for label: want 2 got \(args.count)") }
            let name = try args[0].toStringArgument()
            return .string(try fields(of: args[1]).labels[name] ?? "")
        case "value":
            guard args.count == 1 else { throw TemplateError("wrong number of args for value: want 1 got \(args.count)") }
            return .float(try fields(of: args[0]).value)
        case "strvalue":
            guard args.count == 1 else { throw TemplateError("wrong number of args for strvalue: want 1 got \(args.count)") }
            return .string(try fields(of: args[0]).labels["__value__"] ?? "")
        case "sortByLabel":
            guard args.count == 2, case .list(let items) = args[1] else {
                throw TemplateError("wrong type for value; expected template.queryResult")
            }
            let label = try args[0].toStringArgument()
            var keyed: [(String, TemplateValue)] = []
            for item in items { keyed.append(((try fields(of: item).labels[label]) ?? "", item)) }
            return .list(keyed.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.1))
        case "slice", "call":
            throw TemplateError("\(name) is not supported in alert templates by the embedded evaluator")
        default:
            throw TemplateError("function \(GoQuote.quote(name)) not defined")
        }
    }

    /// A query sample as the template sees it: `*sample{Labels, Value}`.
    static func sample(_ element: VectorSample) -> TemplateValue {
        .record(typeName: "*template.sample", fields: [("Labels", .stringMap(element.labels.dictionary)), ("Value", .float(element.value))])
    }

    private static func fields(of value: TemplateValue) throws(TemplateError) -> (labels: [String: String], value: Double) {
        if case .null = value { throw TemplateError.nilDereference }
        guard case .record(_, let fields) = value,
            case .stringMap(let labels)? = fields.first(where: { $0.0 == "Labels" })?.1,
            case .float(let number)? = fields.first(where: { $0.0 == "Value" })?.1
        else { throw TemplateError("wrong type for value; expected *template.sample; got \(value.typeName)") }
        return (labels, number)
    }
}
