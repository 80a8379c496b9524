/// A size in bytes as `--max-body-size` and `max_body_size:` write it: a plain number of bytes
/// (`1048576`), or a number with a unit: `KiB`, `MiB`, `GiB` (powers of 1024, also nginx's `k`,
/// `m`, `g`), `KB`, `MB`, `GB` (powers of 1000), `B`. Units are case-insensitive; a fraction is
/// allowed with a unit (`1.5GiB`).
public enum ByteSize {
    private static let units: [String: Double] = [
        "": 1, "b": 1,
        "k": 1024, "kib": 1024, "m": 1_048_576, "mib": 1_048_576, "g": 1_073_741_824, "gib": 1_073_741_824,
        "kb": 1000, "mb": 1_000_000, "gb": 1_000_000_000,
    ]

    /// The bytes `text` says, or nil when it is not a size (or not above zero).
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.filter { $0 != " " }
        let number = trimmed.prefix { $0.isNumber || $0 == "." }
        let unit = trimmed.dropFirst(number.count).lowercased()
        guard let value = Double(number), let scale = units[unit] else { return nil }
        let bytes = value * scale
        guard bytes >= 1, bytes < Double(Int.max) else { return nil }
        return Int(bytes)
    }

    /// What a size may look like, for error messages.
    public static let examples = "write bytes (33554432) or a size such as 32MiB, 64MB or 1GiB"
}
