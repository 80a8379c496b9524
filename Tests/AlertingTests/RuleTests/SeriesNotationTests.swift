import Testing

@testable import Alerting

/// promtool's input notation: series descriptions and value strings (`a+bxn`, `_`, `stale`).
struct SeriesNotationTests {
    private func numbers(_ text: String) throws -> [String] {
        try SeriesNotation.values(text).map { value in
            switch value {
            case .missing: return "_"
            case .number(let number): return StaleMarker.isStale(number) ? "stale" : GoFloat.print(number)
            }
        }
    }

    @Test func expandingNotationGivesNPlusOneValues() throws {
        #expect(try numbers("1 2 3") == ["1", "2", "3"])
        #expect(try numbers("0+10x3") == ["0", "10", "20", "30"])
        #expect(try numbers("10-2.5x2") == ["10", "7.5", "5"])
        #expect(try numbers("-1-1x2") == ["-1", "-2", "-3"])
        #expect(try numbers("5x2") == ["5", "5", "5"])
        // `0x10` is zero repeated, not hexadecimal.
        #expect(try numbers("0x2") == ["0", "0", "0"])
        #expect(try numbers("1e3 1.5e-3") == ["1000", "0.0015"])
        #expect(try numbers("Inf -Inf") == ["+Inf", "-Inf"])
        #expect(try numbers("NaN").count == 1)
    }

    @Test func gapsAndStaleMarkersTakeASlotEach() throws {
        #expect(try numbers("1 _ 3") == ["1", "_", "3"])
        #expect(try numbers("_x3 4") == ["_", "_", "_", "4"])
        #expect(try numbers("1 stale 2") == ["1", "stale", "2"])
        #expect(try numbers("  1\t2\n") == ["1", "2"])
    }

    @Test func badValuesAreRefusedByName() {
        #expect(throws: PromQLError.self) { try SeriesNotation.values("1 x 2") }
        do {
            _ = try SeriesNotation.values("1+x3")
            Issue.record("1+x3 parsed")
        } catch {
            #expect(error.description == "parse error: unexpected \"1+x3\" in series values, expected number or \"stale\"")
        }
    }

    @Test func seriesDescriptionsAreLabelSets() throws {
        #expect(try SeriesNotation.labels("up{job=\"api\",instance='a'}") == ["__name__": "up", "job": "api", "instance": "a"])
        #expect(try SeriesNotation.labels("{__name__=\"up\"}") == ["__name__": "up"])
        #expect(try SeriesNotation.labels("job:requests:rate5m") == ["__name__": "job:requests:rate5m"])
        #expect(try SeriesNotation.labels("sum") == ["__name__": "sum"])
        #expect(try SeriesNotation.labels("{}") == .empty)
        #expect(throws: PromQLError.self) { try SeriesNotation.labels("up{job=~\"a\"}") }
        #expect(throws: PromQLError.self) { try SeriesNotation.labels("up{job=\"a\"") }
        #expect(throws: PromQLError.self) { try SeriesNotation.labels("up 1") }
    }
}
