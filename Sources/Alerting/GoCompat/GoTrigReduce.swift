/// Go's `trigReduce`: Payne–Hanek reduction of arguments of 2²⁹ and more by π/4, with 4/π to 1217 bits,
/// so `sin(1e9)` matches Prometheus in the last bit as the C library's reduction does not.
extension GoMath {
    /// The binary digits of 4/π: 4/π = Σ mPi4[i]·2^(-64·i).
    private static let mPi4: [UInt64] = [
        0x0000_0000_0000_0001, 0x45F3_06DC_9C88_2A53, 0xF84E_AFA3_EA69_BB81, 0xB6C5_2B32_7887_2083,
        0xFCA2_C757_BD77_8AC3, 0x6E48_DC74_849B_A5C0, 0x0C92_5DD4_13A3_2439, 0xFC3B_D639_6253_4E7D,
        0xD104_6BEA_5D76_8909, 0xD338_E04D_68BE_FC82, 0x7323_AC73_06A6_73E9, 0x3908_BF17_7BF2_5076,
        0x3FF1_2FFF_BC0B_301F, 0xDE5E_2316_B414_DA3E, 0xDA6C_FD9E_4F96_136E, 0x9E8C_7ECD_3CBF_D45A,
        0xEA4F_758F_D7CB_E2F6, 0x7A0E_73EF_14A5_25D4, 0xD7F6_BF62_3F1A_BA10, 0xAC06_608D_F8F6_D757,
    ]

    /// The octant (mod 8) and the remainder times π/4 of a positive, finite `x`.
    static func payneHanek(_ x: Double) -> (octant: UInt64, z: Double) {
        let pi4 = Double.pi / 4
        if x < pi4 { return (0, x) }
        let shift: UInt64 = 52
        let bias = 1023
        var ix = x.bitPattern
        let exponent = Int((ix >> shift) & 0x7FF) - bias - Int(shift)
        ix &= ~(UInt64(0x7FF) << shift)
        ix |= 1 << shift
        // Three 64-bit digits of 4/π, so the product's leading digit has the exponent -61.
        let digit = (exponent + 61) / 64
        let bitShift = UInt64((exponent + 61) % 64)
        // Swift's `>>` by 64 gives 0, as Go's does.
        let z0 = (mPi4[digit] << bitShift) | (mPi4[digit + 1] >> (64 - bitShift))
        let z1 = (mPi4[digit + 1] << bitShift) | (mPi4[digit + 2] >> (64 - bitShift))
        let z2 = (mPi4[digit + 2] << bitShift) | (mPi4[digit + 3] >> (64 - bitShift))
        let z2hi = z2.multipliedFullWidth(by: ix).high
        let (z1hi, z1lo) = z1.multipliedFullWidth(by: ix)
        let z0lo = z0 &* ix
        let (lo, carry) = z1lo.addingReportingOverflow(z2hi)
        var hi = z0lo &+ z1hi &+ (carry ? 1 : 0)
        var j = hi >> 61
        hi = hi << 3 | lo >> 61
        let leadingZeros = UInt64(hi.leadingZeroBitCount)
        let e = UInt64(bias) - (leadingZeros + 1)
        hi = (hi << (leadingZeros + 1)) | (lo >> (64 - (leadingZeros + 1)))
        hi >>= 64 - shift
        hi |= e << shift
        var z = Double(bitPattern: hi)
        if j & 1 == 1 {
            j += 1
            j &= 7
            z -= 1
        }
        return (j, z * pi4)
    }
}
