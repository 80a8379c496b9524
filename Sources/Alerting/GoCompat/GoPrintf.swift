/// Go's `fmt.Sprintf` for the verbs alert templates use: `%v %s %q %d %f %F %e %E %g %G %x %X %t %%`,
/// with the flags `+ - space 0 #`, width and precision; wrong types print Go's `%!verb(type=value)`.
enum GoPrintf {
    static func format(_ format: String, _ arguments: [TemplateValue]) -> String {
        var output = ""
        let characters = Array(format)
        var index = 0
        var argumentIndex = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            guard character == "%" else {
                output.append(character)
                continue
            }
            var spec = Spec()
            while index < characters.count, let flag = Spec.Flag(rawValue: characters[index]) {
                spec.flags.insert(flag)
                index += 1
            }
            spec.width = readNumber(characters, &index)
            if index < characters.count, characters[index] == "." {
                index += 1
                spec.precision = readNumber(characters, &index) ?? 0
            }
            guard index < characters.count else {
                output += "%!(NOVERB)"
                break
            }
            let verb = characters[index]
            index += 1
            if verb == "%" {
                output += "%"
                continue
            }
            guard argumentIndex < arguments.count else {
                output += "%!\(verb)(MISSING)"
                continue
            }
            output += render(arguments[argumentIndex], verb: verb, spec: spec)
            argumentIndex += 1
        }
        if argumentIndex < arguments.count {
            let extra = arguments[argumentIndex...].map { "\($0.typeName)=\($0.printed)" }.joined(separator: ", ")
            output += "%!(EXTRA \(extra))"
        }
        return output
    }

    /// `fmt.Sprint`: operands separated by a space when neither side is a string.
    static func sprint(_ arguments: [TemplateValue]) -> String {
        var output = ""
        for (index, argument) in arguments.enumerated() {
            if index > 0 {
                let previousIsString: Bool
                if case .string = arguments[index - 1] { previousIsString = true } else { previousIsString = false }
                let currentIsString: Bool
                if case .string = argument { currentIsString = true } else { currentIsString = false }
                if !previousIsString && !currentIsString { output += " " }
            }
            if case .null = argument {
                output += "<nil>"
            } else {
                output += argument.printed
            }
        }
        return output
    }

    struct Spec {
        enum Flag: Character {
            case plus = "+"
            case minus = "-"
            case space = " "
            case zero = "0"
            case sharp = "#"
        }
        var flags: Set<Flag> = []
        var width: Int?
        var precision: Int?
    }

    private static func readNumber(_ characters: [Character], _ index: inout Int) -> Int? {
        var value: Int?
        while index < characters.count, let digit = characters[index].wholeNumberValue, characters[index].isASCII {
            value = (value ?? 0) * 10 + digit
            index += 1
        }
        return value
    }

    private static func render(_ value: TemplateValue, verb: Character, spec: Spec) -> String {
        // fmt prints a nil interface as `<nil>`, under any verb but %v as `%!verb(<nil>)`.
        if case .null = value { return verb == "v" ? pad("<nil>", spec, numeric: false) : "%!\(verb)(<nil>)" }
        let bad = "%!\(verb)(\(value.typeName)=\(value.printed))"
        switch (verb, value) {
        case ("v", .float(let number)):
            return pad(signed(GoFloat.format(number, "g", precision: spec.precision ?? -1), spec), spec, numeric: number.isFinite)
        case ("v", .int(let number)), ("d", .int(let number)):
            return pad(signed(String(number), spec), spec, numeric: true)
        case ("v", _):
            return pad(value.printed, spec, numeric: false)
        case ("s", .string(let text)):
            return pad(spec.precision.map { String(text.prefix($0)) } ?? text, spec, numeric: false)
        case ("q", .string(let text)):
            return pad(GoQuote.quote(text), spec, numeric: false)
        case ("t", .bool(let flag)):
            return pad(flag ? "true" : "false", spec, numeric: false)
        case ("f", .float(let number)), ("F", .float(let number)):
            return pad(signed(GoFloat.format(number, "f", precision: spec.precision ?? 6), spec), spec, numeric: number.isFinite)
        case ("e", .float(let number)), ("E", .float(let number)):
            return pad(signed(GoFloat.format(number, verb, precision: spec.precision ?? 6), spec), spec, numeric: number.isFinite)
        case ("g", .float(let number)), ("G", .float(let number)):
            return pad(signed(GoFloat.format(number, verb, precision: spec.precision ?? -1), spec), spec, numeric: number.isFinite)
        case ("x", .int(let number)), ("X", .int(let number)):
            let digits = String(number.magnitude, radix: 16, uppercase: verb == "X")
            let prefix = spec.flags.contains(.sharp) ? (verb == "X" ? "0X" : "0x") : ""
            return pad(signed((number < 0 ? "-" : "") + prefix + digits, spec), spec, numeric: true)
        case ("x", .string(let text)), ("X", .string(let text)):
            let hex = text.utf8.map { byte -> String in
                let digits = String(byte, radix: 16, uppercase: verb == "X")
                return digits.count == 1 ? "0" + digits : digits
            }
            return pad(hex.joined(), spec, numeric: false)
        default:
            return bad
        }
    }

    /// Adds `+` or a space before non-negative numbers when the flags ask for it.
    private static func signed(_ text: String, _ spec: Spec) -> String {
        if text.hasPrefix("-") || text.hasPrefix("+") {
            if text == "+Inf" && !spec.flags.contains(.plus) {
                return spec.flags.contains(.space) ? " Inf" : "+Inf"
            }
            return text
        }
        if text == "NaN" {
            if spec.flags.contains(.plus) { return "+NaN" }
            if spec.flags.contains(.space) { return " NaN" }
            return text
        }
        if spec.flags.contains(.plus) { return "+" + text }
        if spec.flags.contains(.space) { return " " + text }
        return text
    }

    private static func pad(_ text: String, _ spec: Spec, numeric: Bool) -> String {
        guard let width = spec.width, text.count < width else { return text }
        let fill = width - text.count
        if spec.flags.contains(.minus) { return text + String(repeating: " ", count: fill) }
        if spec.flags.contains(.zero) && numeric {
            var body = Substring(text)
            var sign = ""
            if let first = body.first, first == "-" || first == "+" || first == " " {
                sign = String(first)
                body = body.dropFirst()
            }
            return sign + String(repeating: "0", count: fill) + body
        }
        return String(repeating: " ", count: fill) + text
    }
}
