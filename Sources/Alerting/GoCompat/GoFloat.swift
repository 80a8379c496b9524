import Foundation

/// Go's float formatting (`strconv.FormatFloat` and `fmt`'s `%v`, `%g`, `%e`, `%f`), which Prometheus uses
/// for alert values, template output, `count_values` labels and API values; matched byte for byte.
enum GoFloat {
    /// `strconv.FormatFloat(value, format, precision, 64)` for the formats `e`, `E`, `f`, `g` and `G`;
    /// a precision of -1 asks for the fewest digits that read back as the same value.
    static func format(_ value: Double, _ format: Character, precision: Int = -1) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if precision >= 0 {
            let text = String(format: "%.\(precision)\(format)", value)
            return format == "E" || format == "G" ? text.uppercased() : text
        }
        let digits = ShortestDigits(value)
        switch format {
        case "e", "E":
            return digits.exponential(uppercase: format == "E")
        case "f":
            return digits.fixed()
        default:
            let exponent = digits.decimalPoint - 1
            if exponent < -4 || exponent >= 6 {
                return digits.exponential(uppercase: format == "G")
            }
            return digits.fixed()
        }
    }

    /// `fmt.Sprint(value)`: what Go's text/template prints for a float64.
    static func print(_ value: Double) -> String {
        format(value, "g")
    }
}

/// The shortest decimal digits that identify a double: value = 0.d₁d₂… × 10^decimalPoint.
struct ShortestDigits {
    var negative: Bool
    var digits: [UInt8]
    var decimalPoint: Int

    init(_ value: Double) {
        negative = value.sign == .minus
        // Swift's description prints the shortest round-tripping digits, as Go's shortest mode does.
        let text = value.magnitude.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var all: [UInt8] = []
        var pointIndex: Int?
        for character in mantissa {
            if character == "." {
                pointIndex = all.count
            } else if let digit = character.wholeNumberValue {
                all.append(UInt8(digit))
            }
        }
        var point = (pointIndex ?? all.count) + exponent
        while let first = all.first, first == 0, all.count > 1 {
            all.removeFirst()
            point -= 1
        }
        while let last = all.last, last == 0, all.count > 1 {
            all.removeLast()
        }
        if all == [0] {
            point = 1
        }
        digits = all
        decimalPoint = point
    }

    /// `%e` with the shortest digits.
    func exponential(uppercase: Bool) -> String {
        var result = negative ? "-" : ""
        result += String(digits[0])
        if digits.count > 1 {
            result += "." + digits[1...].map(String.init).joined()
        }
        let exponent = digits == [0] ? 0 : decimalPoint - 1
        result += uppercase ? "E" : "e"
        result += exponent < 0 ? "-" : "+"
        let magnitude = String(abs(exponent))
        result += magnitude.count < 2 ? "0" + magnitude : magnitude
        return result
    }

    /// `%f` with the shortest digits.
    func fixed() -> String {
        var result = negative ? "-" : ""
        let text = digits.map(String.init).joined()
        if digits == [0] {
            return result + "0"
        }
        if decimalPoint <= 0 {
            result += "0." + String(repeating: "0", count: -decimalPoint) + text
        } else if decimalPoint >= digits.count {
            result += text + String(repeating: "0", count: decimalPoint - digits.count)
        } else {
            let split = text.index(text.startIndex, offsetBy: decimalPoint)
            result += text[..<split] + "." + text[split...]
        }
        return result
    }
}
