import Foundation

/// Go's pure-Go trigonometric and hyperbolic functions (Cephes polynomials), so `sin()`, `cos()` and
/// friends match Prometheus bit for bit, huge arguments included (Go's Payne–Hanek reduction).
extension GoMath {
    private static let fourOverPi = 1.273_239_544_735_162_686_151_070_106_980_114_896_275_677_165_923_651_589_981_338_752
    private static let pi4a = 7.853_981_256_484_985_351_56e-1
    private static let pi4b = 3.774_894_707_930_798_176_68e-8
    private static let pi4c = 2.695_151_429_079_059_526_45e-15
    private static let reduceThreshold = Double(1 << 29)
    private static let sinCoefficients = [
        1.589_623_015_765_465_680_60e-10, -2.505_074_776_285_780_728_66e-8, 2.755_731_362_138_572_452_13e-6,
        -1.984_126_982_958_953_859_96e-4, 8.333_333_333_322_118_588_78e-3, -1.666_666_666_666_663_072_95e-1,
    ]
    private static let cosCoefficients = [
        -1.135_853_652_138_768_173_00e-11, 2.087_570_084_197_473_167_78e-9, -2.755_731_417_929_673_881_12e-7,
        2.480_158_728_885_170_453_48e-5, -1.388_888_888_887_305_641_16e-3, 4.166_666_666_666_659_292_18e-2,
    ]

    /// The octant and the argument reduced into [-π/4, π/4], as Go's `sin`, `cos` and `tan` compute them:
    /// Cody–Waite below 2²⁹, Payne–Hanek (``payneHanek(_:)``) above.
    private static func reduce(_ x: Double) -> (octant: UInt64, z: Double) {
        if x >= reduceThreshold { return payneHanek(x) }
        var j = UInt64(x * fourOverPi)
        var y = Double(j)
        if j & 1 == 1 {
            j += 1
            y += 1
        }
        return (j, ((x - y * pi4a) - y * pi4b) - y * pi4c)
    }

    private static func sinPolynomial(_ z: Double, _ zz: Double) -> Double {
        let c = sinCoefficients
        return z + z * zz * (((((c[0] * zz + c[1]) * zz + c[2]) * zz + c[3]) * zz + c[4]) * zz + c[5])
    }

    private static func cosPolynomial(_ zz: Double) -> Double {
        let c = cosCoefficients
        return 1.0 - 0.5 * zz + zz * zz * (((((c[0] * zz + c[1]) * zz + c[2]) * zz + c[3]) * zz + c[4]) * zz + c[5])
    }

    /// `math.Sin`.
    static func sin(_ input: Double) -> Double {
        if input == 0 || input.isNaN { return input }
        if input.isInfinite { return .nan }
        var sign = input < 0
        let x = Swift.abs(input)
        var (j, z) = reduce(x)
        j &= 7
        if j > 3 {
            sign.toggle()
            j -= 4
        }
        let zz = z * z
        let y = j == 1 || j == 2 ? cosPolynomial(zz) : sinPolynomial(z, zz)
        return sign ? -y : y
    }

    /// `math.Cos`.
    static func cos(_ input: Double) -> Double {
        if input.isNaN || input.isInfinite { return .nan }
        let x = Swift.abs(input)
        var sign = false
        var (j, z) = reduce(x)
        j &= 7
        if j > 3 {
            j -= 4
            sign.toggle()
        }
        if j > 1 { sign.toggle() }
        let zz = z * z
        let y = j == 1 || j == 2 ? sinPolynomial(z, zz) : cosPolynomial(zz)
        return sign ? -y : y
    }

    /// `math.Tan`.
    static func tan(_ input: Double) -> Double {
        if input == 0 || input.isNaN { return input }
        if input.isInfinite { return .nan }
        let x = Swift.abs(input)
        let (j, z) = reduce(x)
        let zz = z * z
        var y = z
        if zz > 1e-14 {
            let numerator = zz * ((-1.309_369_391_813_837_776_46e4 * zz + 1.153_516_648_385_874_161_40e6) * zz - 1.795_652_519_764_848_779_88e7)
            let denominator =
                (((zz + 1.368_129_634_706_929_546_78e4) * zz - 1.320_892_344_402_109_674_47e6) * zz + 2.500_838_018_233_579_158_39e7) * zz
                - 5.386_957_559_294_546_298_81e7
            y = z + z * (numerator / denominator)
        }
        if j & 2 == 2 { y = -1 / y }
        return input < 0 ? -y : y
    }

    /// `math.Asin`.
    static func asin(_ input: Double) -> Double {
        if input == 0 { return input }
        let x = Swift.abs(input)
        if x > 1 || x.isNaN { return .nan }
        let root = (1 - x * x).squareRoot()
        let y = x > 0.7 ? Double.pi / 2 - positiveAtan(root / x) : positiveAtan(x / root)
        return input < 0 ? -y : y
    }

    /// `math.Acos`.
    static func acos(_ x: Double) -> Double {
        Double.pi / 2 - asin(x)
    }

    /// `math.Sinh`.
    static func sinh(_ input: Double) -> Double {
        let x = Swift.abs(input)
        var y: Double
        if x > 21 {
            y = exp(x) * 0.5
        } else if x > 0.5 {
            let ex = exp(x)
            y = (ex - 1 / ex) * 0.5
        } else {
            let sq = x * x
            y =
                (((-0.263_056_321_339_749_706_281_948_9e+2 * sq - 0.289_421_135_598_956_380_728_466_036_6e+4) * sq
                    - 0.899_127_202_203_950_935_539_801_351_1e+5) * sq - 0.630_767_364_049_771_699_118_478_725_1e+6) * x
            y /=
                ((sq - 0.173_678_953_558_233_699_533_450_911e+3) * sq + 0.152_151_737_879_001_907_069_648_517_6e+5) * sq
                - 0.630_767_364_049_771_699_121_207_727_7e+6
        }
        return input < 0 ? -y : y
    }

    /// `math.Cosh`.
    static func cosh(_ input: Double) -> Double {
        let x = Swift.abs(input)
        if x > 21 { return exp(x) * 0.5 }
        let ex = exp(x)
        return (ex + 1 / ex) * 0.5
    }

    /// `math.Tanh`.
    static func tanh(_ x: Double) -> Double {
        let z = Swift.abs(x)
        if z > 0.5 * 8.802_969_193_111_305_429_598_8e+01 { return x < 0 ? -1 : 1 }
        if z >= 0.625 {
            let s = exp(2 * z)
            let y = 1 - 2 / (s + 1)
            return x < 0 ? -y : y
        }
        if x == 0 { return x }
        let s = x * x
        let numerator = (-9.643_991_794_250_522_386_28e-1 * s - 9.928_772_310_019_185_865_64e1) * s - 1.614_687_684_417_084_479_52e3
        let denominator = ((s + 1.128_116_784_916_329_314_02e2) * s + 2.235_488_390_601_004_485_83e3) * s + 4.844_063_053_251_254_860_48e3
        return x + x * s * numerator / denominator
    }
}
