/// A PromQL function's signature, as Prometheus 2.42 declares it.
struct PromQLFunction: Sendable, Hashable {
    let name: String
    let argumentTypes: [ValueType]
    /// 0: exactly `argumentTypes`; n > 0: the last argument may be left out or repeated up to n times in
    /// all; -1: the last argument may repeat without limit.
    let variadic: Int
    let returnType: ValueType

    /// Why the embedded evaluator refuses this function, or `nil` when it evaluates it.
    var unsupportedReason: String? {
        switch name {
        case "histogram_count", "histogram_sum", "histogram_fraction":
            return "works on native histograms, which the embedded evaluator does not store"
        default:
            return nil
        }
    }

    static func named(_ name: String) -> PromQLFunction? {
        catalog[name]
    }

    private static let catalog: [String: PromQLFunction] = {
        var functions: [String: PromQLFunction] = [:]
        func add(_ name: String, _ args: [ValueType], _ result: ValueType = .vector, variadic: Int = 0) {
            functions[name] = PromQLFunction(name: name, argumentTypes: args, variadic: variadic, returnType: result)
        }
        let vector: [ValueType] = [.vector]
        let matrix: [ValueType] = [.matrix]
        for name in [
            "abs", "absent", "acos", "acosh", "asin", "asinh", "atan", "atanh", "ceil", "cos", "cosh", "deg", "exp",
            "floor", "histogram_count", "histogram_sum", "ln", "log10", "log2", "rad", "sgn", "sin", "sinh", "sort",
            "sort_desc", "sqrt", "tan", "tanh", "timestamp",
        ] {
            add(name, vector)
        }
        for name in [
            "absent_over_time", "avg_over_time", "changes", "count_over_time", "delta", "deriv", "idelta", "increase",
            "irate", "last_over_time", "max_over_time", "min_over_time", "present_over_time", "rate", "resets",
            "stddev_over_time", "stdvar_over_time", "sum_over_time",
        ] {
            add(name, matrix)
        }
        for name in ["days_in_month", "day_of_month", "day_of_week", "day_of_year", "hour", "minute", "month", "year"] {
            add(name, vector, variadic: 1)
        }
        add("clamp", [.vector, .scalar, .scalar])
        add("clamp_max", [.vector, .scalar])
        add("clamp_min", [.vector, .scalar])
        add("histogram_fraction", [.scalar, .scalar, .vector])
        add("histogram_quantile", [.scalar, .vector])
        add("holt_winters", [.matrix, .scalar, .scalar])
        add("label_replace", [.vector, .string, .string, .string, .string])
        add("label_join", [.vector, .string, .string, .string], variadic: -1)
        add("pi", [], .scalar)
        add("predict_linear", [.matrix, .scalar])
        add("quantile_over_time", [.scalar, .matrix])
        add("round", [.vector, .scalar], variadic: 1)
        add("scalar", vector, .scalar)
        add("time", [], .scalar)
        add("vector", [.scalar])
        return functions
    }()
}
