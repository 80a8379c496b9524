import Foundation
import Testing

/// Reference values produced by `Fixtures/make_fixtures.py` with scipy and numpy.
enum Fixtures {
    struct File<Case: Decodable & Sendable>: Decodable, Sendable {
        var scipy: String
        var numpy: String
        var cases: [Case]
    }

    /// One `scipy.stats.mannwhitneyu(x, y, alternative="two-sided")` call and its results.
    struct MannWhitneyCase: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var x: [Double]
        var y: [Double]
        var u: Double
        var pValue: Double
        var method: String
        var exactPValue: Double
        var asymptoticPValue: Double
        var testDescription: String { name }
    }

    /// numpy's statistics of one array.
    struct PercentileCase: Decodable, Sendable, CustomTestStringConvertible {
        struct Point: Decodable, Sendable {
            var p: Double
            var value: Double
        }

        var name: String
        var samples: [Double]
        var mean: Double
        var median: Double
        var standardDeviation: Double
        var min: Double
        var max: Double
        var mad: Double
        var p50: Double
        var p90: Double
        var p95: Double
        var p99: Double
        var percentiles: [Point]
        var testDescription: String { name }
    }

    /// The order statistics bounding the median interval for `n` samples at `confidence`.
    struct MedianIntervalCase: Decodable, Sendable, CustomTestStringConvertible {
        var n: Int
        var confidence: Double
        var lowOrder: Int
        var highOrder: Int
        var achievedConfidence: Double
        var testDescription: String { "n=\(n) confidence=\(confidence)" }
    }

    static func load<Case>(_ name: String, as _: Case.Type) throws -> File<Case> {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/\(name).json"])
        }
        return try JSONDecoder().decode(File<Case>.self, from: Data(contentsOf: url))
    }

    static func mannWhitney() throws -> [MannWhitneyCase] { try load("mannwhitney", as: MannWhitneyCase.self).cases }
    static func percentiles() throws -> [PercentileCase] { try load("percentiles", as: PercentileCase.self).cases }
    static func medianIntervals() throws -> [MedianIntervalCase] {
        try load("medianci", as: MedianIntervalCase.self).cases
    }
}

/// Whether `actual` is within `relative` of `expected`, relative to the larger magnitude (exact match for zeros).
func isClose(_ actual: Double, _ expected: Double, relative: Double) -> Bool {
    actual == expected || abs(actual - expected) <= relative * Swift.max(abs(actual), abs(expected))
}
