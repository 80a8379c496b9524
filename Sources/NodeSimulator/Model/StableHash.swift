import Foundation

/// A stable 64-bit hash (FNV-1a) of text, for seeds derived from prompts. Swift's `Hasher` is
/// randomised per process, so it cannot be used for anything that must repeat.
public func stableHash(_ text: String, seed: UInt64 = 0) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
    }
    return hash
}
