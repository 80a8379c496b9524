/// Go's pure-Go `Asinh`, `Acosh`, `Atanh` and the `Log1p` they are built on (FreeBSD's msun), so
/// `asinh()` and friends match Prometheus bit for bit; C's versions differ in the last bit for some
/// arguments (`asinh(93)`).
extension GoMath {
    private static let ln2 = 6.931_471_805_599_452_862_27e-01
    private static let nearZero = 1.0 / Double(1 << 28)
    private static let large = Double(1 << 28)

    /// `math.Asinh`.
    static func asinh(_ input: Double) -> Double {
        if input.isNaN || input.isInfinite { return input }
        // As Go: only a negative input is flipped, so -0 comes back as -0.
        let x = input < 0 ? -input : input
        let result: Double
        if x > large {
            result = log(x) + ln2
        } else if x > 2 {
            result = log(2 * x + 1 / ((x * x + 1).squareRoot() + x))
        } else if x < nearZero {
            result = x
        } else {
            result = log1p(x + x * x / (1 + (1 + x * x).squareRoot()))
        }
        return input < 0 ? -result : result
    }

    /// `math.Acosh`.
    static func acosh(_ x: Double) -> Double {
        if x < 1 || x.isNaN { return .nan }
        if x == 1 { return 0 }
        if x >= large { return log(x) + ln2 }
        if x > 2 { return log(2 * x - 1 / (x + (x * x - 1).squareRoot())) }
        let t = x - 1
        return log1p(t + (2 * t + t * t).squareRoot())
    }

    /// `math.Atanh`.
    static func atanh(_ input: Double) -> Double {
        if input < -1 || input > 1 || input.isNaN { return .nan }
        if input == 1 { return .infinity }
        if input == -1 { return -.infinity }
        let x = input < 0 ? -input : input
        let result: Double
        if x < nearZero {
            result = x
        } else if x < 0.5 {
            let doubled = x + x
            result = 0.5 * log1p(doubled + doubled * x / (1 - x))
        } else {
            result = 0.5 * log1p((x + x) / (1 - x))
        }
        return input < 0 ? -result : result
    }

    /// `math.Log1p` (pure Go on amd64).
    static func log1p(_ x: Double) -> Double {
        let sqrt2M1 = 4.142_135_623_730_950_488_017e-01
        let sqrt2HalfM1 = -2.928_932_188_134_524_755_992e-01
        let small = 1.0 / Double(1 << 29)
        let tiny = 1.0 / Double(1 << 54)
        let two53 = Double(1 << 53)
        let ln2Hi = 6.931_471_803_691_238_164_90e-01
        let ln2Lo = 1.908_214_929_270_587_700_02e-10
        let lp: [Double] = [
            6.666_666_666_666_735_130e-01, 3.999_999_999_940_941_908e-01, 2.857_142_874_366_239_149e-01,
            2.222_219_843_214_978_396e-01, 1.818_357_216_161_805_012e-01, 1.531_383_769_920_937_332e-01,
            1.479_819_860_511_658_591e-01,
        ]
        if x < -1 || x.isNaN { return .nan }
        if x == -1 { return -.infinity }
        if x == .infinity { return .infinity }
        let absX = Swift.abs(x)
        var f = 0.0
        var iu: UInt64 = 0
        var k = 1
        if absX < sqrt2M1 {
            if absX < small {
                if absX < tiny { return x }
                return x - x * x * 0.5
            }
            if x > sqrt2HalfM1 {
                k = 0
                f = x
                iu = 1
            }
        }
        var c = 0.0
        if k != 0 {
            var u: Double
            if absX < two53 {
                u = 1.0 + x
                iu = u.bitPattern
                k = Int(iu >> 52) - 1023
                c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0)
                c /= u
            } else {
                u = x
                iu = u.bitPattern
                k = Int(iu >> 52) - 1023
                c = 0
            }
            iu &= 0x000F_FFFF_FFFF_FFFF
            if iu < 0x0006_A09E_667F_3BCD {
                u = Double(bitPattern: iu | 0x3FF0_0000_0000_0000)
            } else {
                k += 1
                u = Double(bitPattern: iu | 0x3FE0_0000_0000_0000)
                iu = (0x0010_0000_0000_0000 - iu) >> 2
            }
            f = u - 1.0
        }
        let hfsq = 0.5 * f * f
        let kd = Double(k)
        if iu == 0 {
            if f == 0 {
                if k == 0 { return 0 }
                c += kd * ln2Lo
                return kd * ln2Hi + c
            }
            let r = hfsq * (1.0 - 0.666_666_666_666_666_66 * f)
            if k == 0 { return f - r }
            return kd * ln2Hi - ((r - (kd * ln2Lo + c)) - f)
        }
        let s = f / (2.0 + f)
        let z = s * s
        let r = z * (lp[0] + z * (lp[1] + z * (lp[2] + z * (lp[3] + z * (lp[4] + z * (lp[5] + z * lp[6]))))))
        if k == 0 { return f - (hfsq - s * (hfsq + r)) }
        return kd * ln2Hi - ((hfsq - (s * (hfsq + r) + (kd * ln2Lo + c))) - f)
    }
}
