/// A label set's identity: the 64-bit FNV-1a hash Prometheus and Alertmanager compute.
///
/// Label names are sorted; each name and each value is hashed followed by the byte 0xFF (which
/// cannot occur in UTF-8), so `{a="bc"}` and `{ab="c"}` differ. Shown as 16 lowercase hex
/// digits, the `fingerprint` of Alertmanager's webhook payload.
public struct Fingerprint: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The hash.
    public let value: UInt64

    /// The fingerprint of `labels`.
    public init(labels: [String: String]) {
        let offset: UInt64 = 14_695_981_039_346_656_037
        let prime: UInt64 = 1_099_511_628_211
        var hash = offset
        func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* prime
        }
        for name in labels.keys.sorted() {
            for byte in name.utf8 { add(byte) }
            add(0xFF)
            for byte in (labels[name] ?? "").utf8 { add(byte) }
            add(0xFF)
        }
        value = hash
    }

    /// Sixteen lowercase hex digits.
    public var description: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    public static func < (lhs: Fingerprint, rhs: Fingerprint) -> Bool { lhs.value < rhs.value }

    /// Decodes the 16 hex digits.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = UInt64(text, radix: 16) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a hex fingerprint")
        }
        self.value = value
    }

    /// Encodes the 16 hex digits.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
