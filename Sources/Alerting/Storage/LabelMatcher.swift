import Foundation

/// A condition on one label of a series, as in `{job="api", route=~"/api/.*"}`.
///
/// Regular expressions are fully anchored, as Prometheus anchors them (`^(?:re)$`), and a missing label
/// matches as the empty string, so `{a=~".*"}` also selects series without `a`.
public struct LabelMatcher: Hashable, Sendable, CustomStringConvertible {
    /// How a matcher compares the label value.
    public enum Kind: String, Sendable, Hashable {
        /// `=`: equal.
        case equal = "="
        /// `!=`: not equal.
        case notEqual = "!="
        /// `=~`: matches the anchored regular expression.
        case matchesRegex = "=~"
        /// `!~`: does not match the anchored regular expression.
        case doesNotMatchRegex = "!~"
    }

    /// The label name.
    public let name: String
    /// The comparison.
    public let kind: Kind
    /// The value or regular expression text, as written.
    public let value: String
    private let regex: AnchoredRegex?

    /// Creates a matcher; throws when a regular expression does not compile.
    public init(_ name: String, _ kind: Kind, _ value: String) throws(PromQLError) {
        self.name = name
        self.kind = kind
        self.value = value
        switch kind {
        case .equal, .notEqual:
            regex = nil
        case .matchesRegex, .doesNotMatchRegex:
            regex = try AnchoredRegex(value)
        }
    }

    /// Whether a label value (empty for an absent label) satisfies the matcher.
    public func matches(_ labelValue: String) -> Bool {
        switch kind {
        case .equal: return labelValue == value
        case .notEqual: return labelValue != value
        case .matchesRegex: return regex?.matches(labelValue) ?? false
        case .doesNotMatchRegex: return !(regex?.matches(labelValue) ?? false)
        }
    }

    /// Whether a series' labels satisfy the matcher.
    public func matches(_ labels: Labels) -> Bool {
        matches(labels[name] ?? "")
    }

    /// Prometheus' text form, e.g. `job="api"`.
    public var description: String {
        name + kind.rawValue + GoQuote.quote(value)
    }

    public static func == (lhs: LabelMatcher, rhs: LabelMatcher) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(kind)
        hasher.combine(value)
    }
}

/// A regular expression anchored at both ends, as Prometheus anchors label regexes.
struct AnchoredRegex: Sendable {
    private let regex: GoRegex
    /// A literal alternative (`a|b|c` of plain words) is answered with a set lookup instead of the regex engine.
    private let literals: Set<String>?

    init(_ pattern: String) throws(PromQLError) {
        do {
            regex = try GoRegex(pattern, anchored: true)
        } catch {
            throw PromQLError.invalidRegex(pattern)
        }
        literals = AnchoredRegex.literalAlternatives(pattern)
    }

    func matches(_ text: String) -> Bool {
        if let literals { return literals.contains(text) }
        return regex.firstMatch(in: text) != nil
    }

    /// The match's capture groups as ranges in `text` (index 0 is the whole match), or `nil`.
    func captureRanges(in text: String) -> [Range<String.Index>?]? {
        regex.firstMatch(in: text)
    }

    /// Capture group names (index 0 is group 1); unnamed groups are `nil`.
    var groupNames: [String?] { regex.groupNames }

    private static func literalAlternatives(_ pattern: String) -> Set<String>? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-:/ ")
        guard pattern.allSatisfy({ allowed.contains($0) || $0 == "|" }) else { return nil }
        return Set(pattern.split(separator: "|", omittingEmptySubsequences: false).map(String.init))
    }
}
