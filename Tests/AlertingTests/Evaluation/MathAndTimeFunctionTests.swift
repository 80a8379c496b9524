import Testing

@testable import Alerting

/// Element-wise math, clamping, rounding, sorting, `scalar`/`vector`, and the calendar functions in UTC.
struct MathAndTimeFunctionTests {
    let fixture: SeriesFixture

    init() throws {
        fixture = try SeriesFixture([
            "v{i=\"neg\"}": "-2.5",
            "v{i=\"small\"}": "1.2",
            "v{i=\"big\"}": "16",
        ])
    }

    @Test func mathFunctionsApplyToEachElementAndDropTheName() throws {
        #expect(try fixture.vector("abs(v)", at: 0) == ["{i=\"neg\"}": 2.5, "{i=\"small\"}": 1.2, "{i=\"big\"}": 16])
        #expect(try fixture.vector("ceil(v)", at: 0) == ["{i=\"neg\"}": -2, "{i=\"small\"}": 2, "{i=\"big\"}": 16])
        #expect(try fixture.vector("floor(v)", at: 0) == ["{i=\"neg\"}": -3, "{i=\"small\"}": 1, "{i=\"big\"}": 16])
        #expect(try fixture.vector("sgn(v)", at: 0) == ["{i=\"neg\"}": -1, "{i=\"small\"}": 1, "{i=\"big\"}": 1])
        #expect(try fixture.vector("sqrt(v{i=\"big\"})", at: 0) == ["{i=\"big\"}": 4])
        #expect(try fixture.vector("sqrt(v{i=\"neg\"})", at: 0)["{i=\"neg\"}"]?.isNaN == true)
        #expect(try fixture.vector("log2(v{i=\"big\"})", at: 0) == ["{i=\"big\"}": 4])
        // Go computes log10 through log2, so log10(1000) is 3 only to the last bit.
        #expect(close(try fixture.value("log10(v{i=\"big\"} * 62.5)", at: 0), 3))
        #expect(try fixture.vector("ln(v{i=\"big\"} / 16)", at: 0) == ["{i=\"big\"}": 0])
        #expect(try fixture.vector("exp(v{i=\"big\"} * 0)", at: 0) == ["{i=\"big\"}": 1])
        #expect(close(try fixture.value("deg(vector(pi()))", at: 0), 180))
        #expect(close(try fixture.value("rad(vector(180))", at: 0), Double.pi))
        #expect(close(try fixture.value("sin(vector(pi() / 2))", at: 0), 1))
        #expect(close(try fixture.value("cos(vector(0))", at: 0), 1))
    }

    @Test func roundGoesHalfUpToTheNearestMultiple() throws {
        #expect(try fixture.vector("round(v)", at: 0) == ["{i=\"neg\"}": -2, "{i=\"small\"}": 1, "{i=\"big\"}": 16])
        #expect(try fixture.value("round(vector(2.5))", at: 0) == 3)
        #expect(try fixture.value("round(vector(7), 5)", at: 0) == 5)
        #expect(try fixture.value("round(vector(8), 5)", at: 0) == 10)
        #expect(try fixture.value("round(vector(1.234), 0.1)", at: 0) == 1.2)
    }

    @Test func clampLimitsValuesAndAnInvertedRangeGivesNothing() throws {
        #expect(try fixture.vector("clamp(v, 0, 10)", at: 0) == ["{i=\"neg\"}": 0, "{i=\"small\"}": 1.2, "{i=\"big\"}": 10])
        #expect(try fixture.vector("clamp_max(v, 1)", at: 0) == ["{i=\"neg\"}": -2.5, "{i=\"small\"}": 1, "{i=\"big\"}": 1])
        #expect(try fixture.vector("clamp_min(v, 2)", at: 0) == ["{i=\"neg\"}": 2, "{i=\"small\"}": 2, "{i=\"big\"}": 16])
        #expect(try fixture.vector("clamp(v, 10, 0)", at: 0).isEmpty)
    }

    @Test func sortOrdersByValue() throws {
        #expect(try fixture.ordered("sort(v)", at: 0) == ["v{i=\"neg\"} -2.5", "v{i=\"small\"} 1.2", "v{i=\"big\"} 16"])
        #expect(try fixture.ordered("sort_desc(v)", at: 0) == ["v{i=\"big\"} 16", "v{i=\"small\"} 1.2", "v{i=\"neg\"} -2.5"])
    }

    @Test func scalarAndVectorConvertBetweenTypes() throws {
        #expect(try fixture.scalar("scalar(v{i=\"big\"})", at: 0) == 16)
        // More or fewer than one element gives NaN.
        #expect(try fixture.scalar("scalar(v)", at: 0).isNaN)
        #expect(try fixture.scalar("scalar(nothing)", at: 0).isNaN)
        #expect(try fixture.vector("vector(3)", at: 0) == ["{}": 3])
        #expect(try fixture.vector("v > scalar(v{i=\"small\"})", at: 0) == ["v{i=\"big\"}": 16])
    }

    @Test func timeIsTheEvaluationTimeInSeconds() throws {
        #expect(try fixture.scalar("time()", at: 1_234_500) == 1234.5)
        // 3661 s after the epoch is 01:01:01 on Thursday 1 January 1970.
        #expect(try fixture.vector("hour()", at: seconds(3661)) == ["{}": 1])
        #expect(try fixture.vector("minute()", at: seconds(3661)) == ["{}": 1])
        #expect(try fixture.vector("day_of_week()", at: seconds(3661)) == ["{}": 4])
        #expect(try fixture.vector("year()", at: 0) == ["{}": 1970])
    }

    @Test func calendarFunctionsReadUnixSecondsInUTC() throws {
        // 1700000000 is Tuesday 14 November 2023, 22:13:20 UTC: day 304 + 14 of a 365-day year.
        let at: (String) throws -> Double = { try self.fixture.value("\($0)(vector(1700000000))", at: 0) }
        #expect(try at("year") == 2023)
        #expect(try at("month") == 11)
        #expect(try at("day_of_month") == 14)
        #expect(try at("day_of_week") == 2)
        #expect(try at("day_of_year") == 318)
        #expect(try at("days_in_month") == 30)
        #expect(try at("hour") == 22)
        #expect(try at("minute") == 13)
        // 1709164800 is Thursday 29 February 2024, 00:00 UTC.
        let leap: (String) throws -> Double = { try self.fixture.value("\($0)(vector(1709164800))", at: 0) }
        #expect(try leap("days_in_month") == 29)
        #expect(try leap("day_of_year") == 60)
        #expect(try leap("day_of_week") == 4)
        #expect(try leap("month") == 2)
    }
}
