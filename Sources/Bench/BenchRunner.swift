import Foundation
import Gateway
import LoadGenerator
import LocalCluster
import NodeSimulator
import OllamaAPI
import PerfReport

/// A configuration that could not be measured, with what happened.
public struct BenchFailure: Sendable, Hashable {
    /// The benchmark name, e.g. `failover/nodes=3/threads=2`.
    public var benchmark: String
    /// What went wrong: the error, or the errors every request met.
    public var message: String
}

/// What a run produced: the report (benchmarks that were measured) and what failed.
public struct BenchResult: Sendable {
    public var report: PerformanceReport
    public var failures: [BenchFailure]
}

/// Plays scenarios: for each scenario, gateway thread count and node count it starts a cluster
/// in this process, warms it up, and runs the load `count` times; each repetition adds one
/// sample to each metric. CPU and memory are sampled throughout into the report's timeline.
public struct BenchRunner: Sendable {
    public let options: BenchOptions
    /// Progress lines (one per repetition) go here.
    public let log: @Sendable (String) -> Void

    public init(options: BenchOptions, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.log = log
    }

    /// How this code was compiled: a debug build (`swift run`) serves a fraction of a release
    /// build's requests per second, so the report says which one measured.
    #if DEBUG
    static let build = "debug"
    #else
    static let build = "release"
    #endif

    /// The benchmark name for a configuration.
    public static func benchmarkName(_ scenario: Scenario, nodes: Int, threads: Int) -> String {
        "\(scenario.name)/nodes=\(nodes)/threads=\(threads)"
    }

    /// Runs everything; never throws: a configuration that fails is listed in ``BenchResult/failures``
    /// and in the report's `failed_benchmarks` label, and the others still run.
    public func run(metadata: Metadata) async -> BenchResult {
        let sampler = ResourceSampler(interval: options.sampleInterval)
        sampler.start()
        var benchmarks: [Benchmark] = []
        var failures: [BenchFailure] = []
        for threads in options.gatewayThreads {
            for scenario in options.scenarios {
                if let comparison = scenario.comparison {
                    let bench = OptimizerBench(scenario: scenario, comparison: comparison, options: options, threads: threads, log: log)
                    let (measured, failed) = await bench.run()
                    benchmarks += measured
                    failures += failed
                    continue
                }
                let nodeCounts = scenario.scalesWithNodes ? options.nodeCounts : [scenario.fixedNodes]
                var measured: [Int: Benchmark] = [:]
                for nodes in nodeCounts {
                    let name = Self.benchmarkName(scenario, nodes: nodes, threads: threads)
                    do {
                        var benchmark = try await measure(scenario, nodes: nodes, threads: threads, name: name, sampler: sampler)
                        if nodes > 1, let single = measured[1] {
                            benchmark.metrics += Self.scalingEfficiency(benchmark, over: single, nodes: nodes)
                        }
                        measured[nodes] = benchmark
                        benchmarks.append(benchmark)
                    } catch {
                        log("\(name): FAILED: \(error)")
                        failures.append(BenchFailure(benchmark: name, message: "\(error)"))
                    }
                }
            }
        }
        var metadata = metadata
        if !failures.isEmpty {
            metadata.labels = (metadata.labels ?? [:]).merging(
                [PerformanceGate.failedLabel: failures.map { "\($0.benchmark): \($0.message)" }.joined(separator: "; ")]) { $1 }
        }
        metadata.labels = (metadata.labels ?? [:]).merging([
            "bench_count": "\(options.count)", "bench_duration_seconds": "\(options.duration.inSeconds)",
            PerformanceGate.buildLabel: Self.build,
        ]) { $1 }
        let report = PerformanceReport(metadata: metadata, benchmarks: benchmarks, timeline: sampler.stop())
        return BenchResult(report: report, failures: failures)
    }

    /// One configuration: `count` repetitions over one cluster.
    func measure(_ scenario: Scenario, nodes: Int, threads: Int, name: String, sampler: ResourceSampler) async throws -> Benchmark {
        let nodeConfigurations = (0..<nodes).map { scenario.node($0, nodes) }
        let options = options
        let log = log
        let setUp: @Sendable (inout GatewayConfiguration) -> Void = { configuration in
            for index in configuration.nodes.indices {
                // 64 in flight is far above the capacity-bound nodes' 4 slots; the capacity
                // scenario's node has more slots than its clients, so nothing waits at the gateway.
                configuration.nodes[index].maxInFlight = max(64, nodeConfigurations[index].limits.numParallel)
                configuration.nodes[index].numParallel = nodeConfigurations[index].limits.numParallel
            }
            configuration.queue = .init(queueSize: 4096, queueTimeout: .seconds(30))
            configuration.health.successesToHealthy = 1
            configuration.monitoring.enabled = false
        }
        return try await LocalCluster.run(
            nodes: nodeConfigurations,
            name: { "node-\($0)" },
            threads: threads,
            configure: setUp
        ) { cluster in
            try await Self.waitUntilServing(cluster, within: options.requestTimeout * 6)
            let clients = scenario.load.clientsPerNode * nodes
            let gatewayRunner = try Self.runner(url: cluster.gatewayURL, scenario: scenario, timeout: options.requestTimeout)
            let directRunner =
                scenario.measureDirect
                ? try Self.runner(url: cluster.nodeURLs[0], scenario: scenario, timeout: options.requestTimeout) : nil
            let load = LoadOptions(mode: .closed(concurrency: clients), duration: options.duration, requests: nil, warmup: clients)
            var repetitions: [Repetition] = []
            for index in 0..<options.count {
                // Direct and gateway alternate which goes first, so drift of the machine hits both alike.
                var direct: LoadSummaryWithResults?
                if let directRunner, index % 2 == 1 { direct = await Self.play(directRunner, load) }
                let before = cluster.gateway.pool.status().map(\.requests)
                let pointsBefore = sampler.points.count
                let cpuBefore = ResourceSampler.cpuSeconds()
                let startedAt = ContinuousClock.now
                let gateway: LoadSummaryWithResults
                if index == 0, let directory = options.profileDirectory {
                    gateway = await BenchProfiles(directory: directory).recording(name, seconds: options.duration.inSeconds, log: log) {
                        await Self.play(gatewayRunner, load)
                    }
                } else {
                    gateway = await Self.play(gatewayRunner, load)
                }
                let wall = (ContinuousClock.now - startedAt).inSeconds
                let cpuAfter = ResourceSampler.cpuSeconds()
                let after = cluster.gateway.pool.status().map(\.requests)
                if let directRunner, index % 2 == 0 { direct = await Self.play(directRunner, load) }
                guard gateway.summary.succeeded > 0 else {
                    let messages = gateway.summary.errorMessages ?? [:]
                    let kinds = gateway.summary.errorsByKind.sorted { $0.key < $1.key }.map { kind, count in
                        "\(kind): \(count)" + (messages[kind].map { " (first: \($0))" } ?? "")
                    }
                    throw BenchError(
                        "no request succeeded in repetition \(index + 1) (\(gateway.summary.requests) sent; "
                            + "\(kinds.isEmpty ? "no answers" : kinds.joined(separator: ", ")))"
                    )
                }
                let routed = zip(after, before).map { $0 - $1 }
                var repetition = Repetition(
                    gateway: gateway,
                    direct: direct,
                    wallSeconds: wall,
                    cpuSeconds: cpuAfter.flatMap { after in cpuBefore.map { after - $0 } } ?? 0,
                    peakRSS: sampler.points.dropFirst(pointsBefore).compactMap { $0.values["rss_bytes"] }.max()
                        ?? sampler.points.last?.values["rss_bytes"] ?? 0,
                    firstNodeShare: routed.reduce(0, +) > 0 ? Double(routed[0]) / Double(routed.reduce(0, +)) : 0
                )
                repetition.cores = Double(ProcessInfo.processInfo.activeProcessorCount)
                repetitions.append(repetition)
                log(repetition.line(name: name, index: index, of: options.count))
            }
            return Self.benchmark(name: name, scenario: scenario, repetitions: repetitions)
        }
    }

    /// Probes again until the gateway takes every node in: on a loaded machine the first probe
    /// round can time out, and a node it marked unhealthy would get no traffic for a whole probe
    /// interval, so the repetitions would measure 503s instead of the scenario.
    /// - Throws: ``BenchError`` naming the nodes still out after `seconds`, with their last probe error.
    static func waitUntilServing(_ cluster: LocalCluster, within limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        while true {
            let out = cluster.gateway.pool.status().filter { $0.node.state == .unhealthy || !$0.inventoryKnown }
            if out.isEmpty { return }
            guard ContinuousClock.now < deadline else {
                let named = out.map { "\($0.node.id) (\($0.lastError ?? "no model inventory"))" }
                throw BenchError("the gateway did not take in \(named.joined(separator: ", ")) within \(String(format: "%g", limit.inSeconds)) s")
            }
            // A refused connection fails at once: a short pause keeps the retry from spinning.
            try await Task.sleep(for: .milliseconds(50))
            await cluster.gateway.monitor.probeAll()
        }
    }

    static func runner(url: String, scenario: Scenario, timeout: Duration) throws -> LoadRunner {
        let prompts = SyntheticPrompts(seed: 1, promptTokens: scenario.load.promptTokens, outputTokens: scenario.load.outputTokens)
        let outputTokens = scenario.load.outputTokens
        let api = scenario.load.api
        let target = LoadTarget(
            url: url,
            model: Scenario.model,
            api: api,
            endpoint: api.defaultEndpoint,
            stream: scenario.load.stream,
            timeout: timeout
        )
        do {
            return try LoadRunner(target: target) { index in (prompts.prompt(index), outputTokens) }
        } catch {
            throw BenchError("cannot load \(url): \(error)")
        }
    }

    static func play(_ runner: LoadRunner, _ options: LoadOptions) async -> LoadSummaryWithResults {
        let (results, elapsed) = await runner.run(options)
        return LoadSummaryWithResults(results: results, summary: LoadSummary(results: results, elapsed: elapsed))
    }
}

/// One load run's requests and their summary.
struct LoadSummaryWithResults: Sendable {
    var results: [RequestResult]
    var summary: LoadSummary
}
