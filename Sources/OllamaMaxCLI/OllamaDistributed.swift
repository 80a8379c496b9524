import ArgumentParser
import Foundation
import Gateway

/// `ollama-distributed`: the OllamaMax gateway, its simulator, and its performance tools.

@main
struct OllamaDistributed: AsyncParsableCommand {
    static let version = Gateway.version

    static let configuration = CommandConfiguration(
        commandName: "ollama-distributed",
        abstract: "One Ollama-compatible endpoint over many Ollama servers, with performance monitoring built in.",
        version: version,
        subcommands: [
            Start.self, Status.self, NodeSim.self, Compare.self, Convert.self, Load.self, Smoke.self, Bench.self, Report.self,
            Charts.self, History.self, Soak.self, Optimize.self, Profile.self, Alerts.self,
        ]
    )

    /// Runs the command, then leaves through ``outcome(of:command:)``, the CLI's one mapping from
    /// an error to what is printed and the exit code.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let outcome = outcome(of: error, command: CommandLine.arguments.dropFirst().first)
            if !outcome.message.isEmpty {
                // As ArgumentParser does: help and version go to standard output, errors to standard error.
                let stream = outcome.code == 0 ? FileHandle.standardOutput : FileHandle.standardError
                stream.write(Data((outcome.message + "\n").utf8))
            }
            Foundation.exit(outcome.code)
        }
    }

    /// What to print and which code to exit with for `error` thrown by `command` (the first argument).
    ///
    /// A ``CLIError`` prints `error: <message>` and exits with its code. ArgumentParser's own
    /// errors keep its message and code, except that `compare` and `convert` answer every usage
    /// error with 2, as their documentation promises CI scripts (1 means "regression found").
    static func outcome(of error: any Error, command: String?) -> (message: String, code: Int32) {
        if let error = error as? CLIError { return ("error: \(error.message)", error.code) }
        let message = fullMessage(for: error)
        let code = exitCode(for: error).rawValue
        if command == "compare" || command == "convert", code != 0, code != 1 { return (message, 2) }
        return (message, code)
    }
}
