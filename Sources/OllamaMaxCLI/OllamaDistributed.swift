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
            Charts.self, History.self,
        ]
    )

    /// Runs the command; `compare` and `convert` answer every usage or input error with exit
    /// code 2, as their documentation promises CI scripts (1 is reserved for "regression found").
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            error.report()
            Foundation.exit(error.code)
        } catch {
            let code = exitCode(for: error)
            let tool = CommandLine.arguments.dropFirst().first
            if tool == "compare" || tool == "convert", code != .success, code.rawValue != 1 {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
