import Foundation

/// Go's `math` functions where their special cases or rounding differ from C's, so results match
/// Prometheus (a Go program) bit for bit.
enum GoMath {
    /// `math.Max`: +Inf wins over NaN, NaN wins over numbers, +0 over -0.
    static func max(_ x: Double, _ y: Double) -> Double {
        if x == .infinity || y == .infinity { return .infinity }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0 && x == y { return x.sign == .minus ? y : x }
        return x > y ? x : y
    }

    /// `math.Min`: -Inf wins over NaN, NaN wins over numbers, -0 over +0.
    static func min(_ x: Double, _ y: Double) -> Double {
        if x == -.infinity || y == -.infinity { return -.infinity }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0 && x == y { return x.sign == .minus ? x : y }
        return x < y ? x : y
    }

    /// `math.Mod`: the remainder with the sign of `x` (C's `fmod`, which is exact).
    static func mod(_ x: Double, _ y: Double) -> Double {
        Foundation.fmod(x, y)
    }

    /// `math.Pow`: special cases first, then `x^frac` through `Exp(frac·Log(x))` and `x^int` by repeated
    /// squaring of the mantissa, exactly as Go does (so `1.1^3` rounds as in Prometheus).
    static func pow(_ x: Double, _ y: Double) -> Double {
        if y == 0 || x == 1 { return 1 }
        if y == 1 { return x }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0 {
            if y < 0 { return isOddInteger(y) ? Double(signOf: x, magnitudeOf: .infinity) : .infinity }
            if y > 0 { return isOddInteger(y) ? x : 0 }
        }
        if y.isInfinite {
            if x == -1 { return 1 }
            return (Swift.abs(x) < 1) == (y > 0) ? 0 : .infinity
        }
        if x.isInfinite {
            if x < 0 { return pow(1 / x, -y) }
            return y < 0 ? 0 : .infinity
        }
        if y == 0.5 { return x.squareRoot() }
        if y == -0.5 { return 1 / x.squareRoot() }
        var integral = Swift.abs(y).rounded(.towardZero)
        var fraction = Swift.abs(y) - integral
        if fraction != 0 && x < 0 { return .nan }
        if integral >= 9_223_372_036_854_775_808.0 {
            if x == -1 { return 1 }
            return (Swift.abs(x) < 1) == (y > 0) ? 0 : .infinity
        }
        var a1 = 1.0
        var ae = 0
        if fraction != 0 {
            if fraction > 0.5 {
                fraction -= 1
                integral += 1
            }
            a1 = exp(fraction * log(x))
        }
        var (x1, xe) = frexp(x)
        var bits = Int64(integral)
        while bits != 0 {
            if xe < -(1 << 12) || (1 << 12) < xe {
                ae += xe
                break
            }
            if bits & 1 == 1 {
                a1 *= x1
                ae += xe
            }
            x1 *= x1
            xe <<= 1
            if x1 < 0.5 {
                x1 += x1
                xe -= 1
            }
            bits >>= 1
        }
        if y < 0 {
            a1 = 1 / a1
            ae = -ae
        }
        return Foundation.scalbn(a1, ae)
    }

    private static func isOddInteger(_ value: Double) -> Bool {
        if Swift.abs(value) >= 9_007_199_254_740_992 { return false }
        let integral = value.rounded(.towardZero)
        return integral == value && Int64(integral) & 1 == 1
    }

    /// `math.Atan2` (pure Go, Cephes-based).
    static func atan2(_ y: Double, _ x: Double) -> Double {
        if y.isNaN || x.isNaN { return .nan }
        if y == 0 {
            if x >= 0 && x.sign == .plus { return Double(signOf: y, magnitudeOf: 0) }
            return Double(signOf: y, magnitudeOf: Double.pi)
        }
        if x == 0 { return Double(signOf: y, magnitudeOf: Double.pi / 2) }
        if x.isInfinite {
            if x > 0 { return y.isInfinite ? Double(signOf: y, magnitudeOf: Double.pi / 4) : Double(signOf: y, magnitudeOf: 0) }
            return y.isInfinite
                ? Double(signOf: y, magnitudeOf: 2.356_194_490_192_344_928_846_982_537_459_627_163) : Double(signOf: y, magnitudeOf: Double.pi)
        }
        if y.isInfinite { return Double(signOf: y, magnitudeOf: Double.pi / 2) }
        let q = atan(y / x)
        if x < 0 { return q <= 0 ? q + Double.pi : q - Double.pi }
        return q
    }

    /// `math.Atan` (pure Go, Cephes-based).
    static func atan(_ x: Double) -> Double {
        if x == 0 { return x }
        return x > 0 ? positiveAtan(x) : -positiveAtan(-x)
    }

    /// Go's `satan`: atan of a non-negative argument.
    static func positiveAtan(_ x: Double) -> Double {
        let morebits = 6.123_233_995_736_765_886_130e-17
        let tan3pio8 = 2.414_213_562_373_095_048_80
        if x <= 0.66 { return kernelAtan(x) }
        if x > tan3pio8 { return Double.pi / 2 - kernelAtan(1 / x) + morebits }
        return Double.pi / 4 + kernelAtan((x - 1) / (x + 1)) + 0.5 * morebits
    }

    private static func kernelAtan(_ x: Double) -> Double {
        let p0 = -8.750_608_600_031_904_122_785e-01
        let p1 = -1.615_753_718_733_365_076_637e+01
        let p2 = -7.500_855_792_314_704_667_340e+01
        let p3 = -1.228_866_684_490_136_173_410e+02
        let p4 = -6.485_021_904_942_025_371_773e+01
        let q0 = 2.485_846_490_142_306_297_962e+01
        let q1 = 1.650_270_098_316_988_542_046e+02
        let q2 = 4.328_810_604_912_902_668_951e+02
        let q3 = 4.853_903_996_359_136_964_868e+02
        let q4 = 1.945_506_571_482_613_964_425e+02
        var z = x * x
        let numerator = (((p0 * z + p1) * z + p2) * z + p3) * z + p4
        let denominator = ((((z + q0) * z + q1) * z + q2) * z + q3) * z + q4
        z = z * numerator / denominator
        return x * z + x
    }

    /// `math.Log` as Go computes it on amd64 (FreeBSD's `e_log.c` reduction and polynomial, no fused
    /// multiply-add), which can differ from C's `log` in the last bit.
    static func log(_ x: Double) -> Double {
        if x == 0 { return -.infinity }
        if x < 0 || x.isNaN { return .nan }
        if x.isInfinite { return x }
        let ln2Hi = 6.931_471_803_691_238_164_90e-01
        let ln2Lo = 1.908_214_929_270_587_700_02e-10
        let l1 = 6.666_666_666_666_735_130e-01
        let l2 = 3.999_999_999_940_941_908e-01
        let l3 = 2.857_142_874_366_239_149e-01
        let l4 = 2.222_219_843_214_978_396e-01
        let l5 = 1.818_357_216_161_805_012e-01
        let l6 = 1.531_383_769_920_937_332e-01
        let l7 = 1.479_819_860_511_658_591e-01
        // Mantissa in [0.5, 1) and exponent straight from the bits, as the assembly does.
        let bits = x.bitPattern
        var f1 = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FE0_0000_0000_0000)
        var k = Double(Int((bits >> 52) & 0x7FF) - 0x3FE)
        if f1 < 7.071_067_811_865_475_244_01e-01 {
            k -= 1
            f1 *= 2
        }
        let f = f1 - 1
        let s = f / (2 + f)
        let s2 = s * s
        let s4 = s2 * s2
        let t1 = s2 * (l1 + s4 * (l3 + s4 * (l5 + s4 * l7)))
        let t2 = s4 * (l2 + s4 * (l4 + s4 * l6))
        let r = t1 + t2
        let hfsq = 0.5 * f * f
        return k * ln2Hi - ((hfsq - (s * (hfsq + r) + k * ln2Lo)) - f)
    }

    /// `math.Exp` as Go computes it on amd64 with FMA (every x86-64 CPU since 2013): a Taylor series on the
    /// argument reduced by ln 2 and divided by 16, squared back four times.
    static func exp(_ x: Double) -> Double {
        if x.isNaN || x == .infinity { return x }
        if x == -.infinity { return 0 }
        if x > 7.097_827_128_933_84e+02 { return .infinity }
        let log2e = 1.442_695_040_888_963_407_359_924_681_001_892_0
        let ln2Upper = 0.693_147_180_559_662_956_511_601_805_686_950_683_593_75
        let ln2Lower = 0.282_352_905_630_315_771_225_881_748_175_013_436_025_525_412_068e-12
        // CVTSD2SL: round to nearest even, out-of-range values become Int32.min.
        let scaled = x * log2e
        let k: Int32 =
            scaled.isFinite && scaled > -2_147_483_648.5 && scaled < 2_147_483_647.5
            ? Int32(scaled.rounded(.toNearestOrEven)) : Int32.min
        let kd = Double(k)
        var r = x.addingProduct(-kd, ln2Upper)
        r = r.addingProduct(-kd, ln2Lower)
        r *= 0.0625
        var p = 2.480_158_730_158_730_158_7e-5
        for coefficient in [
            1.984_126_984_126_984_127_0e-4, 1.388_888_888_888_888_888_9e-3, 8.333_333_333_333_333_333_3e-3,
            4.166_666_666_666_666_666_7e-2, 1.666_666_666_666_666_666_7e-1, 0.5, 1.0,
        ] {
            p = coefficient.addingProduct(p, r)
        }
        r *= p
        for _ in 0..<3 {
            let next = r + 2
            r *= next
        }
        r = 1.0.addingProduct(r, r + 2)
        let biased = Int(k) + 0x3FF
        if biased <= 0 {
            if biased < -52 { return 0 }
            r *= Double(bitPattern: UInt64(biased + 0x3FE) << 52)
            return r * Double(bitPattern: UInt64(1) << 52)
        }
        if biased >= 0x7FF { return .infinity }
        return r * Double(bitPattern: UInt64(biased) << 52)
    }

    /// `math.Log10`, which Go computes as `Log(x) * (1/Ln10)` with the constant rounded once.
    static func log10(_ x: Double) -> Double {
        log(x) * 0.434_294_481_903_251_827_651_128_918_916_605_082_294_397_005_803_666_566_114_453_783
    }

    /// `math.Log2`: exact for powers of two, `Log(frac) * (1/Ln2) + exp` otherwise.
    static func log2(_ x: Double) -> Double {
        if x.isNaN || x == 0 || x.isInfinite { return log(x) }
        let (fraction, exponent) = frexp(x)
        if fraction == 0.5 { return Double(exponent - 1) }
        return log(fraction) * 1.442_695_040_888_963_407_359_924_681_001_892_137_426_645_954_152_985_934_135 + Double(exponent)
    }

    /// `math.Frexp`: a fraction in [½, 1) with the sign of `x`, and the power of two. Swift's `frexp`
    /// returns the fraction without the sign, which made `(-2) ^ 3` come out as 8 and `log2(-8)` as 3.
    static func frexp(_ x: Double) -> (Double, Int) {
        if x == 0 || x.isNaN || x.isInfinite { return (x, 0) }
        return (Double(signOf: x, magnitudeOf: x.significand / 2), Int(x.exponent + 1))
    }

    /// `int64(v)` on amd64: truncation toward zero, with NaN and out-of-range values giving `Int64.min`.
    static func int64(_ value: Double) -> Int64 {
        guard value.isFinite, value > -9_223_372_036_854_775_808.0, value < 9_223_372_036_854_775_808.0 else {
            return Int64.min
        }
        return Int64(value.rounded(.towardZero))
    }
}
