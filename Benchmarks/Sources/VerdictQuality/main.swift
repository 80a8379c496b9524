import Foundation
import PerfCompare
import PerfReport
import PerfStats

// How often `compare` cries wolf, and how often it catches a real regression, on synthetic
// benchmark samples: A/A pairs (no change) and 10% and 20% slowdowns, over four distribution
// shapes, three sample sizes and three noise levels. Our verdict (Mann-Whitney U at alpha 0.05
// AND a median change over 10%) against the original script's rule (the mean changed by more
// than 10%). Seeded: every run prints the same table.
//
//   swift run -c release VerdictQuality [trials]        (default 1000 trials per cell)

enum Shape: String, CaseIterable {
    case normal, lognormal, bimodal, outliers

    /// One sample with median near `center` and coefficient of variation near `cv`.
    func draw(center: Double, cv: Double, _ random: inout SplitMix64) -> Double {
        switch self {
        case .normal:
            return center * (1 + cv * random.nextGaussian())
        case .lognormal:
            let sigma = (log(1 + cv * cv)).squareRoot()
            return center * exp(sigma * random.nextGaussian())
        case .bimodal:
            // Two modes 15% apart (e.g. a cache hit path and a miss path), 70/30.
            let mode = random.nextUnit() < 0.7 ? center : center * 1.15
            return mode * (1 + cv * random.nextGaussian())
        case .outliers:
            let value = center * (1 + cv * random.nextGaussian())
            return random.nextUnit() < 0.05 ? value * 3 : value
        }
    }
}

func report(_ samples: [Double]) -> PerformanceReport {
    PerformanceReport(
        metadata: Metadata(createdAt: "2026-01-01T00:00:00Z"),
        benchmarks: [Benchmark(name: "B", metrics: [Metric(name: "time", unit: "ns", direction: .lowerIsBetter, samples: samples)])]
    )
}

let trials = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 1000
var random = SplitMix64(seed: 20_261_129)
print(
    "| shape | n | CV | false alarms, ours | false alarms, original | 10% caught, ours | 10% caught, original | 20% caught, ours | 20% caught, original |"
)
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
var worstFalseAlarmN10 = 0.0
var worstDetection20N10 = 1.0
for shape in Shape.allCases {
    for n in [5, 10, 30] {
        for cv in [0.01, 0.05, 0.10] {
            var ours = [0, 0, 0]
            var original = [0, 0, 0]
            for (index, shift) in [0.0, 0.10, 0.20].enumerated() {
                for _ in 0..<trials {
                    let base = (0..<n).map { _ in shape.draw(center: 1000, cv: cv, &random) }
                    let now = (0..<n).map { _ in shape.draw(center: 1000 * (1 + shift), cv: cv, &random) }
                    let comparison = try Comparer.compare(baseline: report(base), current: report(now))
                    if comparison.hasRegression { ours[index] += 1 }
                    let meanBase = base.reduce(0, +) / Double(n)
                    let meanNow = now.reduce(0, +) / Double(n)
                    if (meanNow - meanBase) / meanBase > 0.10 { original[index] += 1 }
                }
            }
            func rate(_ count: Int) -> String { String(format: "%.1f%%", Double(count) / Double(trials) * 100) }
            print(
                "| \(shape.rawValue) | \(n) | \(Int(cv * 100))% | \(rate(ours[0])) | \(rate(original[0])) | \(rate(ours[1])) | \(rate(original[1])) | \(rate(ours[2])) | \(rate(original[2])) |"
            )
            if n >= 10 {
                worstFalseAlarmN10 = max(worstFalseAlarmN10, Double(ours[0]) / Double(trials))
                worstDetection20N10 = min(worstDetection20N10, Double(ours[2]) / Double(trials))
            }
        }
    }
}
print("")
print(
    String(
        format: "n >= 10: worst false-alarm rate %.2f%% (goal <= 1%%), worst detection of 20%% regressions %.1f%% (goal >= 95%%); %d trials per cell",
        worstFalseAlarmN10 * 100,
        worstDetection20N10 * 100,
        trials
    )
)
