import Foundation

/// Times as Go's `time.Time` marshals them in Ollama responses: RFC 3339 in UTC with up to nine
/// fractional digits, trailing zeros dropped (`2024-07-22T20:31:56.425394815Z`).
public enum OllamaTime {
    /// Formats `date` the way Ollama's `created_at` and `expires_at` look.
    public static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = floor(seconds)
        var nanos = Int(((seconds - whole) * 1e9).rounded())
        var wholeSeconds = Int(whole)
        if nanos >= 1_000_000_000 {
            nanos -= 1_000_000_000
            wholeSeconds += 1
        }
        var components = Calendar.utc.dateComponents(
            [.year, .month, .day, .hour, .minute, .second],
            from: Date(timeIntervalSince1970: Double(wholeSeconds))
        )
        components.nanosecond = nanos
        var text = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d",
            components.year ?? 0,
            components.month ?? 0,
            components.day ?? 0,
            components.hour ?? 0,
            components.minute ?? 0,
            components.second ?? 0
        )
        if nanos > 0 {
            var fraction = String(format: "%09d", nanos)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }
}

extension Calendar {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        return calendar
    }()
}
