import PerfStats

/// Generated `X-Request-ID`s: random version-4 UUIDs in lowercase text.
///
/// Foundation's `UUID()` opens `/dev/urandom` for each one on Linux (an `openat` and a `close`
/// per request); this draws from a generator seeded once from the system's, which is enough
/// for ids that only have to be unique, not secret.
struct RequestID {
    private var random: SplitMix64

    init(seed: UInt64 = UInt64.random(in: .min ... .max)) {
        random = SplitMix64(seed: seed)
    }

    /// The next id, e.g. `3f2b8c1e-9a4d-4e7f-b1c2-0d9e8f7a6b5c`.
    mutating func next() -> String {
        Self.format(high: random.next(), low: random.next())
    }

    /// The UUID text of 128 bits, with the version (4) and variant (10xx) bits set.
    static func format(high: UInt64, low: UInt64) -> String {
        let high = (high & ~0xF000) | 0x4000
        let low = (low & ~(0xC000 << 48)) | (0x8000 << 48)
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var index = 0
            func put(_ value: UInt64, nibbles: Int) {
                for shift in stride(from: (nibbles - 1) * 4, through: 0, by: -4) {
                    let nibble = UInt8(truncatingIfNeeded: (value >> UInt64(shift)) & 0xF)
                    buffer[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                    index += 1
                }
            }
            func dash() {
                buffer[index] = UInt8(ascii: "-")
                index += 1
            }
            put(high >> 32, nibbles: 8)
            dash()
            put(high >> 16, nibbles: 4)
            dash()
            put(high, nibbles: 4)
            dash()
            put(low >> 48, nibbles: 4)
            dash()
            put(low, nibbles: 12)
            return 36
        }
    }
}
