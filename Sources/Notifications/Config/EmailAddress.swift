/// A mail address as written in `to:` and `from:`: `oncall@example.com` or
/// `OllamaMax <alerts@example.com>`.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The name shown before the address, if any.
    public var displayName: String?
    /// The bare address, what SMTP's MAIL FROM and RCPT TO carry.
    public var address: String

    /// Reads an address, or `nil` when `text` is not one: it needs one `@` with text on both
    /// sides, and no spaces, line breaks or angle brackets inside the address itself.
    public init?(_ text: String) {
        let trimmed = text.trimmingSpaces
        guard !trimmed.contains(where: { $0 == "\r" || $0 == "\n" }) else { return nil }
        var display: String?
        var bare = trimmed
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            bare = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            let name = String(trimmed[..<open]).trimmingSpaces
            if !name.isEmpty { display = name.hasPrefix("\"") && name.hasSuffix("\"") && name.count > 1 ? String(name.dropFirst().dropLast()) : name }
        }
        let parts = bare.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
            !bare.contains(where: { $0.isWhitespace || "<>,;\"".contains($0) })
        else { return nil }
        displayName = display
        address = bare
    }

    /// The domain after the `@`.
    public var domain: String { String(address.split(separator: "@").last ?? "") }

    /// `Name <address>` or the bare address.
    public var description: String { displayName.map { "\($0) <\(address)>" } ?? address }
}
