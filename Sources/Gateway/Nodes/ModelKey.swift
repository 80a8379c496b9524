import Foundation

/// Model names as routing compares them: tag defaults to `latest`, case ignored.
public enum ModelKey {
    public static func normalize(_ name: String) -> String {
        switch shape(name.utf8) {
        case .normal: return name
        case .untagged: return name + ":latest"
        case .other: break
        }
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        let last = trimmed.split(separator: "/").last ?? Substring(trimmed)
        return (last.contains(":") ? trimmed : trimmed + ":latest").lowercased()
    }

    enum Shape {
        /// Lowercase ASCII without surrounding spaces, tagged after the last `/`.
        case normal
        /// The same without a tag: normal once `:latest` is added.
        case untagged
        /// Anything else: the full normalisation decides.
        case other
    }

    /// The common cases, told apart with one pass over the bytes (Foundation's trimming and
    /// lowercasing cost more than the routing decision).
    static func shape(_ bytes: String.UTF8View) -> Shape {
        guard let first = bytes.first, let last = bytes.last, first > 0x20, last > 0x20, last != UInt8(ascii: "/") else {
            return .other
        }
        var tagged = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), 0x80...: return .other
            case UInt8(ascii: ":"): tagged = true
            case UInt8(ascii: "/"): tagged = false
            default: continue
            }
        }
        return tagged ? .normal : .untagged
    }
}
