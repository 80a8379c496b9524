/// Where a range function is evaluated: the evaluation time and the selector's window.
struct RangeContext {
    var time: Int64
    var rangeStart: Int64
    var rangeEnd: Int64
    var rangeMs: Int64
}

/// PromQL's functions of a range vector, one series at a time, with Prometheus' arithmetic in Prometheus'
/// order (so results match bit for bit).
enum RangeFunctions {
    /// The function's value for one series, or `nil` when it has no output (e.g. `rate` of one sample).
    static func apply(
        _ name: String,
        timestamps: ArraySlice<Int64>,
        values: ArraySlice<Double>,
        scalars: [Double],
        context: RangeContext
    ) throws(PromQLError) -> Double? {
        switch name {
        case "rate": return extrapolatedRate(timestamps, values, context, isCounter: true, isRate: true)
        case "increase": return extrapolatedRate(timestamps, values, context, isCounter: true, isRate: false)
        case "delta": return extrapolatedRate(timestamps, values, context, isCounter: false, isRate: false)
        case "irate": return instantValue(timestamps, values, isRate: true)
        case "idelta": return instantValue(timestamps, values, isRate: false)
        case "deriv":
            guard values.count >= 2, let first = timestamps.first else { return nil }
            return linearRegression(timestamps, values, interceptTime: first).slope
        case "predict_linear":
            guard values.count >= 2 else { return nil }
            let (slope, intercept) = linearRegression(timestamps, values, interceptTime: context.time)
            return slope * scalars[0] + intercept
        case "resets":
            var resets = 0
            var previous = values[values.startIndex]
            for value in values.dropFirst() {
                if value < previous { resets += 1 }
                previous = value
            }
            return Double(resets)
        case "changes":
            var changes = 0
            var previous = values[values.startIndex]
            for value in values.dropFirst() {
                if value != previous && !(value.isNaN && previous.isNaN) { changes += 1 }
                previous = value
            }
            return Double(changes)
        case "avg_over_time": return averageOverTime(values)
        case "count_over_time": return Double(values.count)
        case "last_over_time": return values.last
        case "present_over_time": return 1
        case "max_over_time":
            var maximum = values[values.startIndex]
            for value in values where value > maximum || maximum.isNaN { maximum = value }
            return maximum
        case "min_over_time":
            var minimum = values[values.startIndex]
            for value in values where value < minimum || minimum.isNaN { minimum = value }
            return minimum
        case "sum_over_time":
            var sum = KahanSum()
            for value in values { sum.add(value) }
            return sum.value
        case "quantile_over_time":
            return Quantile.of(scalars[0], Array(values))
        case "stddev_over_time":
            return varianceOverTime(values).squareRoot()
        case "stdvar_over_time":
            return varianceOverTime(values)
        case "holt_winters":
            return try holtWinters(values, smoothing: scalars[0], trend: scalars[1])
        default:
            throw .unsupported("function \(name) is not supported by the embedded evaluator")
        }
    }

    /// `rate`, `increase` and `delta`: the change over the samples (adding back counter resets), extrapolated
    /// towards the window edges by at most 1.1× the average sample interval (or half an interval), and
    /// for counters not below the point where the counter would have been zero.
    static func extrapolatedRate(
        _ timestamps: ArraySlice<Int64>,
        _ values: ArraySlice<Double>,
        _ context: RangeContext,
        isCounter: Bool,
        isRate: Bool
    ) -> Double? {
        guard values.count >= 2, let firstTime = timestamps.first, let lastTime = timestamps.last,
            let firstValue = values.first, let lastValue = values.last
        else { return nil }
        var result = lastValue - firstValue
        if isCounter {
            var previous = firstValue
            for value in values.dropFirst() {
                if value < previous { result += previous }
                previous = value
            }
        }
        var durationToStart = Double(firstTime - context.rangeStart) / 1000
        let durationToEnd = Double(context.rangeEnd - lastTime) / 1000
        let sampledInterval = Double(lastTime - firstTime) / 1000
        let averageInterval = sampledInterval / Double(values.count - 1)
        if isCounter && result > 0 && firstValue >= 0 {
            let durationToZero = sampledInterval * (firstValue / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        let threshold = averageInterval * 1.1
        var extrapolateTo = sampledInterval
        extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2
        extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2
        var factor = extrapolateTo / sampledInterval
        if isRate {
            // Go's Duration.Seconds(): whole seconds plus the fraction, rounded in that order.
            factor /= Double(context.rangeMs / 1000) + Double((context.rangeMs % 1000) * 1_000_000) / 1e9
        }
        return result * factor
    }

    /// `irate` and `idelta`: from the last two samples.
    static func instantValue(_ timestamps: ArraySlice<Int64>, _ values: ArraySlice<Double>, isRate: Bool) -> Double? {
        guard values.count >= 2 else { return nil }
        let last = values[values.endIndex - 1]
        let previous = values[values.endIndex - 2]
        var result = isRate && last < previous ? last : last - previous
        let interval = timestamps[timestamps.endIndex - 1] - timestamps[timestamps.endIndex - 2]
        if interval == 0 { return nil }
        if isRate { result /= Double(interval) / 1000 }
        return result
    }

    /// Least-squares slope and intercept at `interceptTime`, with Kahan-compensated sums.
    static func linearRegression(
        _ timestamps: ArraySlice<Int64>,
        _ values: ArraySlice<Double>,
        interceptTime: Int64
    ) -> (
        slope: Double, intercept: Double
    ) {
        var n = 0.0
        var sumX = KahanSum()
        var sumY = KahanSum()
        var sumXY = KahanSum()
        var sumX2 = KahanSum()
        let initialY = values[values.startIndex]
        var constantY = true
        for (offset, (stamp, value)) in zip(timestamps, values).enumerated() {
            if constantY && offset > 0 && value != initialY { constantY = false }
            n += 1
            let x = Double(stamp - interceptTime) / 1e3
            sumX.add(x)
            sumY.add(value)
            sumXY.add(x * value)
            sumX2.add(x * x)
        }
        if constantY {
            if initialY.isInfinite { return (.nan, .nan) }
            return (0, initialY)
        }
        let sx = sumX.sum + sumX.compensation
        let sy = sumY.sum + sumY.compensation
        let sxy = sumXY.sum + sumXY.compensation
        let sx2 = sumX2.sum + sumX2.compensation
        let covariance = sxy - sx * sy / n
        let variance = sx2 - sx * sx / n
        let slope = covariance / variance
        return (slope, sy / n - slope * sx / n)
    }

    private static func averageOverTime(_ values: ArraySlice<Double>) -> Double {
        var mean = 0.0
        var compensation = 0.0
        var count = 0.0
        for value in values {
            count += 1
            if mean.isInfinite {
                if value.isInfinite && (mean > 0) == (value > 0) { continue }
                if !value.isInfinite && !value.isNaN { continue }
            }
            (mean, compensation) = KahanSum.increment(value / count - mean / count, mean, compensation)
        }
        return mean.isInfinite ? mean : mean + compensation
    }

    private static func varianceOverTime(_ values: ArraySlice<Double>) -> Double {
        var count = 0.0
        var mean = 0.0
        var meanCompensation = 0.0
        var aux = 0.0
        var auxCompensation = 0.0
        for value in values {
            count += 1
            let delta = value - (mean + meanCompensation)
            (mean, meanCompensation) = KahanSum.increment(delta / count, mean, meanCompensation)
            (aux, auxCompensation) = KahanSum.increment(delta * (value - (mean + meanCompensation)), aux, auxCompensation)
        }
        return (aux + auxCompensation) / count
    }

    private static func holtWinters(
        _ values: ArraySlice<Double>,
        smoothing: Double,
        trend: Double
    ) throws(PromQLError)
        -> Double?
    {
        if smoothing <= 0 || smoothing >= 1 {
            throw .evaluation("invalid smoothing factor. Expected: 0 < sf < 1, got: \(String(format6: smoothing))")
        }
        if trend <= 0 || trend >= 1 {
            throw .evaluation("invalid trend factor. Expected: 0 < tf < 1, got: \(String(format6: trend))")
        }
        guard values.count >= 2 else { return nil }
        let samples = Array(values)
        var s0 = 0.0
        var s1 = samples[0]
        var b = samples[1] - samples[0]
        for index in 1..<samples.count {
            let x = smoothing * samples[index]
            if index - 1 != 0 {
                b = trend * (s1 - s0) + (1 - trend) * b
            }
            let y = (1 - smoothing) * (s1 + b)
            s0 = s1
            s1 = x + y
        }
        return s1
    }
}

/// Kahan–Neumaier compensated summation, as Prometheus' `kahanSumInc`.
struct KahanSum {
    var sum = 0.0
    var compensation = 0.0

    mutating func add(_ value: Double) {
        (sum, compensation) = KahanSum.increment(value, sum, compensation)
    }

    /// The sum, or the raw sum when it is infinite (where the compensation would make it NaN).
    var value: Double { sum.isInfinite ? sum : sum + compensation }

    static func increment(_ increment: Double, _ sum: Double, _ compensation: Double) -> (Double, Double) {
        let total = sum + increment
        var c = compensation
        if abs(sum) >= abs(increment) {
            c += (sum - total) + increment
        } else {
            c += (increment - total) + sum
        }
        return (total, c)
    }
}

extension String {
    /// Go's `%f` (six decimals).
    init(format6 value: Double) {
        self = GoFloat.format(value, "f", precision: 6)
    }
}
