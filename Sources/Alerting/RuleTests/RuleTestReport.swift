/// One failed check of a promtool test file.
public struct RuleTestFailure: Sendable, Hashable, CustomStringConvertible {
    /// The `name:` of the test group (empty when the group has none).
    public let testGroup: String
    /// What failed, in promtool's words: expected against got, or the error.
    public let message: String

    /// The failure as promtool prints it.
    public var description: String { message }
}

/// The outcome of running one promtool test file.
public struct RuleTestReport: Sendable, CustomStringConvertible {
    /// The test file's path.
    public let file: String
    /// Every failed check; empty when the file passed.
    public let failures: [RuleTestFailure]
    /// How many alert and expression checks ran.
    public let checks: Int

    /// Whether every check passed.
    public var passed: Bool { failures.isEmpty }

    /// promtool's output: `Unit Testing:  FILE` then `SUCCESS`, or `FAILED:` and each failure.
    public var description: String {
        var text = "Unit Testing:  \(file)\n"
        if passed { return text + "  SUCCESS\n" }
        text += "  FAILED:\n"
        for failure in failures { text += failure.message + "\n\n" }
        return text
    }
}
