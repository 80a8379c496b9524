/// Durations written as Prometheus and Alertmanager write them: `30s`, `5m`, `4h`, `1h30m`,
/// `1d`, `500ms`; units largest first, each at most once; `0` alone is zero.
enum DurationText {
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("y", 365 * 24 * 3_600_000), ("w", 7 * 24 * 3_600_000), ("d", 24 * 3_600_000), ("h", 3_600_000),
        ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// The duration `text` means, or `nil` when it is not one.
    static func parse(_ text: String) -> Duration? {
        if text == "0" { return .zero }
        var rest = Substring(text)
        var total: Int64 = 0
        var nextUnit = 0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let number = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            // "ms" before "m": try the longer suffix first among the units still allowed.
            let candidates = units.enumerated().dropFirst(nextUnit).sorted { $0.element.suffix.count > $1.element.suffix.count }
            guard let (position, unit) = candidates.first(where: { rest.hasPrefix($0.element.suffix) }) else { return nil }
            rest = rest.dropFirst(unit.suffix.count)
            let (product, overflow) = number.multipliedReportingOverflow(by: unit.milliseconds)
            guard !overflow else { return nil }
            let (sum, sumOverflow) = total.addingReportingOverflow(product)
            guard !sumOverflow else { return nil }
            total = sum
            nextUnit = position + 1
        }
        return .milliseconds(total)
    }

    /// `1h30m`, `30s`, `250ms`, `0s`: the shortest Prometheus form of `duration`.
    static func format(_ duration: Duration) -> String {
        var milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        guard milliseconds > 0 else { return "0s" }
        var out = ""
        for unit in units where milliseconds >= unit.milliseconds {
            out += "\(milliseconds / unit.milliseconds)\(unit.suffix)"
            milliseconds %= unit.milliseconds
        }
        return out
    }
}
