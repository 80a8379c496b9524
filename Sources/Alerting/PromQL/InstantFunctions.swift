/// PromQL's element-wise math functions.
enum MathFunctions {
    static func named(_ name: String) -> ((Double) -> Double)? {
        switch name {
        case "abs": return { Swift.abs($0) }
        case "ceil": return { $0.rounded(.up) }
        case "floor": return { $0.rounded(.down) }
        case "exp": return GoMath.exp
        case "sqrt": return { $0.squareRoot() }
        case "ln": return GoMath.log
        case "log2": return GoMath.log2
        case "log10": return GoMath.log10
        case "sin": return GoMath.sin
        case "cos": return GoMath.cos
        case "tan": return GoMath.tan
        case "asin": return GoMath.asin
        case "acos": return GoMath.acos
        case "atan": return GoMath.atan
        case "sinh": return GoMath.sinh
        case "cosh": return GoMath.cosh
        case "tanh": return GoMath.tanh
        case "asinh": return GoMath.asinh
        case "acosh": return GoMath.acosh
        case "atanh": return GoMath.atanh
        case "rad": return { $0 * Double.pi / 180 }
        case "deg": return { $0 * 180 / Double.pi }
        case "sgn": return { $0 < 0 ? -1 : $0 > 0 ? 1 : $0 }
        default: return nil
        }
    }
}

/// PromQL's calendar functions, on Unix seconds in UTC.
enum DateFunctions {
    static func named(_ name: String) -> ((Int64) -> Double)? {
        switch name {
        case "year": return { Double(CivilDate(unixSeconds: $0).year) }
        case "month": return { Double(CivilDate(unixSeconds: $0).month) }
        case "day_of_month": return { Double(CivilDate(unixSeconds: $0).day) }
        case "day_of_year": return { Double(CivilDate(unixSeconds: $0).dayOfYear) }
        case "day_of_week": return { Double(CivilDate(unixSeconds: $0).weekday) }
        case "days_in_month": return { Double(CivilDate(unixSeconds: $0).daysInMonth) }
        case "hour": return { Double(CivilDate.floorMod($0, 86_400) / 3600) }
        case "minute": return { Double(CivilDate.floorMod($0, 3600) / 60) }
        default: return nil
        }
    }
}

/// A proleptic Gregorian date in UTC, from Unix seconds (days-from-civil arithmetic, no Foundation calendar).
struct CivilDate {
    var year: Int64
    var month: Int64
    var day: Int64
    var daysSinceEpoch: Int64

    init(unixSeconds: Int64) {
        let days = CivilDate.floorDiv(unixSeconds, 86_400)
        daysSinceEpoch = days
        let shifted = days + 719_468
        let era = CivilDate.floorDiv(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    var isLeapYear: Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    var daysInMonth: Int64 {
        switch month {
        case 2: return isLeapYear ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    var dayOfYear: Int64 {
        let cumulative: [Int64] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        return cumulative[Int(month - 1)] + day + (isLeapYear && month > 2 ? 1 : 0)
    }

    /// 0 is Sunday; 1970-01-01 was a Thursday.
    var weekday: Int64 { CivilDate.floorMod(daysSinceEpoch + 4, 7) }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
        a - floorDiv(a, b) * b
    }
}
