import Testing

@testable import Alerting

/// Prometheus' `humanize*` functions: four significant digits (Go's `%.4g`) with SI or binary prefixes,
/// durations split into days, hours, minutes and seconds.
struct HumanizeTests {
    @Test func humanizeUsesSIPrefixesBothWays() {
        #expect(Humanize.humanize(0) == "0")
        #expect(Humanize.humanize(999) == "999")
        #expect(Humanize.humanize(1234) == "1.234k")
        #expect(Humanize.humanize(1_234_567) == "1.235M")
        #expect(Humanize.humanize(0.001234) == "1.234m")
        #expect(Humanize.humanize(0.000001234) == "1.234u")
        #expect(Humanize.humanize(-1500) == "-1.5k")
        // Past the last prefix the number just grows.
        #expect(Humanize.humanize(1e27) == "1000Y")
        #expect(Humanize.humanize(.nan) == "NaN")
        #expect(Humanize.humanize(.infinity) == "+Inf")
    }

    @Test func humanize1024UsesBinaryPrefixesAboveOne() {
        #expect(Humanize.humanize1024(1) == "1")
        #expect(Humanize.humanize1024(1023) == "1023")
        #expect(Humanize.humanize1024(1024) == "1ki")
        #expect(Humanize.humanize1024(1536) == "1.5ki")
        #expect(Humanize.humanize1024(1_073_741_824) == "1Gi")
        #expect(Humanize.humanize1024(-2048) == "-2ki")
        #expect(Humanize.humanize1024(0.5) == "0.5")
    }

    @Test func humanizeDurationSplitsIntoUnits() {
        #expect(Humanize.duration(0) == "0s")
        #expect(Humanize.duration(1.5) == "1.5s")
        #expect(Humanize.duration(59) == "59s")
        #expect(Humanize.duration(59.99) == "59.99s")
        #expect(Humanize.duration(60) == "1m 0s")
        #expect(Humanize.duration(3661) == "1h 1m 1s")
        #expect(Humanize.duration(90061) == "1d 1h 1m 1s")
        #expect(Humanize.duration(93784) == "1d 2h 3m 4s")
        #expect(Humanize.duration(-90) == "-1m 30s")
        #expect(Humanize.duration(-3700) == "-1h 1m 40s")
        // Below a second: milli-, micro-, nanoseconds.
        #expect(Humanize.duration(0.5) == "500ms")
        #expect(Humanize.duration(0.0025) == "2.5ms")
        #expect(Humanize.duration(0.0000015) == "1.5us")
    }

    @Test func humanizePercentageAndTimestamp() throws {
        #expect(Humanize.percentage(0.5) == "50%")
        #expect(Humanize.percentage(0.123456) == "12.35%")
        #expect(Humanize.percentage(1) == "100%")
        #expect(try Humanize.timestamp(0) == "1970-01-01 00:00:00 +0000 UTC")
        #expect(try Humanize.timestamp(1_700_000_000) == "2023-11-14 22:13:20 +0000 UTC")
        // Milliseconds are kept, as Prometheus goes through model.Time.
        #expect(try Humanize.timestamp(1_700_000_000.123456) == "2023-11-14 22:13:20.123 +0000 UTC")
        #expect(throws: TemplateError.self) { try Humanize.timestamp(1e300) }
    }
}
