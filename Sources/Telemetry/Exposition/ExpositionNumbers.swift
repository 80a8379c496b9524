extension LineLexer {
    /// Parses a sample value the way expfmt does (Go's `strconv.ParseFloat` without hex
    /// floats or underscores): decimal floats, `Inf`/`Infinity` with optional sign and
    /// `NaN`, case-insensitively. Swift's `Double(_:)` alone would also take hex and
    /// `nan(…)` payloads, which Prometheus rejects.
    static func parseGoFloat(_ token: String) -> Double? {
        let lowered = token.lowercased()
        switch lowered {
        case "nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: break
        }
        guard isDecimalFloat(Array(token.utf8)) else { return nil }
        return Double(token)
    }

    /// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`
    private static func isDecimalFloat(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            return index - start
        }
        func accept(_ options: String) -> Bool {
            guard index < bytes.count, options.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        _ = accept("+-")
        var mantissa = digits()
        if accept(".") { mantissa += digits() }
        guard mantissa > 0 else { return false }
        if accept("eE") {
            _ = accept("+-")
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }
}

/// Helpers for writing numbers and series in messages.
enum ExpositionFormat {
    /// `3` rather than `3.0`, `+Inf` as Prometheus spells it.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// `name{a="x",b="y"}` with labels sorted and values escaped; `name` alone if unlabelled.
    static func series(_ name: String, _ labels: [String: String]) -> String {
        guard !labels.isEmpty else { return name }
        let pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(escape($0.value))\"" }
        return name + "{" + pairs.joined(separator: ",") + "}"
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
