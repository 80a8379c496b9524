import ArgumentParser
import Foundation
import Gateway
import OllamaAPI
import Optimizer

extension OllamaDistributed {
    /// `optimize`: what a running gateway's optimizer converged to, as a static config snippet.
    struct Optimize: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the limits and queue a running gateway's optimizer converged to, as a config snippet.",
            discussion: """
                Reads GET /ollamamax/optimizer and /ollamamax/nodes (send an admin key in OLLAMAMAX_API_KEY) and \
                prints a start --config snippet for a static deployment: per node max_in_flight and num_parallel, \
                the queue's size and timeout, optimization level off. With --output FILE it writes the snippet \
                there instead (atomically); --dry-run prints it and writes nothing. Exit 1 when the gateway cannot \
                be read or runs with level off (nothing learned), 2 for a file that cannot be written.
                """
        )

        @Option(help: "The gateway's URL.")
        var url = "http://127.0.0.1:8080"

        @Option(help: "Write the snippet to this file instead of printing it.")
        var output: String?

        @Flag(help: "Print the snippet and write nothing, even with --output.")
        var dryRun = false

        func run() async throws {
            let client = StatusClient(url: url, credential: GatewayCredential.fromEnvironment())
            let snippet: String
            do {
                guard let optimizer = try await client.fetchOptimizer() else {
                    throw CLIError.failure("the gateway at \(url) has no /ollamamax/optimizer (an older version): upgrade it", code: 1)
                }
                guard optimizer.snapshot.level != .off else {
                    throw CLIError.failure(
                        "the gateway at \(url) runs with optimization level off: its limits are the static ones and nothing "
                            + "was learned; start it with --optimization-level balanced and let it serve traffic first",
                        code: 1
                    )
                }
                let nodes = try await client.fetch().report
                snippet = RecommendedConfig.render(optimizer, nodes: nodes, url: url)
            } catch let error as StatusError {
                throw CLIError.failure(error.description, code: 1)
            }
            guard let output, !dryRun else {
                print(snippet, terminator: "")
                if let output { print("# dry run: \(output) not written") }
                return
            }
            try OutputFile.write(Data(snippet.utf8), to: output, flag: "--output")
            print("wrote \(output)")
        }
    }
}
