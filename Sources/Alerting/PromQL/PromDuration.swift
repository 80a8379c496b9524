/// Prometheus durations (`model.Duration`): `1y2w3d4h5m6s7ms` with units in that order, each at most once,
/// a year being 365 days; `0` alone is allowed.
public enum PromDuration {
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("y", 365 * 24 * 3_600_000), ("w", 7 * 24 * 3_600_000), ("d", 24 * 3_600_000), ("h", 3_600_000),
        ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// Parses a duration into milliseconds, or `nil` when the text is not a valid duration.
    public static func milliseconds(_ text: String) -> Int64? {
        if text == "0" { return 0 }
        if text.isEmpty { return nil }
        let bytes = Array(text.utf8)
        var index = 0
        var total: Int64 = 0
        var nextUnit = 0
        while index < bytes.count {
            let digitsStart = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard index > digitsStart, let number = Int64(String(decoding: bytes[digitsStart..<index], as: UTF8.self))
            else { return nil }
            let unitStart = index
            while index < bytes.count, !isDigit(bytes[index]) { index += 1 }
            let unit = String(decoding: bytes[unitStart..<index], as: UTF8.self)
            guard let position = units[nextUnit...].firstIndex(where: { $0.suffix == unit }) else { return nil }
            let (product, overflow) = number.multipliedReportingOverflow(by: units[position].milliseconds)
            guard !overflow, product <= Int64.max / 1_000_000 else { return nil }
            total += product
            guard total <= Int64.max / 1_000_000 else { return nil }
            nextUnit = position + 1
        }
        return total
    }

    /// Formats milliseconds as Prometheus does: `90m` → `1h30m`, `0` → `0s`; years and weeks only when exact.
    public static func format(milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        var remaining = milliseconds
        var result = remaining < 0 ? "-" : ""
        remaining = abs(remaining)
        for (index, unit) in units.enumerated() {
            if index < 2 && remaining % unit.milliseconds != 0 { continue }
            let count = remaining / unit.milliseconds
            if count > 0 {
                result += "\(count)\(unit.suffix)"
                remaining -= count * unit.milliseconds
            }
        }
        return result
    }

    /// Milliseconds in a Swift `Duration` (truncating below a millisecond).
    static func milliseconds(of duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
