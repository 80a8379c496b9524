import Foundation

/// The `Date` header value (RFC 9110 IMF-fixdate), cached for the second it names: formatting
/// once per second instead of once per answer.
struct HTTPDate {
    private var second: Int = -1
    private var text = ""

    /// The header value for the current second.
    mutating func now() -> String {
        value(at: Int(Date().timeIntervalSince1970))
    }

    /// The header value for `epochSeconds`, reusing the last one within the same second.
    mutating func value(at epochSeconds: Int) -> String {
        if epochSeconds != second {
            second = epochSeconds
            text = Self.format(epochSeconds: epochSeconds)
        }
        return text
    }

    private static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT` for the given Unix time (seconds, UTC).
    static func format(epochSeconds: Int) -> String {
        let dayNumber = Int((Double(epochSeconds) / 86_400).rounded(.down))
        let secondOfDay = epochSeconds - dayNumber * 86_400
        let (year, month, day) = civil(fromDays: dayNumber)
        let weekday = days[((dayNumber % 7) + 7) % 7]
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekday), \(two(day)) \(months[month - 1]) \(year) \(two(secondOfDay / 3600)):"
            + "\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) GMT"
    }

    /// Year, month (1...12) and day (1...31) of a day count since 1970-01-01 (Howard Hinnant's
    /// days-to-civil algorithm).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
