import Foundation

/// What a template can reach besides its data: PromQL queries at the evaluation time and the external URL.
struct TemplateEnvironment: Sendable {
    /// Runs a PromQL query at the rule's evaluation time (`query "…"` in a template).
    var query: (@Sendable (String) throws(PromQLError) -> [VectorSample])?
    /// What `externalURL` and `pathPrefix` read; `nil` where Prometheus has none (promtool's unit tests),
    /// and those functions then fail as they do there.
    var externalURL: String? = ""
}

/// The Go type of a template function's parameter, which text/template checks before the call.
enum TemplateParameter: Sendable {
    /// `string`.
    case string
    /// `template.queryResult`, what `query` returns.
    case queryResult
    /// `*template.sample`, one element of a query result.
    case sample
    /// `interface{}` or `reflect.Value`: anything.
    case any

    /// Go's name of the type, for messages.
    var typeName: String {
        switch self {
        case .string: return "string"
        case .queryResult: return "template.queryResult"
        case .sample: return "*template.sample"
        case .any: return "interface {}"
        }
    }
}

/// A template function's parameters as Go declares them: the last one repeats when `variadic`.
struct TemplateSignature: Sendable {
    var parameters: [TemplateParameter]
    var variadic = false
}

/// Go text/template's built-in functions plus Prometheus' template functions.
enum TemplateFunctions {
    static let names: Set<String> = [
        // text/template built-ins.
        "and", "or", "not", "len", "index", "print", "printf", "println", "eq", "ne", "lt", "le", "gt", "ge",
        "html", "js", "urlquery", "slice", "call",
        // Prometheus.
        "query", "first", "label", "value", "strvalue", "args", "reReplaceAll", "safeHtml", "match", "title",
        "toUpper", "toLower", "graphLink", "tableLink", "sortByLabel", "stripPort", "stripDomain", "humanize",
        "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp", "toTime", "pathPrefix",
        "externalURL", "parseDuration",
    ]

    /// The function's parameters, as text/template and Prometheus 2.42 declare them.
    static func signature(_ name: String) -> TemplateSignature {
        switch name {
        case "not", "len", "humanize", "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp", "toTime":
            return TemplateSignature(parameters: [.any])
        case "ne", "lt", "le", "gt", "ge":
            return TemplateSignature(parameters: [.any, .any])
        case "and", "or", "index", "eq", "slice", "call":
            return TemplateSignature(parameters: [.any, .any], variadic: true)
        case "print", "println", "html", "js", "urlquery", "args":
            return TemplateSignature(parameters: [.any], variadic: true)
        case "printf":
            return TemplateSignature(parameters: [.string, .any], variadic: true)
        case "query", "safeHtml", "title", "toUpper", "toLower", "graphLink", "tableLink", "stripPort", "stripDomain", "parseDuration":
            return TemplateSignature(parameters: [.string])
        case "match":
            return TemplateSignature(parameters: [.string, .string])
        case "reReplaceAll":
            return TemplateSignature(parameters: [.string, .string, .string])
        case "first":
            return TemplateSignature(parameters: [.queryResult])
        case "label":
            return TemplateSignature(parameters: [.string, .sample])
        case "value", "strvalue":
            return TemplateSignature(parameters: [.sample])
        case "sortByLabel":
            return TemplateSignature(parameters: [.string, .queryResult])
        case "externalURL", "pathPrefix":
            return TemplateSignature(parameters: [])
        default:
            return TemplateSignature(parameters: [.any], variadic: true)
        }
    }

    static func call(
        _ name: String,
        _ args: [TemplateValue],
        _ environment: TemplateEnvironment
    ) throws(TemplateError)
        -> TemplateValue
    {
        func arity(_ count: Int) throws(TemplateError) {
            if args.count != count { throw TemplateError("wrong number of args for \(name): want \(count) got \(args.count)") }
        }
        switch name {
        case "and":
            guard !args.isEmpty else { throw TemplateError("wrong number of args for and: want at least 1 got 0") }
            return args.first { !$0.isTruthy } ?? args[args.count - 1]
        case "or":
            guard !args.isEmpty else { throw TemplateError("wrong number of args for or: want at least 1 got 0") }
            return args.first { $0.isTruthy } ?? args[args.count - 1]
        case "not":
            try arity(1)
            return .bool(!args[0].isTruthy)
        case "len":
            try arity(1)
            switch args[0] {
            case .string(let text): return .int(text.utf8.count)
            case .stringMap(let map): return .int(map.count)
            case .list(let items): return .int(items.count)
            default: throw TemplateError("len of type \(args[0].typeName)")
            }
        case "index":
            guard let collection = args.first else { throw TemplateError("wrong number of args for index: want at least 1 got 0") }
            var current = collection
            for key in args.dropFirst() {
                current = try index(current, key)
            }
            return current
        case "print": return .string(GoPrintf.sprint(args))
        case "println": return .string(args.map(\.printed).joined(separator: " ") + "\n")
        case "printf":
            guard case .string(let format)? = args.first else { throw TemplateError("wrong type for value; expected string") }
            return .string(GoPrintf.format(format, Array(args.dropFirst())))
        case "eq", "ne", "lt", "le", "gt", "ge":
            return .bool(try TemplateComparison.compare(name, args))
        case "html": return .string(escapeHTML(GoPrintf.sprint(args)))
        case "js": return .string(escapeJS(GoPrintf.sprint(args)))
        case "urlquery": return .string(queryEscape(GoPrintf.sprint(args)))
        case "humanize":
            try arity(1)
            return .string(Humanize.humanize(try args[0].toFloat()))
        case "humanize1024":
            try arity(1)
            return .string(Humanize.humanize1024(try args[0].toFloat()))
        case "humanizeDuration":
            try arity(1)
            return .string(Humanize.duration(try args[0].toFloat()))
        case "humanizePercentage":
            try arity(1)
            return .string(Humanize.percentage(try args[0].toFloat()))
        case "humanizeTimestamp":
            try arity(1)
            return .string(try Humanize.timestamp(try args[0].toFloat()))
        case "toTime":
            try arity(1)
            let value = try args[0].toFloat()
            guard value.isFinite else { throw TemplateError("value is NaN or Inf") }
            return .time(nanoseconds: GoMath.int64(value * 1e9) / 1_000_000 * 1_000_000)
        case "toUpper":
            try arity(1)
            return .string(try args[0].toStringArgument().uppercased())
        case "toLower":
            try arity(1)
            return .string(try args[0].toStringArgument().lowercased())
        case "title":
            try arity(1)
            return .string(title(try args[0].toStringArgument()))
        case "safeHtml":
            try arity(1)
            return .string(try args[0].toStringArgument())
        case "match":
            try arity(2)
            return .bool(try regex(args[0].toStringArgument()).firstMatch(in: try args[1].toStringArgument()) != nil)
        case "reReplaceAll":
            try arity(3)
            return .string(try replaceAll(args[0].toStringArgument(), args[1].toStringArgument(), args[2].toStringArgument()))
        case "stripPort":
            try arity(1)
            return .string(HostPort.stripPort(try args[0].toStringArgument()))
        case "stripDomain":
            try arity(1)
            return .string(HostPort.stripDomain(try args[0].toStringArgument()))
        case "graphLink":
            try arity(1)
            return .string("/graph?g0.expr=\(queryEscape(try args[0].toStringArgument()))&g0.tab=0")
        case "tableLink":
            try arity(1)
            return .string("/graph?g0.expr=\(queryEscape(try args[0].toStringArgument()))&g0.tab=1")
        case "externalURL":
            try arity(0)
            guard let url = environment.externalURL else { throw TemplateError.nilDereference }
            return .string(url)
        case "pathPrefix":
            try arity(0)
            guard let url = environment.externalURL else { throw TemplateError.nilDereference }
            return .string(URLComponents(string: url)?.path ?? "")
        case "parseDuration":
            try arity(1)
            let text = try args[0].toStringArgument()
            guard let milliseconds = PromDuration.milliseconds(text) else {
                throw TemplateError("not a valid duration string: \(GoQuote.quote(text))")
            }
            return .float(Double(milliseconds) / 1000)
        case "args":
            return .record(typeName: "map[string]interface {}", fields: args.enumerated().map { ("arg\($0.offset)", $0.element) })
        default:
            return try TemplateQueryFunctions.call(name, args, environment)
        }
    }

    /// One step of Go's `index`: a map by a string key, a list or a string's bytes by position.
    private static func index(_ item: TemplateValue, _ key: TemplateValue) throws(TemplateError) -> TemplateValue {
        func position(_ count: Int) throws(TemplateError) -> Int {
            guard case .int(let position) = key else { throw TemplateError("cannot index slice/array with type \(key.typeName)") }
            guard position >= 0, position < count else { throw TemplateError("index out of range: \(position)") }
            return position
        }
        switch item {
        case .stringMap(let map):
            guard case .string(let text) = key else { throw TemplateError("value has type \(key.typeName); should be string") }
            return .string(map[text] ?? "")
        case .record(let typeName, let fields) where typeName.hasPrefix("map["):
            guard case .string(let text) = key else { throw TemplateError("value has type \(key.typeName); should be string") }
            return fields.first { $0.0 == text }?.1 ?? .null
        case .list(let items):
            return items[try position(items.count)]
        case .string(let text):
            let bytes = Array(text.utf8)
            return .int(Int(bytes[try position(bytes.count)]))
        case .null:
            throw TemplateError("index of untyped nil")
        default:
            throw TemplateError("can't index item of type \(item.typeName)")
        }
    }

    static func regex(_ pattern: String) throws(TemplateError) -> UnanchoredRegex {
        do {
            return try UnanchoredRegex(pattern)
        } catch {
            throw TemplateError("error parsing regexp: \(pattern)")
        }
    }

    private static func replaceAll(_ pattern: String, _ replacement: String, _ text: String) throws(TemplateError) -> String {
        let expression = try regex(pattern)
        var output = ""
        var position = text.startIndex
        for match in expression.matches(in: text) {
            guard let whole = match[0] else { continue }
            output += text[position..<whole.lowerBound]
            output += LabelFunctions.expand(replacement, value: text, captures: match, groupNames: expression.groupNames)
            position = whole.upperBound
        }
        return output + text[position...]
    }

    /// Go's `strings.Title`: upper-cases the first letter of every word.
    private static func title(_ text: String) -> String {
        var output = ""
        var previous: Character = " "
        for character in text {
            let separator =
                !(previous.isLetter || previous.isNumber || previous == "_")
                && (previous.isASCII ? true : previous.isWhitespace)
            output += separator ? String(character).uppercased() : String(character)
            previous = character
        }
        return output
    }

    private static func escapeHTML(_ text: String) -> String {
        var output = ""
        for character in text {
            switch character {
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "&": output += "&amp;"
            case "'": output += "&#39;"
            case "\"": output += "&#34;"
            case "\0": output += "\u{FFFD}"
            default: output.append(character)
            }
        }
        return output
    }

    private static func escapeJS(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "'": output += "\\'"
            case "\"": output += "\\\""
            case "<": output += "\\u003C"
            case ">": output += "\\u003E"
            case "&": output += "\\u0026"
            case "=": output += "\\u003D"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    /// Go's `url.QueryEscape`.
    static func queryEscape(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                output += "+"
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }
}

/// Go's `net.SplitHostPort`-based helpers `stripPort` and `stripDomain`.
enum HostPort {
    static func split(_ hostPort: String) -> (host: String, port: String)? {
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return nil }
            let host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let rest = hostPort[hostPort.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            return (host, String(rest.dropFirst()))
        }
        guard let colon = hostPort.lastIndex(of: ":") else { return nil }
        let host = String(hostPort[..<colon])
        if host.contains(":") { return nil }
        return (host, String(hostPort[hostPort.index(after: colon)...]))
    }

    static func stripPort(_ hostPort: String) -> String {
        split(hostPort)?.host ?? hostPort
    }

    static func stripDomain(_ hostPort: String) -> String {
        let parts = split(hostPort)
        let host = parts?.host ?? hostPort
        let port = parts?.port ?? ""
        if isIPAddress(host) { return hostPort }
        let first = String(host.split(separator: ".", omittingEmptySubsequences: false).first ?? "")
        if !port.isEmpty {
            return first.contains(":") ? "[\(first)]:\(port)" : "\(first):\(port)"
        }
        return first
    }

    private static func isIPAddress(_ host: String) -> Bool {
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        if octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) { return true }
        return host.contains(":") && host.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
}
