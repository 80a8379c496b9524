/// Prometheus' `humanize*` template functions, byte for byte (Go's `%.4g` and friends).
enum Humanize {
    private static func g4(_ value: Double) -> String {
        GoFloat.format(value, "g", precision: 4)
    }

    /// `humanize`: SI prefixes (k, M, G … and m, u, n …), four significant digits.
    static func humanize(_ input: Double) -> String {
        var value = input
        if value == 0 || value.isNaN || value.isInfinite { return g4(value) }
        if abs(value) >= 1 {
            var prefix = ""
            for candidate in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
                if abs(value) < 1000 { break }
                prefix = candidate
                value /= 1000
            }
            return g4(value) + prefix
        }
        var prefix = ""
        for candidate in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(value) >= 1 { break }
            prefix = candidate
            value *= 1000
        }
        return g4(value) + prefix
    }

    /// `humanize1024`: binary prefixes (ki, Mi, Gi …).
    static func humanize1024(_ input: Double) -> String {
        var value = input
        if abs(value) <= 1 || value.isNaN || value.isInfinite { return g4(value) }
        var prefix = ""
        for candidate in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
            if abs(value) < 1024 { break }
            prefix = candidate
            value /= 1024
        }
        return g4(value) + prefix
    }

    /// `humanizeDuration`: `1d 2h 3m 4s` above a minute, `4.321s`, `880ms`, `1.5us` below.
    static func duration(_ input: Double) -> String {
        var value = input
        if value.isNaN || value.isInfinite { return g4(value) }
        if value == 0 { return g4(value) + "s" }
        if abs(value) >= 1 {
            var sign = ""
            if value < 0 {
                sign = "-"
                value = -value
            }
            let total = GoMath.int64(value)
            let seconds = total % 60
            let minutes = (total / 60) % 60
            let hours = (total / 60 / 60) % 24
            let days = total / 60 / 60 / 24
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + g4(value) + "s"
        }
        var prefix = ""
        for candidate in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(value) >= 1 { break }
            prefix = candidate
            value *= 1000
        }
        return g4(value) + prefix + "s"
    }

    /// `humanizePercentage`: the ratio times 100 with four significant digits and `%`.
    static func percentage(_ value: Double) -> String {
        g4(value * 100) + "%"
    }

    /// `humanizeTimestamp`: Unix seconds as Go prints a UTC `time.Time`.
    static func timestamp(_ value: Double) throws(TemplateError) -> String {
        if value.isNaN || value.isInfinite { return g4(value) }
        let nanoseconds = value * 1e9
        guard nanoseconds <= 9.223_372_036_854_775_807e18, nanoseconds >= -9.223_372_036_854_775_808e18 else {
            throw TemplateError("\(GoFloat.print(value)) cannot be represented as a nanoseconds timestamp since it overflows int64")
        }
        // Prometheus goes through model.Time, which keeps milliseconds (truncating toward zero).
        let milliseconds = GoMath.int64(nanoseconds) / 1_000_000
        return GoTime.format(nanoseconds: milliseconds * 1_000_000)
    }
}
