import Foundation
import PerfAnalysis
import PerfReport

/// Maps data values to pixels, linearly or by decades; chooses its own readable ticks.
struct Scale {
    let low: Double
    let high: Double
    let start: Double
    let end: Double
    let isLog: Bool

    /// A scale over `values` (padded a little, widened to nice tick bounds); logarithmic when the
    /// positive values span `logSpan` or more (a factor of 100 by default: two decades).
    static func fitting(
        _ values: [Double],
        start: Double,
        end: Double,
        includeZero: Bool = false,
        logSpan: Double = 100,
        allowLog: Bool = true
    ) -> Scale {
        let finite = values.filter(\.isFinite)
        guard var lo = finite.min(), var hi = finite.max() else { return Scale(low: 0, high: 1, start: start, end: end, isLog: false) }
        if allowLog, lo > 0, hi / lo >= logSpan {
            return Scale(low: pow(10, floor(log10(lo))), high: pow(10, ceil(log10(hi))), start: start, end: end, isLog: true)
        }
        if includeZero {
            lo = min(lo, 0)
            hi = max(hi, 0)
        }
        if lo == hi {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        } else if !includeZero {
            let pad = (hi - lo) * 0.05
            lo -= pad
            hi += pad
        }
        let step = niceStep((hi - lo) / 5)
        var low = floor(lo / step) * step
        // Padding never takes a scale of non-negative values (latencies, bytes) below zero.
        if let minimum = finite.min(), minimum >= 0, low < 0 { low = 0 }
        return Scale(low: low, high: ceil(hi / step) * step, start: start, end: end, isLog: false)
    }

    /// Pixel position of `value` (clamped to the scale's ends).
    func callAsFunction(_ value: Double) -> Double {
        let fraction: Double
        if isLog {
            let v = max(value, low)
            fraction = (log10(v) - log10(low)) / (log10(high) - log10(low))
        } else {
            fraction = (value - low) / (high - low)
        }
        return start + (end - start) * min(max(fraction.isFinite ? fraction : 0, 0), 1)
    }

    /// Tick values: 1-2-5 steps on linear scales, powers of ten on log scales (with 2 and 5 between
    /// when there are few decades).
    func ticks(target: Int = 6) -> [Double] {
        if isLog {
            let first = Int(floor(log10(low)))
            let last = Int(ceil(log10(high)))
            let decades = last - first
            var out: [Double] = []
            let stride = max(1, decades / max(target, 1))
            for e in Swift.stride(from: first, through: last, by: stride) {
                let base = pow(10, Double(e))
                out.append(base)
                if decades <= 2, e < last { out += [2 * base, 5 * base] }
            }
            return out.filter { $0 >= low * 0.999 && $0 <= high * 1.001 }
        }
        // The first step that gives at least three ticks: a scale never shows one lonely tick.
        for divisions in [target - 1, 2 * (target - 1), 4 * (target - 1)] {
            let step = Self.niceStep((high - low) / Double(max(divisions, 1)))
            var out: [Double] = []
            var v = ceil(low / step - 1e-9) * step
            while v <= high + step * 1e-9 {
                out.append(abs(v) < step * 1e-9 ? 0 : v)
                v += step
            }
            if out.count >= 3 || divisions == 4 * (target - 1) { return out }
        }
        return []
    }

    /// The nearest 1, 2 or 5 × 10ⁿ at or above `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, floor(log10(raw)))
        let f = raw / magnitude
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude
    }
}

/// Tick labels: as few digits as the step needs, thousands as k and M.
enum TickFormat {
    static func label(_ value: Double, ticks: [Double]) -> String {
        if value == 0 { return "0" }
        // Ticks of a log scale (each at least twice the one before) get their own shortest form: 0.01, 0.1, 1, 10.
        if ticks.count >= 2, ticks.allSatisfy({ $0 > 0 }), zip(ticks, ticks.dropFirst()).allSatisfy({ $1 / $0 >= 2 - 1e-9 }) {
            let magnitude = abs(value)
            if magnitude >= 1_000_000 { return String(format: "%g", value / 1_000_000) + "M" }
            if magnitude >= 10_000 { return String(format: "%g", value / 1000) + "k" }
            return String(format: "%g", value)
        }
        let magnitude = abs(value)
        if magnitude >= 1_000_000 { return trim(value / 1_000_000, ticks: ticks.map { $0 / 1_000_000 }) + "M" }
        if magnitude >= 10_000 { return trim(value / 1000, ticks: ticks.map { $0 / 1000 }) + "k" }
        return trim(value, ticks: ticks)
    }

    private static func trim(_ value: Double, ticks: [Double]) -> String {
        // The fewest decimals that write every tick exactly, so neighbouring ticks never read the same.
        var decimals = 0
        while decimals < 6 {
            let scale = pow(10, Double(decimals))
            if ticks.allSatisfy({ abs($0 * scale - ($0 * scale).rounded()) < 1e-6 * max(abs($0 * scale), 1) }) { break }
            decimals += 1
        }
        return String(format: "%.\(decimals)f", value)
    }
}

/// Picks a display unit so tick labels stay short: ns → µs → ms → s, B → KiB → MiB → GiB.
enum DisplayUnit {
    /// The factor to divide values by and the unit to show.
    static func choose(_ unit: String, maxValue: Double) -> (divisor: Double, unit: String) {
        let times: [(String, Double)] = [("ns", 1e-9), ("µs", 1e-6), ("ms", 1e-3), ("s", 1)]
        if let seconds = MetricRoles.secondsPerUnit(unit) {
            let maxSeconds = maxValue * seconds
            let pick = times.last { maxSeconds >= $0.1 } ?? times[0]
            return (pick.1 / seconds, pick.0)
        }
        if unit == "B" {
            let sizes: [(String, Double)] = [("B", 1), ("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824)]
            let pick = sizes.last { maxValue >= $0.1 } ?? sizes[0]
            return (pick.1, pick.0)
        }
        return (1, unit)
    }
}
