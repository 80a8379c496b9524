/// A notifications configuration that cannot be used: every problem, each with the file, the
/// line and column when known, the key path, what is wrong and what to do.
///
/// ```
/// gateway.yml:14:20: notifications.route.group_wait: "30x" is not a duration; write one like 30s, 5m, 4h or 1h30m
/// ```
///
/// Secret values (URLs, passwords, routing keys) never appear: a problem with one names its key.
public struct NotificationConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (or other source) the configuration came from.
    public let source: String
    /// Every problem, in the order of the file.
    public let problems: [ConfigProblem]

    init(source: String, problems: [ConfigProblem]) {
        self.source = source
        self.problems = problems
    }

    /// One line per problem, each starting with the source.
    public var description: String {
        problems.map { problem in
            let position = problem.line.map { line in "\(line):\(problem.column.map { "\($0):" } ?? "")" } ?? ""
            return "\(source):\(position) \(problem.path): \(problem.message)"
        }.joined(separator: "\n")
    }
}

/// One problem in a configuration: where, and what is wrong and what to do.
public struct ConfigProblem: Sendable, Hashable, CustomStringConvertible {
    /// The line (from 1), when known.
    public let line: Int?
    /// The column (from 1), when known.
    public let column: Int?
    /// The key path: `notifications.receivers[0].email_configs[1].smarthost`.
    public let path: String
    /// What is wrong and what to do.
    public let message: String

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
