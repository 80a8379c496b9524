/// A value that must never be shown: a webhook or Slack URL, a password, a routing key.
///
/// Printing, interpolating, dumping or encoding it gives `<secret>`; only ``revealed`` gives the
/// value, and only the code that puts it on the wire reads it. Errors and logs about a secret
/// name the setting it came from instead.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable, Codable {
    /// What every rendering of a secret shows.
    public static let mask = "<secret>"

    /// The value itself, for the wire only.
    public let revealed: String

    /// Wraps `value`.
    public init(_ value: String) {
        self.revealed = value
    }

    public var description: String { Self.mask }
    public var debugDescription: String { Self.mask }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// Decodes the value from a string.
    public init(from decoder: any Decoder) throws {
        revealed = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes ``mask``, never the value: an encoded configuration can be shown or logged.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Self.mask)
    }
}
