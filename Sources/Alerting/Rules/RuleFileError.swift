/// Why a rule file (or a promtool test file) could not be loaded: every problem found, each naming the
/// file, group and rule it concerns and what is wrong, as `promtool check rules` reports them.
public struct RuleFileError: Error, Sendable, CustomStringConvertible {
    /// One line per problem, e.g. `rules.yml: 12:9: group "api", rule 2, "HighLatency": could not parse
    /// expression: 1:10: parse error: unexpected end of input`.
    public let problems: [String]

    /// Creates an error from its problems.
    public init(problems: [String]) {
        self.problems = problems
    }

    /// All problems, one per line.
    public var description: String {
        problems.joined(separator: "\n")
    }
}
