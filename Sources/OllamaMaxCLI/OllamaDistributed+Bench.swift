import ArgumentParser
import Bench
import Foundation
import OllamaAPI
import PerfCompare
import PerfReport

extension OllamaDistributed {
    /// `bench`: end-to-end scenarios over the gateway and simulated nodes, and the CI gate.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Benchmark the gateway end to end over simulated nodes, and gate CI on the results.",
            discussion: "Details: docs/performance.md.",
            subcommands: [Run.self, Gate.self],
            defaultSubcommand: Run.self)
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
                repetition is one sample of each metric, so `compare` can judge two reports. CPU and \
                memory of the process are sampled into the report's timeline. Exit 1 when a \
                scenario failed (the report is still written, with the failure in its \
                failed_benchmarks label).
                """)

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

        @Option(help: "Seconds between CPU and memory readings, e.g. 500ms.")
        var sampleInterval: String?

        @Option(help: "A request unfinished after this long is a timeout, e.g. 10s (--quick: 5s).")
        var timeout: String?

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
                for scenario in Scenario.all { print("\(scenario.name.padding(toLength: 11, withPad: " ", startingAt: 0)) \(scenario.summary)") }
                return
            }
            let options = try options()
            // Read after the scenarios, so a large export's memory is not in their peak_rss; but
            // refuse a missing file before minutes of load.
            for path in micro where !FileManager.default.isReadableFile(atPath: path) {
                throw ValidationError("--micro: \(path): cannot read the file (export it with `swift package benchmark --format jmh`)")
            }
            let earlier: PerformanceReport?
            if append, FileManager.default.fileExists(atPath: output) {
                do {
                    earlier = try PerformanceReport.load(path: output)
                } catch {
                    throw ValidationError("--append: \(error)")
                }
            } else {
                earlier = nil
            }
            // Flushed line by line: CI logs show progress while minutes of load run.
            let runner = BenchRunner(options: options) { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
            var result = await runner.run(metadata: Metadata.current(labels: ["tool": "ollama-distributed bench"]))
            result.report.metadata.createdAt = Metadata.current().createdAt  // the time the run finished
            do {
                for path in micro {
                    let report = try PerformanceReport.load(path: path, format: .packageBenchmark)
                    result.report = try BenchReport.adding(micro: report, source: path, to: result.report)
                }
                if let earlier { result.report = try BenchReport.appending(result.report, to: earlier) }
            } catch let error as ReportError {
                throw ValidationError("--micro: \(error)")
            } catch {
                throw ValidationError("\(error)")
            }
            do {
                try FileManager.default.createDirectory(
                    atPath: (output as NSString).deletingLastPathComponent.isEmpty ? "." : (output as NSString).deletingLastPathComponent,
                    withIntermediateDirectories: true)
                try result.report.write(to: output)
            } catch {
                throw ValidationError("--output \(output): \(error)")
            }
            print("report written to \(output) (\(result.report.benchmarks.count) benchmarks)")
            printScaling(result.report)
            if !result.failures.isEmpty {
                for failure in result.failures {
                    FileHandle.standardError.write(Data("bench: \(failure.benchmark) FAILED: \(failure.message)\n".utf8))
                }
                throw ExitCode(1)
            }
        }

        func options() throws -> BenchOptions {
            let chosen: [Scenario]
            do {
                chosen = try Scenario.named(scenarios.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } })
            } catch {
                throw ValidationError(error.description)
            }
            var options = quick ? BenchOptions.quick(scenarios: chosen) : BenchOptions(scenarios: chosen)
            if let count { options.count = count }
            if let duration { options.durationSeconds = try Self.seconds(duration, flag: "--duration") }
            if let timeout { options.requestTimeoutSeconds = try Self.seconds(timeout, flag: "--timeout") }
            if let sampleInterval { options.sampleIntervalSeconds = try Self.seconds(sampleInterval, flag: "--sample-interval") }
            if let nodes { options.nodeCounts = try Self.counts(nodes, flag: "--nodes") }
            if let gatewayThreads { options.gatewayThreads = try Self.counts(gatewayThreads, flag: "--gateway-threads") }
            let problems = options.problems()
            guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "\n")) }
            return options
        }

        /// The throughput of every node count against one node: linear scaling is efficiency 1.
        private func printScaling(_ report: PerformanceReport) {
            let rows = report.benchmarks.filter { $0.group == "throughput" }
            guard rows.count > 1 else { return }
            print("scaling (median throughput; efficiency = throughput / (nodes x one-node throughput)):")
            for benchmark in rows {
                let throughput = benchmark.metric(named: "throughput")?.summary.median ?? 0
                let efficiency = benchmark.metric(named: "scaling_efficiency").map { String(format: "%.2f", $0.summary.median) } ?? "1.00"
                print(String(format: "  %@  %8.1f req/s  efficiency %@", benchmark.name, throughput, efficiency))
            }
        }

        static func seconds(_ text: String, flag: String) throws -> Double {
            guard let value = GoDuration.parse(text), value > 0 else {
                throw ValidationError("\(flag): \"\(text)\" is not a positive duration; write e.g. 500ms, 10s or 1m")
            }
            return value
        }

        static func counts(_ text: String, flag: String) throws -> [Int] {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw ValidationError("\(flag): \"\(text)\" is not a comma-separated list of positive counts, e.g. 1,2,4")
            }
            return parts.compactMap { $0 }
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
                """)

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

        func run() throws {
            do {
                try judge()
            } catch let error as ExitCode {
                throw error
            } catch {
                FileHandle.standardError.write(Data("bench gate: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }

        private func judge() throws {
            let limits = try Budgets.load(path: budgets)
            let report = try PerformanceReport.load(path: current)
            var comparison: Comparison?
            if let baseline {
                guard FileManager.default.fileExists(atPath: baseline) else {
                    throw BenchError(
                        "\(baseline): no baseline report. Create one on this machine with `scripts/perf-check.sh --update-baseline` "
                            + "(or `ollama-distributed bench --output \(baseline)`), commit it, and run again; docs/performance.md explains when to refresh it")
                }
                let base = try PerformanceReport.load(path: baseline)
                let options = limits.comparisonOptions(thresholdPercent: threshold)
                comparison = try Comparer.compare(
                    baseline: base, current: report, options: options, baselineSource: baseline, currentSource: current)
            }
            let result = PerformanceGate.evaluate(report: report, budgets: limits, comparison: comparison)
            if let comparison { print(comparison.text(color: false), terminator: "") }
            print(result.text(), terminator: "")
            if let markdown {
                let text = result.markdown() + (comparison.map { "\n" + $0.markdown() } ?? "")
                try AtomicFile.write(Data(text.utf8), to: markdown)
            }
            if let json, let comparison {
                let document = ComparisonDocument(comparison, currentFile: current, baselineFile: baseline ?? "")
                try AtomicFile.write(try document.json(), to: json)
            }
            if !result.passed { throw ExitCode(1) }
        }
    }
}
