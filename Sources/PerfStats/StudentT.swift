#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Welch's two-sample t-test, the significance test of ``Stats/changePoints(_:options:)``.
public struct WelchTTestResult: Sendable, Hashable, Codable {
    /// The t statistic, `(mean(y) − mean(x)) / √(s²x/nx + s²y/ny)`.
    public var t: Double
    /// Welch–Satterthwaite degrees of freedom.
    public var degreesOfFreedom: Double
    /// Two-sided p-value.
    public var pValue: Double
}

extension Stats {
    /// Welch's unequal-variance t-test of `x` against `y`, two-sided.
    ///
    /// Each side needs at least 2 values. When both variances are 0 the p-value is 1 for equal
    /// means and 0 for different ones (a deterministic step is certain).
    public static func welchTTest(_ x: [Double], _ y: [Double]) throws(StatsError) -> WelchTTestResult {
        guard x.count >= 2, y.count >= 2 else {
            throw StatsError(.invalidParameter, "the t-test needs at least 2 values per side (got \(x.count) and \(y.count))")
        }
        guard x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else {
            throw StatsError(.nonFiniteValue, "the t-test needs finite values")
        }
        let (mx, vx) = meanVariance(x)
        let (my, vy) = meanVariance(y)
        let nx = Double(x.count)
        let ny = Double(y.count)
        let a = vx / nx
        let b = vy / ny
        guard a + b > 0 else {
            return WelchTTestResult(
                t: mx == my ? 0 : (my > mx ? .infinity : -.infinity),
                degreesOfFreedom: nx + ny - 2,
                pValue: mx == my ? 1 : 0
            )
        }
        let t = (my - mx) / (a + b).squareRoot()
        let df = (a + b) * (a + b) / (a * a / (nx - 1) + b * b / (ny - 1))
        let p = SpecialFunctions.regularizedIncompleteBeta(df / 2, 0.5, df / (df + t * t))
        return WelchTTestResult(t: t, degreesOfFreedom: df, pValue: Swift.min(Swift.max(p, 0), 1))
    }

    /// Mean and sample variance (divides by n − 1).
    static func meanVariance(_ values: [Double]) -> (Double, Double) {
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (mean, n > 1 ? squares / (n - 1) : 0)
    }
}

extension SpecialFunctions {
    /// The regularized incomplete beta function I_x(a, b), by Lentz's continued fraction
    /// (Numerical Recipes §6.4). For the t distribution, `I_{ν/(ν+t²)}(ν/2, ½)` is the two-sided p-value.
    static func regularizedIncompleteBeta(_ a: Double, _ b: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1 - x)
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * betaContinuedFraction(a, b, x) / a
        }
        return 1 - exp(logFront) * betaContinuedFraction(b, a, 1 - x) / b
    }

    private static func betaContinuedFraction(_ a: Double, _ b: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + even * d
            if abs(d) < tiny { d = tiny }
            c = 1 + even / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + odd * d
            if abs(d) < tiny { d = tiny }
            c = 1 + odd / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }
}
