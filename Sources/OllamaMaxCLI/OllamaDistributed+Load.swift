import ArgumentParser
import Foundation
import LoadGenerator
import OllamaAPI
import PerfReport

extension OllamaDistributed {
    /// `load`: LLM load against any Ollama-, OpenAI-, Anthropic Messages- or OpenAI Responses-compatible endpoint.
    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load-test an Ollama, OpenAI, Anthropic Messages or OpenAI Responses endpoint with exact per-token timing.",
            subcommands: [Run.self, Merge.self],
            defaultSubcommand: Run.self
        )
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
                """
        )

        @Option(help: "The server, e.g. http://127.0.0.1:8080; repeat it for a side-by-side run.")
        var url: [String]

        @Option(help: "The model to ask.")
        var model: String

        @Option(help: "API: ollama, openai, anthropic (/v1/messages) or responses (OpenAI Responses, /v1/responses).")
        var api: LoadTarget.API = .ollama

        @Option(help: "Endpoint: generate, chat or embed (default generate; chat for anthropic and responses, which have only chat).")
        var endpoint: LoadTarget.Endpoint?

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

        @Option(help: "Read the target's /metrics this often for the report's CPU, memory and threads timeline.")
        var sampleInterval = "1s"

        func run() async throws {
            let endpoint = try chosenEndpoint()
            let duration = try duration.map { text throws(CLIError) in try DurationFlag.positive(text, flag: "--duration") }
            let timeout = try DurationFlag.positive(timeout, flag: "--timeout")
            let objectives: SLO?
            do {
                objectives = try slo.map { text throws(LoadError) in try SLO.parse(text) }
            } catch {
                throw CLIError.invalidInput("--slo: \(error)")
            }
            let prompt = try promptProvider()
            let lanes = try url.map { url throws(CLIError) in
                try Self.runner(
                    LoadTarget(
                        url: url,
                        model: model,
                        api: api,
                        endpoint: endpoint,
                        stream: stream,
                        timeout: timeout,
                        credential: GatewayCredential.fromEnvironment()
                    ),
                    prompt: prompt
                )
            }
            let stop = InterruptSignal.install()
            let tty = isatty(STDERR_FILENO) == 1
            let show: @Sendable (LoadProgress) -> Void = { progress in
                if let text = progress.rendered(onTerminal: tty) { FileHandle.standardError.write(Data(text.utf8)) }
            }
            let benchmark = name ?? "load/\(api.rawValue)-\(endpoint.rawValue)"
            let interval = try DurationFlag.positive(sampleInterval, flag: "--sample-interval")
            if interval < .milliseconds(100) {
                throw CLIError.invalidInput("--sample-interval: \"\(sampleInterval)\" is shorter than 100ms; write e.g. 1s")
            }
            let (sampler, samplingLine) = await resourceSampler(interval: interval)
            print(samplingLine)
            let report: PerformanceReport
            var refusal: String?
            if sweep, let objectives, let duration {
                let plan = Sweep(steps: sweepSteps, goodputTarget: sweepGoodput, concurrency: concurrency ?? 32)
                report = await Self.recordingResources(sampler) {
                    let steps = await lanes[0].sweep(
                        plan,
                        step: plan.stepDuration(total: duration),
                        slo: objectives,
                        warmup: warmup,
                        maxInFlight: maxInFlight,
                        seed: seed,
                        stop: stop,
                        progress: show
                    )
                    if tty { FileHandle.standardError.write(Data("\n".utf8)) }
                    print(Sweep.table(steps) + plan.conclusion(steps, slo: objectives))
                    return LoadReport.sweep(steps, benchmark: benchmark, metadata: Metadata.current())
                }
            } else {
                let options = LoadOptions(
                    mode: try mode(duration: duration),
                    duration: duration,
                    requests: requests,
                    warmup: warmup,
                    maxInFlight: maxInFlight
                )
                guard let sideBySide = try? SideBySide(lanes: lanes) else { throw CLIError.invalidInput("--url: give at least one server") }
                report = await Self.recordingResources(sampler) {
                    let (runs, elapsed) = await sideBySide.run(options, stop: stop, progress: show)
                    refusal = zip(lanes, runs).lazy.compactMap { $0.target.refusal(in: $1) }.first
                    if tty { FileHandle.standardError.write(Data("\n".utf8)) }
                    let summaries = runs.map { LoadSummary(results: $0, elapsed: elapsed, slo: objectives) }
                    let servers = lanes.map(\.target.url)
                    print(SideBySide.text(servers: servers, summaries: summaries), terminator: "")
                    return LoadReport.sideBySide(
                        results: runs,
                        summaries: summaries,
                        servers: servers,
                        benchmark: benchmark,
                        metadata: Metadata.current()
                    )
                }
            }
            if InterruptSignal.raised { print("(interrupted: partial results)") }
            if let output {
                do {
                    try report.write(to: output)
                } catch {
                    throw CLIError.invalidInput("--output: \(error)")
                }
                print("report written to \(output)")
            }
            if let refusal { throw CLIError.failure(refusal, code: 1) }
        }
    }
}
