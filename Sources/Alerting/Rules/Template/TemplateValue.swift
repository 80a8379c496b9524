/// A value inside a template, typed as Go's text/template sees the Prometheus template data.
indirect enum TemplateValue: Sendable {
    case string(String)
    case float(Double)
    case int(Int)
    case bool(Bool)
    /// `map[string]string`, e.g. `.Labels`.
    case stringMap([String: String])
    /// A struct with named fields, e.g. the alert data or a query sample.
    case record(typeName: String, fields: [(String, TemplateValue)])
    /// The result of `query`: a list of samples.
    case list([TemplateValue])
    /// `*time.Time` from `toTime`, in nanoseconds since the epoch.
    case time(nanoseconds: Int64)
    case null

    /// Go's type name, for error messages.
    var typeName: String {
        switch self {
        case .string: return "string"
        case .float: return "float64"
        case .int: return "int"
        case .bool: return "bool"
        case .stringMap: return "map[string]string"
        case .record(let name, _): return name
        case .list: return "template.queryResult"
        case .time: return "*time.Time"
        case .null: return "<nil>"
        }
    }

    /// text/template's truth: false, 0, "", empty collections and nil are false.
    var isTruthy: Bool {
        switch self {
        case .string(let text): return !text.isEmpty
        case .float(let value): return value != 0
        case .int(let value): return value != 0
        case .bool(let value): return value
        case .stringMap(let map): return !map.isEmpty
        case .list(let items): return !items.isEmpty
        case .record, .time: return true
        case .null: return false
        }
    }

    /// What `fmt.Sprint` prints for the value.
    var printed: String {
        switch self {
        case .string(let text): return text
        case .float(let value): return GoFloat.print(value)
        case .int(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .stringMap(let map):
            let keys = map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            return "map[" + keys.map { "\($0):\(map[$0] ?? "")" }.joined(separator: " ") + "]"
        case .record(let typeName, let fields):
            // A map (what `args` returns) prints its entries by key; a struct pointer its field values.
            if typeName.hasPrefix("map[") {
                let sorted = fields.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
                return "map[" + sorted.map { "\($0.0):\($0.1.printed)" }.joined(separator: " ") + "]"
            }
            return "&{" + fields.map(\.1.printed).joined(separator: " ") + "}"
        case .list(let items):
            return "[" + items.map(\.printed).joined(separator: " ") + "]"
        case .time(let nanoseconds):
            return GoTime.format(nanoseconds: nanoseconds)
        case .null:
            return "<no value>"
        }
    }

    /// The value as a float for Prometheus' `convertToFloat` (floats, ints and numeric strings).
    func toFloat() throws(TemplateError) -> Double {
        switch self {
        case .float(let value): return value
        case .int(let value): return Double(value)
        case .string(let text):
            guard let value = GoParse.float(text) else {
                throw TemplateError("strconv.ParseFloat: parsing \(GoQuote.quote(text)): invalid syntax")
            }
            return value
        default:
            throw TemplateError("can't convert \(typeName) to float")
        }
    }

    /// The value when a function parameter is a Go `string`.
    func toStringArgument() throws(TemplateError) -> String {
        guard case .string(let text) = self else {
            throw TemplateError("wrong type for value; expected string; got \(typeName)")
        }
        return text
    }
}

/// An error while parsing or executing a template.
struct TemplateError: Error, Sendable, CustomStringConvertible {
    let message: String

    init(_ message: String) {
        self.message = message
    }

    /// What Go's runtime reports, and text/template passes on, when a function reads through a nil pointer.
    static let nilDereference = TemplateError("runtime error: invalid memory address or nil pointer dereference")

    var description: String { message }
}

/// Go's `time.Time.String()` in UTC: `2006-01-02 15:04:05.999999999 +0000 UTC`.
enum GoTime {
    static func format(nanoseconds: Int64) -> String {
        let seconds = CivilDate.floorDiv(nanoseconds, 1_000_000_000)
        return dateTime(seconds, separator: " ") + fraction(CivilDate.floorMod(nanoseconds, 1_000_000_000), digits: 9) + " +0000 UTC"
    }

    /// RFC 3339 with nanoseconds as Go's JSON encoding of `time.Time` writes it: trailing zeros trimmed, `Z`.
    static func rfc3339(milliseconds: Int64) -> String {
        let seconds = CivilDate.floorDiv(milliseconds, 1000)
        return dateTime(seconds, separator: "T") + fraction(CivilDate.floorMod(milliseconds, 1000), digits: 3) + "Z"
    }

    /// `YYYY-MM-DD`, `separator`, `hh:mm:ss` of a Unix time in UTC.
    private static func dateTime(_ seconds: Int64, separator: String) -> String {
        let date = CivilDate(unixSeconds: seconds)
        let secondOfDay = CivilDate.floorMod(seconds, 86_400)
        return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))\(separator)"
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))"
    }

    /// `.` and the fraction's `digits` digits with trailing zeros trimmed; empty for zero.
    static func fraction(_ value: Int64, digits: Int) -> String {
        guard value > 0 else { return "" }
        var text = pad(value, digits)
        while text.hasSuffix("0") { text.removeLast() }
        return "." + text
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
