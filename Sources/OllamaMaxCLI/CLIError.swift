import ArgumentParser
import Foundation

/// The CLI's one error: what to print and the documented exit code to leave with.
///
/// Library errors are typed and say what is wrong without naming flags; a command catches them
/// and throws a `CLIError` whose message says what to do. `OllamaDistributed.main` is the one
/// place that prints it and exits.
struct CLIError: Error, CustomStringConvertible {
    /// The text printed after `error: ` on standard error.
    var message: String
    /// The process's exit code.
    var code: Int32

    var description: String { message }

    /// Bad input or output (a flag's value, a file that cannot be read or written): exit 2.
    static func invalidInput(_ message: String) -> CLIError { CLIError(message: message, code: 2) }

    /// Any other documented failure code (e.g. 3 for a missing tool, 4 for not found).
    static func failure(_ message: String, code: Int32) -> CLIError { CLIError(message: message, code: code) }
}

extension CLIError {
    /// Prints `error: message` to standard error; `main` calls it once, then exits with ``code``.
    func report() {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }
}
