import PerfStats
import Testing

/// The U test agrees with scipy and keeps benchstat's sample-size facts.
struct MannWhitneyTests {
    @Test("auto method matches scipy.stats.mannwhitneyu", arguments: try Fixtures.mannWhitney())
    func autoMatchesScipy(_ fixture: Fixtures.MannWhitneyCase) throws {
        let result = try Stats.mannWhitneyU(fixture.x, fixture.y)
        #expect(result.u == fixture.u)
        #expect(result.method.rawValue == fixture.method)
        #expect(abs(result.pValue - fixture.pValue) <= 1e-9, "p \(result.pValue) vs scipy \(fixture.pValue)")
    }

    @Test("forced methods match scipy's method=exact and method=asymptotic", arguments: try Fixtures.mannWhitney())
    func forcedMethodsMatchScipy(_ fixture: Fixtures.MannWhitneyCase) throws {
        let exact = try Stats.mannWhitneyU(fixture.x, fixture.y, method: .exact)
        let asymptotic = try Stats.mannWhitneyU(fixture.x, fixture.y, method: .asymptotic)
        #expect(exact.method == .exact && asymptotic.method == .asymptotic)
        #expect(exact.u == fixture.u && asymptotic.u == fixture.u)
        #expect(abs(exact.pValue - fixture.exactPValue) <= 1e-9, "exact p \(exact.pValue) vs \(fixture.exactPValue)")
        #expect(
            abs(asymptotic.pValue - fixture.asymptoticPValue) <= 1e-9,
            "asymptotic p \(asymptotic.pValue) vs \(fixture.asymptoticPValue)"
        )
    }

    @Test func fixturesCoverBothMethodsAndManyCases() throws {
        let cases = try Fixtures.mannWhitney()
        #expect(cases.count >= 50)
        #expect(cases.contains { $0.method == "exact" } && cases.contains { $0.method == "asymptotic" })
    }

    @Test func scipyDocumentationExampleIsExact() throws {
        let result = try Stats.mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12])
        #expect(result == MannWhitneyResult(u: 17, pValue: 1.0 / 9.0, method: .exact))
    }

    @Test func benchstatFourVersusFourSeparatedSamples() throws {
        // benchstat's assumption_test: exact p for fully separated samples of four is 2/70.
        let result = try Stats.mannWhitneyU([1, 2, 3, 4], [5, 6, 7, 8])
        #expect(result.u == 0)
        #expect(result.pValue == 2.0 / 70.0)
        #expect(result.method == .exact)
    }

    @Test func uIsTheFirstSamplesStatistic() throws {
        let forward = try Stats.mannWhitneyU([5, 6, 7], [1, 2, 3, 4])
        let backward = try Stats.mannWhitneyU([1, 2, 3, 4], [5, 6, 7])
        #expect(forward.u == 12 && backward.u == 0)
        #expect(forward.pValue == backward.pValue)
    }

    @Test func allEqualValuesGivePValueOne() throws {
        let result = try Stats.mannWhitneyU([3, 3, 3], [3, 3, 3, 3])
        #expect(result == MannWhitneyResult(u: 6, pValue: 1, method: .asymptotic))
    }

    @Test func largeUnevenExactTestIsFastAndSymmetric() throws {
        let small = (0..<8).map { Double($0) * 1.5 + 0.25 }
        let large = (0..<5000).map(Double.init)
        let result = try Stats.mannWhitneyU(small, large)
        let swapped = try Stats.mannWhitneyU(large, small)
        #expect(result.method == .exact && swapped.method == .exact)
        #expect(result.pValue == swapped.pValue)
        #expect(result.u + swapped.u == 8 * 5000)
    }

    @Test func minimumPValueMatchesBenchstatTable() {
        // golang.org/x/perf/benchmath uTestMinP for equal sizes.
        let expected: [Int: Double] = [
            1: 1, 2: 1.0 / 3, 3: 0.1, 4: 0.02857142857142857, 5: 0.007936507936507936,
            6: 0.0021645021645021645, 7: 0.0005827505827505828,
            8: 0.0001554001554001554, 9: 4.113533525298231e-05,
        ]
        for (n, minimum) in expected {
            #expect(isClose(Stats.minimumPValue(n1: n, n2: n), minimum, relative: 1e-15), "n = \(n)")
        }
        #expect(Stats.minimumPValue(n1: 3, n2: 3) > 0.05)
        #expect(Stats.minimumPValue(n1: 4, n2: 4) < 0.05)
        #expect(Stats.minimumPValue(n1: 0, n2: 4) == 1)
    }

    @Test func minimumPValueIsReachedBySeparatedSamples() throws {
        let result = try Stats.mannWhitneyU([1, 2, 3], [4, 5, 6, 7, 8])
        #expect(result.pValue == Stats.minimumPValue(n1: 3, n2: 5))
    }

    @Test func emptyOrNonFiniteSamplesAreRejected() {
        #expect(throws: StatsError(.emptySamples, "y: no samples (need at least 1 finite value)")) {
            try Stats.mannWhitneyU([1], [])
        }
        #expect(throws: StatsError(.nonFiniteValue, "x[1] is nan (every sample must be a finite number)")) {
            try Stats.mannWhitneyU([1, .nan], [2])
        }
        #expect(throws: StatsError(.nonFiniteValue, "y[0] is inf (every sample must be a finite number)")) {
            try Stats.mannWhitneyU([1], [.infinity])
        }
    }
}
