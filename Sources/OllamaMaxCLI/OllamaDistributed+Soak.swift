import ArgumentParser
import Foundation
import LoadGenerator

extension OllamaDistributed {
    /// `soak`: the fault soak of docs/load-testing.md, simulated nodes with faults and a gateway as child processes.
    struct Soak: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stream through a gateway over faulty simulated nodes for a long time, killing a node every interval.",
            discussion: """
                Starts --nodes simulated nodes (faults on) and a gateway over them as child processes on 127.0.0.1, \
                runs --streams concurrent streaming clients through the gateway for --duration, SIGKILLs one node \
                and restarts it on its port every --kill-interval, and prints the gateway's RSS and the counts every \
                --sample-interval. Ends with a summary: requests completed, clean errors (an HTTP error or an error \
                line), hangs (no byte for --client-timeout), resets, malformed lines, and the goals: RSS flat (the \
                last minute's mean within 10% of the second minute's), no hangs, no malformed lines. Exits 0 when \
                the goals hold, 1 when not. Ctrl-C stops early, stops the children and still prints the summary.
                """
        )

        @Option(help: "How long clients keep sending, e.g. 10m or 30s.")
        var duration = "10m"

        @Option(help: "Concurrent streaming clients.")
        var streams = 1000

        @Option(help: "Time between two node kills (SIGKILL, then a restart on the same port).")
        var killInterval = "60s"

        @Option(help: "Time between two progress lines (the gateway's RSS and the counts).")
        var sampleInterval = "10s"

        @Option(help: "A client that receives no byte for this long gives up (a hang). The gateway's node timeouts are a sixth of it.")
        var clientTimeout = "30s"

        @Option(help: "Simulated nodes.")
        var nodes = 3

        @Option(help: "The model every request names.")
        var model = "qwen2.5:0.5b"

        @Option(help: "Tokens per answer (num_predict).")
        var maxTokens = 32

        @Option(help: "Share of requests a node fails at once with a 500 (0-1).")
        var errorRate = 0.01

        @Option(help: "Share of requests a node fails halfway through (0-1); even nodes send an error line, odd ones drop the connection.")
        var midStreamFailureRate = 0.01

        @Option(help: "Share of requests a node never answers (0-1).")
        var hangRate = 0.002

        @Option(help: "Seed of the nodes' fault draws.")
        var faultSeed = 1

        @Option(help: "Directory for the children's logs and the gateway's configuration (default: a new temporary directory).")
        var workDir: String?

        @Option(help: "Also write the summary as JSON here.")
        var json: String?

        func run() async throws {
            let settings = try soakConfiguration()
            let stop = InterruptSignal.install()
            defer { InterruptSignal.uninstall() }
            let summary: SoakSummary
            do {
                summary = try await SoakRunner.run(settings, progress: Self.emit, interrupted: stop)
            } catch {
                throw CLIError.failure(error.description, code: 1)
            }
            Self.emit(summary.text)
            if let json {
                let encoder = JSONEncoder()
                encoder.keyEncodingStrategy = .convertToSnakeCase
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try OutputFile.write(try encoder.encode(summary), to: json, flag: "--json")
            }
            // Exit 1 without a message: the summary's FAIL says which goal failed.
            if !summary.passed { throw ExitCode(1) }
        }

        /// The soak's settings from the flags, or a ``CLIError`` naming the flag.
        func soakConfiguration() throws(CLIError) -> SoakConfiguration {
            let directory =
                workDir.map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("ollamamax-soak-\(UUID().uuidString.prefix(8))")
            let settings = SoakConfiguration(
                executable: Self.executable,
                duration: try DurationFlag.positive(duration, flag: "--duration"),
                streams: streams,
                killInterval: try DurationFlag.positive(killInterval, flag: "--kill-interval"),
                sampleInterval: try DurationFlag.positive(sampleInterval, flag: "--sample-interval"),
                clientTimeout: try DurationFlag.positive(clientTimeout, flag: "--client-timeout"),
                nodes: nodes,
                model: model,
                maxTokens: maxTokens,
                faults: SoakFaults(errorRate: errorRate, midStreamFailureRate: midStreamFailureRate, hangRate: hangRate, seed: faultSeed),
                workDirectory: directory
            )
            let problems = settings.problems()
            guard problems.isEmpty else {
                throw .invalidInput("soak: " + problems.map(Self.flagged).joined(separator: "; "))
            }
            return settings
        }

        /// A problem of ``SoakConfiguration/problems()`` with its setting named as the flag (`streams:` becomes `--streams:`).
        private static func flagged(_ problem: String) -> String {
            guard let colon = problem.firstIndex(of: ":") else { return problem }
            return "--" + problem[..<colon].replacingOccurrences(of: " ", with: "-") + problem[colon...]
        }

        /// Writes `line` to standard output at once (print's buffer would hold a soak's progress
        /// back when the output goes to a pipe or a file).
        @Sendable static func emit(_ line: String) {
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }

        /// This binary, whose `node-sim` and `start` the soak runs as its children.
        static var executable: URL {
            Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        }
    }
}
