import Testing

@testable import Alerting

/// Arithmetic, comparisons and vector matching, on the example series of Prometheus' documentation
/// ("Vector matching": errors and requests per method).
struct BinaryOperatorTests {
    let fixture: SeriesFixture

    init() throws {
        fixture = try SeriesFixture([
            "errors{method=\"get\",code=\"500\"}": "24",
            "errors{method=\"get\",code=\"404\"}": "30",
            "errors{method=\"put\",code=\"501\"}": "3",
            "errors{method=\"post\",code=\"500\"}": "6",
            "errors{method=\"post\",code=\"404\"}": "21",
            "requests{method=\"get\"}": "600",
            "requests{method=\"del\"}": "34",
            "requests{method=\"post\"}": "120",
        ])
    }

    @Test func scalarArithmeticFollowsGoFloatRules() throws {
        #expect(try fixture.scalar("1 + 2 * 3", at: 0) == 7)
        #expect(try fixture.scalar("2 ^ 3 ^ 2", at: 0) == 512)
        #expect(try fixture.scalar("-2 ^ 2", at: 0) == -4)
        #expect(try fixture.scalar("7 % 3", at: 0) == 1)
        #expect(try fixture.scalar("-7 % 3", at: 0) == -1)
        #expect(try fixture.scalar("1 / 0", at: 0) == .infinity)
        #expect(try fixture.scalar("0 / 0", at: 0).isNaN)
        #expect(try fixture.scalar("2 > bool 1", at: 0) == 1)
        #expect(try fixture.scalar("2 < bool 1", at: 0) == 0)
        #expect(close(try fixture.scalar("1 atan2 1", at: 0), Double.pi / 4))
    }

    @Test func arithmeticWithAScalarKeepsEveryElementAndDropsTheName() throws {
        #expect(try fixture.vector("requests * 2", at: 0) == ["{method=\"get\"}": 1200, "{method=\"del\"}": 68, "{method=\"post\"}": 240])
        #expect(try fixture.vector("1000 - requests{method=\"get\"}", at: 0) == ["{method=\"get\"}": 400])
        #expect(try fixture.vector("-requests{method=\"del\"}", at: 0) == ["{method=\"del\"}": -34])
        #expect(try fixture.vector("requests{method=\"del\"} % 5", at: 0) == ["{method=\"del\"}": 4])
        #expect(try fixture.vector("requests{method=\"del\"} ^ 0.5", at: 0) == ["{method=\"del\"}": (34.0).squareRoot()])
    }

    @Test func comparisonsFilterAndKeepTheName() throws {
        #expect(
            try fixture.vector("errors > 20", at: 0) == [
                "errors{code=\"500\",method=\"get\"}": 24, "errors{code=\"404\",method=\"get\"}": 30, "errors{code=\"404\",method=\"post\"}": 21,
            ]
        )
        // A scalar on the left still yields the vector's values.
        #expect(try fixture.vector("100 < requests", at: 0) == ["requests{method=\"get\"}": 600, "requests{method=\"post\"}": 120])
        #expect(try fixture.vector("errors == 3", at: 0) == ["errors{code=\"501\",method=\"put\"}": 3])
        #expect(try fixture.vector("errors != 3", at: 0).count == 4)
    }

    @Test func boolTurnsAComparisonIntoZeroOrOneAndDropsTheName() throws {
        #expect(try fixture.vector("requests > bool 100", at: 0) == ["{method=\"get\"}": 1, "{method=\"del\"}": 0, "{method=\"post\"}": 1])
        #expect(
            try fixture.vector("requests >= bool on(method) sum by (method) (errors)", at: 0) == [
                "{method=\"get\"}": 1, "{method=\"post\"}": 1,
            ]
        )
    }

    @Test func oneToOneMatchingUsesAllLabelsButTheIgnoredOnes() throws {
        #expect(try fixture.vector("errors{code=\"500\"} / ignoring(code) requests", at: 0) == ["{method=\"get\"}": 0.04, "{method=\"post\"}": 0.05])
        #expect(try fixture.vector("errors{code=\"500\"} / on(method) requests", at: 0) == ["{method=\"get\"}": 0.04, "{method=\"post\"}": 0.05])
        // Without a modifier the code label keeps the sides apart: nothing matches.
        #expect(try fixture.vector("errors / requests", at: 0).isEmpty)
        // A vector comparison keeps the left value, restricted to the on() labels.
        #expect(try fixture.vector("requests > on(method) sum by (method) (errors)", at: 0) == ["{method=\"get\"}": 600, "{method=\"post\"}": 120])
    }

    @Test func groupLeftMatchesManyToOneAndKeepsTheManySidesLabels() throws {
        #expect(
            try fixture.vector("errors / ignoring(code) group_left requests", at: 0) == [
                "{code=\"500\",method=\"get\"}": 0.04, "{code=\"404\",method=\"get\"}": 0.05,
                "{code=\"500\",method=\"post\"}": 0.05, "{code=\"404\",method=\"post\"}": 0.175,
            ]
        )
        // group_right: the right side is the "many" side, and the left operand stays on the left.
        #expect(
            matches(
                try fixture.vector("requests / on(method) group_right errors", at: 0),
                [
                    "{code=\"500\",method=\"get\"}": 25, "{code=\"404\",method=\"get\"}": 20,
                    "{code=\"500\",method=\"post\"}": 20, "{code=\"404\",method=\"post\"}": 120.0 / 21,
                ]
            )
        )
    }

    @Test func groupLeftCopiesTheListedLabelsFromTheOneSide() throws {
        let info = try SeriesFixture([
            "up{instance=\"a\",job=\"node\"}": "1",
            "up{instance=\"b\",job=\"node\"}": "0",
            "node_info{instance=\"a\",version=\"1.2\",os=\"linux\"}": "1",
            "node_info{instance=\"b\",version=\"1.3\"}": "1",
        ])
        #expect(
            try info.vector("up * on(instance) group_left(version, os) node_info", at: 0) == [
                "{instance=\"a\",job=\"node\",os=\"linux\",version=\"1.2\"}": 1,
                "{instance=\"b\",job=\"node\",version=\"1.3\"}": 0,
            ]
        )
        // A comparison keeps the metric name of the many side.
        #expect(
            try info.vector("up == on(instance) group_left(version) node_info", at: 0) == [
                "up{instance=\"a\",job=\"node\",version=\"1.2\"}": 1
            ]
        )
    }

    @Test func ambiguousMatchesAreErrorsNamingTheFix() throws {
        #expect(
            fixture.failure("errors / on(method) requests", at: 0)
                == "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)"
        )
        let duplicate = try #require(fixture.failure("requests / on(method) group_left errors", at: 0))
        #expect(duplicate.hasPrefix("found duplicate series for the match group {method=\"get\"} on the right hand-side of the operation"))
        #expect(duplicate.hasSuffix("many-to-many matching not allowed: matching labels must be unique on one side"))
        // Two results with the same labels after dropping the name.
        let same = try SeriesFixture(["a{x=\"1\"}": "1", "b{x=\"1\"}": "2"])
        #expect(same.failure("{x=\"1\"} * 2", at: 0) == "vector cannot contain metrics with the same labelset")
    }

    @Test func setOperatorsMatchOnLabelSetsAndKeepTheLeftSide() throws {
        #expect(
            try fixture.vector("requests and on(method) errors", at: 0) == [
                "requests{method=\"get\"}": 600, "requests{method=\"post\"}": 120,
            ]
        )
        #expect(try fixture.vector("requests unless on(method) errors", at: 0) == ["requests{method=\"del\"}": 34])
        #expect(
            try fixture.vector("requests or on(method) errors", at: 0) == [
                "requests{method=\"get\"}": 600, "requests{method=\"del\"}": 34, "requests{method=\"post\"}": 120,
                "errors{code=\"501\",method=\"put\"}": 3,
            ]
        )
        // Without on(), all labels but the name must agree.
        #expect(try fixture.vector("requests and errors", at: 0).isEmpty)
        #expect(try fixture.vector("requests and ignoring(code) errors{code=\"500\"}", at: 0).count == 2)
        #expect(try fixture.vector("requests unless nothing", at: 0).count == 3)
        #expect(try fixture.vector("nothing or requests{method=\"del\"}", at: 0) == ["requests{method=\"del\"}": 34])
        // `or` keeps the left side's order, then the right side's unmatched series.
        #expect(
            try fixture.ordered("requests{method=\"post\"} or requests", at: 0) == [
                "requests{method=\"post\"} 120", "requests{method=\"del\"} 34", "requests{method=\"get\"} 600",
            ]
        )
    }
}
