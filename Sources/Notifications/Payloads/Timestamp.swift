import Foundation

/// Times written for the wire, in UTC, without locale-dependent formatters.
enum Timestamp {
    /// Go's zero time as JSON writes it: Alertmanager's `endsAt` of a firing alert.
    static let goZero = "0001-01-01T00:00:00Z"

    /// RFC 3339 with milliseconds when there are any: `2026-03-01T12:00:00.250Z`.
    static func rfc3339(_ date: Date) -> String {
        let parts = components(date)
        var text = "\(pad(parts.year, 4))-\(pad(parts.month))-\(pad(parts.day))T\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second))"
        if parts.millisecond > 0 { text += "." + pad(parts.millisecond, 3) }
        return text + "Z"
    }

    /// RFC 5322's date, for the `Date:` header: `Sun, 01 Mar 2026 12:00:00 +0000`.
    static func rfc5322(_ date: Date) -> String {
        let parts = components(date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(weekdays[parts.weekday]), \(pad(parts.day)) \(months[parts.month - 1]) \(parts.year) "
            + "\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second)) +0000"
    }

    /// Reads RFC 3339 as written by ``rfc3339(_:)`` and Go (fractions of any length, `Z` or an
    /// offset); `nil` for anything else.
    static func parse(_ text: String) -> Date? {
        var style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        if let date = try? style.parse(text) { return date }
        style = Date.ISO8601FormatStyle()
        return try? style.parse(text)
    }

    private struct Parts {
        var year: Int
        var month: Int
        var day: Int
        var hour: Int
        var minute: Int
        var second: Int
        var millisecond: Int
        /// 0 is Sunday.
        var weekday: Int
    }

    /// The civil date and time in UTC (Howard Hinnant's days-from-civil inverse).
    private static func components(_ date: Date) -> Parts {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var days = totalMilliseconds >= 0 ? totalMilliseconds / 86_400_000 : (totalMilliseconds - 86_399_999) / 86_400_000
        let dayMilliseconds = totalMilliseconds - days * 86_400_000
        let weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4)
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return Parts(
            year: Int(year),
            month: Int(month),
            day: Int(day),
            hour: Int(dayMilliseconds / 3_600_000),
            minute: Int(dayMilliseconds / 60000 % 60),
            second: Int(dayMilliseconds / 1000 % 60),
            millisecond: Int(dayMilliseconds % 1000),
            weekday: weekday
        )
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
