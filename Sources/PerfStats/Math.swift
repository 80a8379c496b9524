#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Numerical helpers shared by the tests; internal because callers want statistics, not special functions.
enum SpecialFunctions {
    /// The standard normal CDF Φ(a), computed like Cephes `ndtr` (which scipy uses), so p-values agree with scipy.
    static func normalCDF(_ a: Double) -> Double {
        let sqrtHalf = 0.70710678118654752440
        let x = a * sqrtHalf
        let z = abs(x)
        if z < sqrtHalf {
            return 0.5 + 0.5 * erf(x)
        }
        let y = 0.5 * erfc(z)
        return x > 0 ? 1 - y : y
    }

    /// The binomial coefficient C(n, k) as a `Double`; exact while the result stays below 2^53.
    ///
    /// Every partial product is itself a binomial coefficient, so no step rounds until the values
    /// pass 2^53; past that the relative error stays near machine epsilon.
    static func binomial(_ n: Int, _ k: Int) -> Double {
        guard k >= 0, k <= n else { return 0 }
        let k = min(k, n - k)
        var result = 1.0
        if k > 0 {
            for i in 1...k {
                result = result * Double(n - k + i) / Double(i)
            }
        }
        return result
    }
}
