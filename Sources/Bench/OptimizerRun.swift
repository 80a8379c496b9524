import Foundation
import Gateway
import LoadGenerator
import LocalCluster
import NodeSimulator
import OllamaAPI

/// What one variant's run of an optimizer comparison measured: the measured requests and what
/// the gateway's limits and the nodes' in-flight counts did meanwhile.
struct OptimizerRunResult: Sendable {
    /// The requests sent after the warm-up, timed from the run's start.
    var results: [RequestResult]
    /// Seconds of measured load.
    var measuredSeconds: Double
    /// Each node's adaptive limit for the model (node id → limit) when the slowdown began,
    /// else halfway; empty at level `off`.
    var limitsAtChange: [String: Int]
    /// Each node's adaptive limit at the end of the run; empty at level `off`.
    var limitsAtEnd: [String: Int]
    /// The lowest adaptive limit each node had after the slowdown (or halfway).
    var lowestLimitsAfterChange: [String: Int]
    /// The most requests each node held at once (in its slots and its own queue), as sampled
    /// during the measured load (slow start's overshoot in the warm-up is not counted).
    var peakNodeInFlight: [String: Int]
    /// The optimizer's decisions during the run by kind (`increase`, `decrease`, `drop_cut`).
    var decisionCounts: [String: Int] = [:]
}

/// Plays one variant of an ``OptimizerComparison`` once: simulated nodes and the variant's
/// gateway, an unmeasured warm-up at the same rate, then the measured load, with the planned
/// slowdown applied to the node in process at its time.
struct OptimizerRun: Sendable {
    let comparison: OptimizerComparison
    let variant: OptimizerComparison.Variant
    let nodes: [SimulatorConfiguration]
    /// Measured load.
    let measured: Duration
    /// Unmeasured load before it at the same rate, so every variant starts measuring from a
    /// gateway that has seen traffic (the optimizer's slow start is not what is compared).
    let warmup: Duration
    let requestTimeout: Duration
    let threads: Int
    /// How often the limits and the nodes' in-flight counts are read.
    var sampleEvery: Duration = .milliseconds(100)

    /// The model every request asks for.
    static let model = Scenario.model

    /// Requests per second offered: the comparison's share of the nodes' summed capacity.
    var rate: Double { comparison.loadFactor * nodes.map(OptimizerComparison.capacity(of:)).reduce(0, +) }

    func run() async throws -> OptimizerRunResult {
        let variant = variant
        let queueTimeout = comparison.queueTimeout
        let setUp: @Sendable (inout GatewayConfiguration) -> Void = { configuration in
            if let queueTimeout { configuration.queue.queueTimeout = queueTimeout }
            for index in configuration.nodes.indices {
                configuration.nodes[index].maxInFlight = variant.maxInFlight
            }
            configuration.health.successesToHealthy = 1
            configuration.monitoring.enabled = false
            // The slow knobs (the gateway queue's size and timeout) act within a run of seconds,
            // not after the default 5 minutes.
            configuration.optimization = .init(level: variant.level, interval: Self.interval)
        }
        return try await LocalCluster.run(
            nodes: nodes,
            name: { "node-\($0)" },
            threads: threads,
            replicas: variant.replicas,
            peering: variant.peering,
            configure: setUp
        ) {
            cluster in
            try await BenchRunner.waitUntilServing(cluster, within: requestTimeout * 6)
            return try await play(on: cluster)
        }
    }

    /// The interval of the slow knobs in the optimizer scenarios (docs/benchmarks.md).
    static let interval = Duration.seconds(2)

    /// Plays the load: with several replicas, each gateway gets an independent Poisson stream
    /// of an equal share of the rate (their sum is a Poisson stream at the whole rate, as if a
    /// balancer split one at random); with ``OptimizerComparison/Variant/balancer`` one stream
    /// at the whole rate goes through nginx, which alternates the replicas.
    func play(on cluster: LocalCluster) async throws -> OptimizerRunResult {
        // With a balancer the whole stream goes to nginx, which alternates the replicas.
        let balancer = variant.balancer ? try await NginxBalancer(upstreams: cluster.gatewayURLs) : nil
        defer { balancer?.stop() }
        let urls = balancer.map { [$0.url] } ?? cluster.gatewayURLs
        let replicas = urls.count
        var runners: [LoadRunner] = []
        var schedules: [OpenLoopSchedule] = []
        for (index, url) in urls.enumerated() {
            schedules.append(try OpenLoopSchedule(rate: rate / Double(replicas), arrivals: .poisson, seed: 21 + UInt64(index)))
            let prompts = SyntheticPrompts(
                seed: 1 + UInt64(index),
                promptTokens: OptimizerComparison.promptWords,
                outputTokens: OptimizerComparison.outputTokens
            )
            let target = LoadTarget(url: url, model: Self.model, api: .ollama, stream: true, timeout: requestTimeout)
            do {
                runners.append(try LoadRunner(target: target) { index in (prompts.prompt(index), OptimizerComparison.outputTokenRange.upperBound) })
            } catch {
                throw BenchError("cannot load \(url): \(error)")
            }
        }
        let total = warmup + measured
        let changeAt = warmup + measured * (comparison.slowdown?.atShare ?? 0.5)
        let watcher = LimitWatcher(cluster: cluster, measureFrom: warmup, changeAt: changeAt, every: sampleEvery)
        let slowdown = comparison.slowdown
        let started = ContinuousClock.now
        let watching = Task { await watcher.watch(from: started, until: started + total) }
        let slowing = Task {
            guard let slowdown, cluster.simulators.indices.contains(slowdown.node) else { return }
            try? await Task.sleep(until: started + changeAt, clock: .continuous)
            cluster.simulators[slowdown.node].load.setFactor(slowdown.factor)
        }
        let results = await withTaskGroup(of: [RequestResult].self) { group in
            for (runner, schedule) in zip(runners, schedules) {
                group.addTask { await runner.run(LoadOptions(mode: .open(schedule), duration: total, requests: nil)).0 }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        slowing.cancel()
        watching.cancel()
        let watched = await watching.value
        let warmupSeconds = warmup.inSeconds
        var decisionCounts: [String: Int] = [:]
        for gateway in cluster.gateways { decisionCounts.merge(gateway.pool.optimizerSnapshot().decisionCounts, uniquingKeysWith: +) }
        return OptimizerRunResult(
            results: results.filter { $0.intendedStart >= warmupSeconds },
            measuredSeconds: measured.inSeconds,
            limitsAtChange: watched.atChange,
            limitsAtEnd: cluster.optimizerLimits(model: Self.model),
            lowestLimitsAfterChange: watched.lowestAfterChange,
            peakNodeInFlight: watched.peakInFlight,
            decisionCounts: decisionCounts
        )
    }
}

/// Reads the adaptive limits and the nodes' in-flight counts while a run plays.
struct LimitWatcher: Sendable {
    let cluster: LocalCluster
    /// Offset from the start at which the measured load begins: peaks count from there.
    let measureFrom: Duration
    /// Offset from the start at which the limits are taken as "at the change".
    let changeAt: Duration
    let every: Duration

    struct Watched: Sendable {
        var atChange: [String: Int] = [:]
        var lowestAfterChange: [String: Int] = [:]
        var peakInFlight: [String: Int] = [:]
    }

    /// Samples until `end` or cancellation, bounded by the number of samples that fit.
    func watch(from start: ContinuousClock.Instant, until end: ContinuousClock.Instant) async -> Watched {
        var watched = Watched()
        let names = cluster.gateway.pool.endpoints.map(\.id)
        let bound = Int(((end - start) / every).rounded(.up)) + 1
        for _ in 0..<bound {
            let now = ContinuousClock.now
            guard now < end, !Task.isCancelled else { break }
            let limits = cluster.optimizerLimits(model: OptimizerRun.model)
            if now - start < changeAt {
                watched.atChange = limits
            } else {
                watched.lowestAfterChange.merge(limits) { min($0, $1) }
            }
            for (name, simulator) in zip(names, cluster.simulators) where now - start >= measureFrom {
                let active = await simulator.scheduler.residents().reduce(0) { $0 + $1.active }
                let held = active + (await simulator.scheduler.pendingCount())
                watched.peakInFlight[name] = max(watched.peakInFlight[name] ?? 0, held)
            }
            try? await Task.sleep(for: every)
        }
        return watched
    }
}

extension LocalCluster {
    /// Each node's adaptive limit for `model` summed over the gateway replicas (node id → the
    /// requests all of them together let it have); empty at level `off`.
    func optimizerLimits(model: String) -> [String: Int] {
        gateways.reduce(into: [:]) { sum, gateway in sum.merge(gateway.pool.optimizerLimits(model: model), uniquingKeysWith: +) }
    }
}

extension NodePool {
    /// Each node's adaptive limit for `model` (node id → limit); empty at level `off`.
    func optimizerLimits(model: String) -> [String: Int] {
        let normalized = model.contains(":") ? model : model + ":latest"
        var limits: [String: Int] = [:]
        for pair in optimizerSnapshot().pairs where pair.model == normalized || pair.model == model {
            limits[pair.node] = pair.limit
        }
        return limits
    }
}
