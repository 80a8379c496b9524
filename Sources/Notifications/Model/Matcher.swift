import Foundation

/// One condition on a label, written as in Alertmanager's `matchers:`: `severity="critical"`,
/// `severity=critical`, `node!=""`, `alertname=~"Node.*"`, `team!~"db|cache"`.
///
/// A label the alert lacks has the empty value, so `node=""` matches alerts without `node` and
/// `node!=""` those with it. Regular expressions are anchored at both ends, as in Prometheus.
public struct Matcher: Sendable, Hashable, CustomStringConvertible {
    /// How the value is compared.
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        /// `=`: equal.
        case equal = "="
        /// `!=`: not equal.
        case notEqual = "!="
        /// `=~`: the whole value matches the regular expression.
        case matchesRegex = "=~"
        /// `!~`: the whole value does not match the regular expression.
        case notMatchesRegex = "!~"
    }

    /// The label name.
    public let name: String
    /// The comparison.
    public let op: Operator
    /// The value, or the regular expression's source.
    public let value: String
    private let pattern: Pattern?

    /// Makes a matcher; a regular expression that does not compile throws ``MatcherError``.
    public init(name: String, op: Operator, value: String) throws(MatcherError) {
        self.name = name
        self.op = op
        self.value = value
        switch op {
        case .equal, .notEqual: pattern = nil
        case .matchesRegex, .notMatchesRegex: pattern = try Pattern(value)
        }
    }

    /// Whether `labels` satisfy the condition.
    public func matches(_ labels: [String: String]) -> Bool {
        let actual = labels[name] ?? ""
        switch op {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .matchesRegex: return pattern?.wholeMatches(actual) ?? false
        case .notMatchesRegex: return !(pattern?.wholeMatches(actual) ?? false)
        }
    }

    /// `name="value"`, as Alertmanager writes matchers in group keys.
    public var description: String { "\(name)\(op.rawValue)\(LabelText.quoted(value))" }

    public static func == (lhs: Matcher, rhs: Matcher) -> Bool {
        lhs.name == rhs.name && lhs.op == rhs.op && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(op)
        hasher.combine(value)
    }
}

extension Matcher {
    /// Parses one entry of a `matchers:` list: one matcher, or several separated by commas,
    /// optionally in braces (`{severity="critical", team="db"}`).
    public static func parseList(_ text: String) throws(MatcherError) -> [Matcher] {
        var parser = MatcherParser(text)
        return try parser.parseList()
    }
}

/// Why a matcher could not be read; the message quotes the text (matchers hold no secrets).
public struct MatcherError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// An anchored regular expression (ICU syntax, which agrees with Go's RE2 on what label
/// matchers use: classes, alternation, repetition, groups).
private struct Pattern: Sendable {
    let regex: NSRegularExpression

    init(_ source: String) throws(MatcherError) {
        do {
            regex = try NSRegularExpression(pattern: "\\A(?:\(source))\\z")
        } catch {
            throw MatcherError("\(LabelText.quoted(source)) is not a valid regular expression")
        }
    }

    func wholeMatches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
