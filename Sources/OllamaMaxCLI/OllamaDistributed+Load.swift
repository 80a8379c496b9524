import ArgumentParser
import Foundation
import LoadGenerator
import NIOCore
import OllamaAPI
import PerfCompare
import PerfReport
import Synchronization

extension OllamaDistributed {
    /// `load`: LLM load against any Ollama- or OpenAI-compatible endpoint.
    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load-test an Ollama or OpenAI-compatible endpoint with exact per-token timing.",
            subcommands: [Run.self, Merge.self],
            defaultSubcommand: Run.self)
    }
}

extension OllamaDistributed.Load {
    /// `load [run]`: one load run.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Send load and report TTFT, inter-token gaps, end-to-end latency, throughput and goodput.",
            discussion: """
                Closed loop with --concurrency C, open loop with --rate R (constant or Poisson arrivals; \
                latency counts from each request's planned send time, so a slow server cannot hide \
                its queueing), or a rising rate with --ramp FROM:TO. Bound the run with --duration \
                and/or --requests. --output writes a PerformanceReport that `compare` can judge.

                Several --url load several servers side by side in one run (e.g. a node direct and \
                through the gateway): each gets the whole load, open-loop sends interleaved, so a \
                stall of the machine hits all of them alike; the output adds a table of what each \
                server adds to the first one's p50 and p99, and the report has a benchmark per \
                server (<name>@<url>).
                """)

        @Option(help: "The server, e.g. http://127.0.0.1:8080; repeat it for a side-by-side run.")
        var url: [String]

        @Option(help: "The model to ask.")
        var model: String

        @Option(help: "API: ollama or openai.")
        var api: LoadTarget.API = .ollama

        @Option(help: "Endpoint: generate, chat or embed.")
        var endpoint: LoadTarget.Endpoint = .generate

        @Flag(inversion: .prefixedNo, help: "Stream answers (needed for time to first token and inter-token gaps).")
        var stream = true

        @Option(help: "Closed loop: clients sending back to back.")
        var concurrency: Int?

        @Option(help: "Open loop: requests per second.")
        var rate: Double?

        @Option(help: "Open-loop arrivals: constant or poisson.")
        var arrivals: Arrivals = .constant

        @Option(help: "Open loop with a rising rate, FROM:TO requests per second over --duration.")
        var ramp: String?

        @Flag(help: "Find the highest rate that meets --slo: a closed-loop step, then --sweep-steps open-loop steps sharing --duration.")
        var sweep = false

        @Option(help: "Open-loop steps of a sweep.")
        var sweepSteps = 5

        @Option(help: "Share of a step's requests that must meet the SLOs for the step to pass.")
        var sweepGoodput = 0.95

        @Option(help: "Measure for this long, e.g. 30s or 2m.")
        var duration: String?

        @Option(help: "Measure this many requests.")
        var requests: Int?

        @Option(help: "Requests sent first and not counted.")
        var warmup = 0

        @Option(help: "Synthetic prompts of about this many tokens.")
        var promptTokens = 64

        @Option(help: "Output tokens to ask for (num_predict / max_tokens).")
        var outputTokens = 64

        @Option(help: "Prompts from a JSONL file ({\"prompt\": ..., \"max_tokens\": N} per line) instead of synthetic ones.")
        var prompts: String?

        @Option(help: "Seed of synthetic prompts and Poisson arrivals.")
        var seed: UInt64 = 1

        @Option(help: "Service-level objectives for goodput, e.g. ttft=500ms,itl=50ms,e2e=10s.")
        var slo: String?

        @Option(help: "A request unfinished after this long is a timeout.")
        var timeout = "120s"

        @Option(help: "Open loop: most requests in flight; later sends wait and their lag is reported.")
        var maxInFlight = 4096

        @Option(help: "Write a PerformanceReport (JSON) with every request's numbers here.")
        var output: String?

        @Option(help: "Benchmark name in the report (default load/<api>-<endpoint>).")
        var name: String?

        func validate() throws {
            let modes = [rate != nil, ramp != nil, sweep].filter { $0 }.count + (concurrency != nil && !sweep ? 1 : 0)
            if modes > 1 { throw ValidationError("--concurrency, --rate, --ramp and --sweep exclude each other: pick one load model") }
            if modes == 0 {
                throw ValidationError("say how to load: --concurrency C (closed loop), --rate R (open loop), --ramp FROM:TO or --sweep")
            }
            if sweep {
                if slo == nil { throw ValidationError("--sweep needs --slo: it finds the highest rate that meets it") }
                if duration == nil { throw ValidationError("--sweep needs --duration, shared by its steps") }
                if sweepSteps < 1 { throw ValidationError("--sweep-steps: must be at least 1") }
                if !(sweepGoodput > 0 && sweepGoodput <= 1) { throw ValidationError("--sweep-goodput: must be in (0, 1]") }
            }
            if duration == nil && requests == nil { throw ValidationError("bound the run: give --duration (e.g. 30s) and/or --requests N") }
            if ramp != nil && duration == nil { throw ValidationError("--ramp needs --duration: the rate rises over it") }
            if let concurrency, concurrency < 1 { throw ValidationError("--concurrency: must be at least 1, got \(concurrency)") }
            if let rate, !(rate > 0 && rate.isFinite) { throw ValidationError("--rate: must be a positive number of requests per second") }
            if let requests, requests < 1 { throw ValidationError("--requests: must be at least 1, got \(requests)") }
            if warmup < 0 { throw ValidationError("--warmup: must be 0 or more") }
            if promptTokens < 1 || outputTokens < 1 { throw ValidationError("--prompt-tokens and --output-tokens must be at least 1") }
            if maxInFlight < 1 { throw ValidationError("--max-in-flight: must be at least 1") }
            for given in url where !(given.hasPrefix("http://") || given.hasPrefix("https://")) {
                throw ValidationError("--url: \"\(given)\" is not an http(s) URL; write e.g. http://127.0.0.1:8080")
            }
            if url.count > 1, sweep {
                throw ValidationError("--sweep takes one --url; a side-by-side run (several --url) takes --concurrency, --rate or --ramp")
            }
            if Set(url.map(LoadTarget.normalized)).count < url.count {
                throw ValidationError("--url: the same server is given twice; a side-by-side run needs different servers")
            }
        }

        func run() async throws {
            let durationSeconds = try duration.map { try Self.seconds($0, flag: "--duration") }
            let timeoutSeconds = try Self.seconds(timeout, flag: "--timeout")
            let objectives: SLO?
            do {
                objectives = try slo.map { try SLO.parse($0) }
            } catch {
                throw ValidationError("--slo: \(error)")
            }
            if sweep, let objectives {
                try await runSweep(slo: objectives, duration: durationSeconds ?? 0, timeout: timeoutSeconds)
                return
            }
            let mode: LoadMode
            do {
                if let concurrency {
                    mode = .closed(concurrency: concurrency)
                } else if let rate {
                    mode = .open(try OpenLoopSchedule(rate: rate, arrivals: arrivals, seed: seed))
                } else {
                    mode = .ramp(try Self.ramp(ramp ?? "", duration: durationSeconds ?? 0, arrivals: arrivals, seed: seed))
                }
            } catch let error as ValidationError {
                throw error
            } catch {
                throw ValidationError("\(error)")
            }
            let promptSource = try promptProvider()
            let lanes = try url.map { url in
                try Self.runner(
                    target: LoadTarget(
                        url: url, model: model, api: api, endpoint: endpoint, stream: stream, timeoutSeconds: timeoutSeconds),
                    prompt: promptSource)
            }
            Interrupt.install()
            let tty = isatty(STDERR_FILENO) == 1
            let options = LoadOptions(
                mode: mode, duration: durationSeconds, requests: requests, warmup: warmup, maxInFlight: maxInFlight)
            let show: @Sendable (LoadProgress) -> Void = { progress in Self.show(progress, tty: tty) }
            let runs: [[RequestResult]]
            let elapsed: Double
            if lanes.count == 1 {
                let run = await lanes[0].run(options, stop: { Interrupt.raised }, progress: show)
                (runs, elapsed) = ([run.results], run.elapsed)
            } else {
                (runs, elapsed) = try await SideBySide(lanes: lanes).run(options, stop: { Interrupt.raised }, progress: show)
            }
            if tty { FileHandle.standardError.write(Data("\n".utf8)) }
            let summaries = runs.map { LoadSummary(results: $0, elapsed: elapsed, slo: objectives) }
            let names = lanes.map(\.target.url)
            for (name, summary) in zip(names, summaries) {
                if lanes.count > 1 { print("== \(name)") }
                print(summary.text(), terminator: lanes.count > 1 ? "\n" : "")
            }
            print(AddedLatency.table(names: names, summaries: summaries), terminator: "")
            if Interrupt.raised { print("(interrupted: partial results)") }
            if let output {
                let base = name ?? "load/\(api.rawValue)-\(endpoint.rawValue)"
                try Self.write(
                    runs.indices.map { lane in
                        LoadReport.performanceReport(
                            results: runs[lane], summary: summaries[lane],
                            benchmark: lanes.count == 1 ? base : "\(base)@\(names[lane])", metadata: Metadata.current())
                    }, to: output)
            }
        }

        /// Writes `reports` as one report with all their benchmarks (a lane's or a sweep step's each).
        private static func write(_ reports: [PerformanceReport], to output: String) throws {
            var combined = reports[0]
            combined.benchmarks = reports.flatMap(\.benchmarks)
            do {
                try combined.write(to: output)
            } catch {
                throw ValidationError("--output \(output): \(error)")
            }
            print("report written to \(output)")
        }

        /// `--sweep`: the steps one after another, a table, the answer, and a report with a benchmark per step.
        private func runSweep(slo: SLO, duration: Double, timeout: Double) async throws {
            let target = LoadTarget(url: url[0], model: model, api: api, endpoint: endpoint, stream: stream, timeoutSeconds: timeout)
            let runner = try Self.runner(target: target, prompt: try promptProvider())
            Interrupt.install()
            let plan = Sweep(steps: sweepSteps, goodputTarget: sweepGoodput, concurrency: concurrency ?? 32)
            let tty = isatty(STDERR_FILENO) == 1
            let steps = await runner.sweep(
                plan, stepSeconds: duration / Double(sweepSteps + 1), slo: slo, warmup: warmup, maxInFlight: maxInFlight, seed: seed,
                stop: { Interrupt.raised }) { progress in Self.show(progress, tty: tty) }
            if tty { FileHandle.standardError.write(Data("\n".utf8)) }
            print("step          offered     achieved    goodput   p95 TTFT    p95 e2e")
            for step in steps {
                let kind = step.rate == nil ? "closed loop" : "open loop"
                let offered = step.rate.map { String(format: "%.1f/s", $0) } ?? "flat out"
                let columns = [
                    kind.padding(toLength: 12, withPad: " ", startingAt: 0), Self.right(offered, 9),
                    Self.right(String(format: "%.1f/s", step.summary.requestThroughput), 11),
                    Self.right(String(format: "%.1f%%", (step.summary.goodput ?? 0) * 100), 10),
                    Self.right(String(format: "%.0fms", (step.summary.ttft?.p95 ?? .nan) * 1000), 10),
                    Self.right(String(format: "%.0fms", (step.summary.e2e?.p95 ?? .nan) * 1000), 10),
                ]
                print(columns.joined(separator: " "))
            }
            if let best = plan.best(steps) {
                print("highest rate meeting \(slo.text()) for \(Int(sweepGoodput * 100))% of requests: \(String(format: "%.1f", best)) requests/s")
            } else {
                print("no open-loop step met \(slo.text()) for \(Int(sweepGoodput * 100))% of its requests")
            }
            if let output {
                let base = name ?? "load/\(api.rawValue)-\(endpoint.rawValue)"
                try Self.write(
                    steps.map { step in
                        LoadReport.performanceReport(
                            results: step.results, summary: step.summary,
                            benchmark: step.rate.map { String(format: "\(base)@%.1f", $0) } ?? "\(base)@closed",
                            metadata: Metadata.current())
                    }, to: output)
            }
        }

        static func right(_ text: String, _ width: Int) -> String {
            String(repeating: " ", count: max(0, width - text.count)) + text
        }

        static func runner(
            target: LoadTarget, prompt: @escaping @Sendable (Int) -> (text: String, maxTokens: Int?)
        ) throws -> LoadRunner {
            do {
                return try LoadRunner(target: target, prompt: prompt)
            } catch {
                throw ValidationError(error.description)
            }
        }

        private func promptProvider() throws -> @Sendable (Int) -> (text: String, maxTokens: Int?) {
            let outputTokens = outputTokens
            if let prompts {
                let file: PromptFile
                do {
                    file = try PromptFile(path: prompts)
                } catch {
                    throw ValidationError("--prompts: \(error)")
                }
                return { index in
                    let entry = file.prompt(index)
                    return (entry.text, entry.maxTokens ?? outputTokens)
                }
            }
            let synthetic = SyntheticPrompts(seed: seed, promptTokens: promptTokens, outputTokens: outputTokens)
            return { index in (synthetic.prompt(index), outputTokens) }
        }

        static func seconds(_ text: String, flag: String) throws -> Double {
            guard let value = GoDuration.parse(text), value > 0 else {
                throw ValidationError("\(flag): \"\(text)\" is not a positive duration; write e.g. 500ms, 30s or 2m")
            }
            return value
        }

        static func ramp(_ text: String, duration: Double, arrivals: Arrivals, seed: UInt64) throws -> RampSchedule {
            let parts = text.split(separator: ":").map { Double($0) }
            guard parts.count == 2, let from = parts[0], let to = parts[1], from >= 0, to > 0 else {
                throw ValidationError("--ramp: \"\(text)\" is not FROM:TO requests per second, e.g. 1:50")
            }
            return try RampSchedule(from: from, to: to, duration: duration, arrivals: arrivals, seed: seed)
        }

        static func show(_ progress: LoadProgress, tty: Bool) {
            let p95 = progress.recentTTFT.isEmpty ? "-" : String(format: "%.0fms", percentile95(progress.recentTTFT) * 1000)
            let rate = progress.elapsed > 0 ? Double(progress.completed) / progress.elapsed : 0
            let line = String(
                format: "%6.1fs  %7d done  %8.1f req/s  p95 TTFT %@  %d errors", progress.elapsed, progress.completed, rate, p95,
                progress.failed)
            if tty {
                FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
            } else if Int(progress.elapsed.rounded()) % 5 == 0 {
                FileHandle.standardError.write(Data("\(line)\n".utf8))
            }
        }

        static func percentile95(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int(0.95 * Double(sorted.count)))]
        }
    }

    /// `load merge`: runs from several machines as one.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge load reports from several machines into one (per-request samples combined exactly).")

        @Argument(help: "Load reports written by `load --output`.")
        var reports: [String]

        @Option(help: "Write the merged report here.")
        var output: String

        func run() throws {
            guard !reports.isEmpty else { throw ValidationError("give at least one report to merge") }
            do {
                let loaded = try reports.map { path throws -> PerformanceReport in try PerformanceReport.load(path: path, format: .report) }
                let merged = try LoadReport.merge(loaded)
                try merged.write(to: output)
            } catch {
                throw ValidationError("\(error)")
            }
            print("merged \(reports.count) reports into \(output)")
        }
    }
}

/// Ctrl-C during a load run: stop sending, keep what finished, still print and write.
enum Interrupt {
    static let flag = Atomic<Bool>(false)

    /// Installs the handler; the flag is initialised first, so the handler only does an atomic store.
    static func install() {
        flag.store(false, ordering: .relaxed)
        signal(SIGINT) { _ in Interrupt.flag.store(true, ordering: .relaxed) }
    }

    static var raised: Bool { flag.load(ordering: .relaxed) }
}

extension LoadTarget.API: ExpressibleByArgument {}
extension LoadTarget.Endpoint: ExpressibleByArgument {}
extension Arrivals: ExpressibleByArgument {}
