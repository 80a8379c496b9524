import ArgumentParser
import Bench
import Foundation
import PerfCompare
import PerfReport

extension OllamaDistributed {
    /// `bench`: end-to-end scenarios over the gateway and simulated nodes, and the CI gate.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Benchmark the gateway end to end over simulated nodes, and gate CI on the results.",
            discussion: "Details: docs/performance.md.",
            subcommands: [Run.self, Gate.self],
            defaultSubcommand: Run.self
        )
    }
}

extension OllamaDistributed.Bench {
    /// `bench [run]`: the scenarios, written as one PerformanceReport.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run the end-to-end scenarios and write a PerformanceReport.",
            discussion: """
                Each scenario starts simulated nodes and a gateway in this process on 127.0.0.1 and \
                drives them with the load generator, --count times for --duration each; every \
                repetition is one sample of each metric, so `compare` can judge two reports. CPU, \
                memory and network bytes of the process are sampled into the report's timeline. \
                Exit 1 when a scenario failed (the report is still written, with the failure in \
                its failed_benchmarks label).
                """
        )

        @Option(name: .customLong("scenario"), help: "Scenarios to run, comma-separated or repeated (default: all; see --list).")
        var scenarios: [String] = []

        @Flag(help: "List the scenarios and exit.")
        var list = false

        @Option(help: "Repetitions of each configuration, like go test -count (default 5; --quick: 4).")
        var count: Int?

        @Option(help: "Measured load per repetition, e.g. 10s (default 10s; --quick: 500ms).")
        var duration: String?

        @Option(help: "Node counts for scenarios that scale with nodes, like go test -cpu, e.g. 1,2,4 (default 1,2,4; --quick: 1).")
        var nodes: String?

        @Option(help: "Gateway NIO thread counts, e.g. 1,2 (default 2).")
        var gatewayThreads: String?

        @Option(help: "Time between CPU, memory and network readings, e.g. 500ms.")
        var sampleInterval: String?

        @Option(help: "A request unfinished after this long is a timeout, e.g. 10s (--quick: 5s).")
        var timeout: String?

        @Option(
            help: "Write a CPU profile (pprof) of each benchmark's first repetition into this directory (needs perf; compare --profiles reads them)."
        )
        var profile: String?

        @Flag(help: "Smoke run: 4 repetitions of 500 ms, one node count (1).")
        var quick = false

        @Option(help: "Where to write the report.")
        var output = "performance-results/current/performance-report.json"

        @Flag(help: "Append this run's samples to the report already at --output (interleaved runs).")
        var append = false

        @Option(help: "A package-benchmark JMH export (swift package benchmark --format jmh) to add to the report (repeatable).")
        var micro: [String] = []

        func run() async throws {
            if list {
                print(Scenario.listing(), terminator: "")
                return
            }
            let options = try options()
            // Read after the scenarios, so a large export's memory is not in their peak_rss; but
            // refuse a missing file before minutes of load.
            for path in micro where !FileManager.default.isReadableFile(atPath: path) {
                throw CLIError.invalidInput("--micro: \(path): cannot read the file (export it with `swift package benchmark --format jmh`)")
            }
            var earlier: PerformanceReport?
            if append, FileManager.default.fileExists(atPath: output) {
                do { earlier = try PerformanceReport.load(path: output) } catch { throw CLIError.invalidInput("--append: \(error)") }
            }
            // Flushed line by line: CI logs show progress while minutes of load run.
            let runner = BenchRunner(options: options) { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
            var result = await runner.run(metadata: Metadata.current(labels: ["tool": "ollama-distributed bench"]))
            result.report.metadata.createdAt = Metadata.current().createdAt  // the time the run finished
            do {
                for path in micro {
                    let report = try PerformanceReport.load(path: path, format: .packageBenchmark)
                    result.report = try BenchReport.adding(micro: report, source: path, to: result.report)
                }
            } catch {
                throw CLIError.invalidInput("--micro: \(error)")
            }
            if let earlier {
                do { result.report = try BenchReport.appending(result.report, to: earlier) } catch {
                    throw CLIError.invalidInput("--append: \(error)")
                }
            }
            do {
                let directory = (output as NSString).deletingLastPathComponent
                try FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory, withIntermediateDirectories: true)
                try result.report.write(to: output)
            } catch {
                throw CLIError.invalidInput("--output \(output): \(error)")
            }
            print("report written to \(output) (\(result.report.benchmarks.count) benchmarks)")
            if let scaling = BenchReport.scalingTable(result.report) { print(scaling, terminator: "") }
            if !result.failures.isEmpty {
                let lines = result.failures.map { "\($0.benchmark) FAILED: \($0.message)" }
                throw CLIError.failure("bench: \(lines.joined(separator: "\nbench: "))", code: 1)
            }
        }

        func options() throws(CLIError) -> BenchOptions {
            let chosen: [Scenario]
            do {
                chosen = try Scenario.named(scenarios.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } })
            } catch {
                throw .invalidInput("--\(error.description); `bench --list` describes them")
            }
            var options = quick ? BenchOptions.quick(scenarios: chosen) : BenchOptions(scenarios: chosen)
            if let count { options.count = count }
            if let duration { options.duration = try DurationFlag.positive(duration, flag: "--duration") }
            if let timeout { options.requestTimeout = try DurationFlag.positive(timeout, flag: "--timeout") }
            if let sampleInterval { options.sampleInterval = try DurationFlag.positive(sampleInterval, flag: "--sample-interval") }
            if let nodes { options.nodeCounts = try Self.counts(nodes, flag: "--nodes") }
            if let gatewayThreads { options.gatewayThreads = try Self.counts(gatewayThreads, flag: "--gateway-threads") }
            if let profile { options.profileDirectory = URL(fileURLWithPath: profile) }
            let problems = options.problems()
            guard problems.isEmpty else { throw .invalidInput(problems.map { "--\($0)" }.joined(separator: "\n")) }
            return options
        }

        static func counts(_ text: String, flag: String) throws(CLIError) -> [Int] {
            guard let counts = BenchOptions.counts(text) else {
                throw .invalidInput("\(flag): \"\(text)\" is not a comma-separated list of positive counts, e.g. 1,2,4")
            }
            return counts
        }
    }

    /// `bench gate`: the CI gate over a bench report.
    struct Gate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Gate a bench report: benchmarks ran, no regression against the baseline, budgets hold.",
            discussion: """
                The regression check is `compare`'s (significant and above the threshold of the \
                budgets file, 10% by default). Exit codes: 0 passed, 1 failed, 2 invalid input \
                (a missing baseline or budgets file, an unreadable report).
                """
        )

        @Option(help: "The bench report to judge.")
        var current = "performance-results/current/performance-report.json"

        @Option(help: "The baseline report; without it only the budgets and failures are checked.")
        var baseline: String?

        @Option(help: "The budgets file (YAML).")
        var budgets = "performance-results/budgets.yml"

        @Option(help: "Regression threshold, percent (default: the budgets file's comparison.threshold_percent, else 10).")
        var threshold: Double?

        @Option(help: "Also write the gate and the comparison as Markdown here (job summary, PR comment).")
        var markdown: String?

        @Option(help: "Also write the comparison as JSON here (compare --format json).")
        var json: String?

        @OptionGroup var profiles: ProfilesOption

        func run() throws {
            let directories = try profiles.directories()
            let outcome: PerformanceGate.Outcome
            do {
                outcome = try PerformanceGate.judge(current: current, baseline: baseline, budgets: budgets, thresholdPercent: threshold)
            } catch {
                throw CLIError.invalidInput("bench gate: \(error)")
            }
            var hints = (text: "", markdown: "")
            if let comparison = outcome.comparison, let directories {
                let read = try ProfileHints(comparison, directories: directories)
                hints = (read.section(markdown: false), read.section(markdown: true))
            }
            if let comparison = outcome.comparison { print(comparison.text(color: false) + hints.text, terminator: "") }
            print(outcome.result.text(), terminator: "")
            if let markdown { try OutputFile.write(Data((outcome.markdown() + hints.markdown).utf8), to: markdown, flag: "--markdown") }
            if let json, let comparison = outcome.comparison {
                let document = ComparisonDocument(comparison, currentFile: current, baselineFile: baseline ?? "")
                try OutputFile.write(try document.json(), to: json, flag: "--json")
            }
            if !outcome.result.passed {
                let failed = outcome.result.checks.filter { !$0.passed }.count
                throw CLIError.failure("bench gate: \(failed) of \(outcome.result.checks.count) checks failed (FAIL lines above)", code: 1)
            }
        }
    }
}
