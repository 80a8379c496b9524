import AsyncHTTPClient
import Foundation
import Gateway
import Hummingbird
import LocalCluster
import Logging
import NIOCore
import NIOHTTP1
import NodeSimulator
import OllamaAPI
import Optimizer
import ServiceLifecycle
import TestHTTP
import Testing

/// Simulated nodes and a gateway in front of them, all on 127.0.0.1 with ephemeral ports.
typealias Cluster = LocalCluster

/// A fast simulated node for gateway tests: no load time, no jitter, quick tokens.
func fastNode(models: [String]? = nil, decodeRate: Double = 2000) -> SimulatorConfiguration {
    var configuration = SimulatorConfiguration()
    configuration.models = SimulatedModel.defaults
        .filter { models == nil || models!.contains($0.name) }
        .map { model in
            var fast = model
            fast.loadTime = .zero
            fast.jitter = 0
            fast.decodeTokensPerSecond = model.has("completion") ? decodeRate : model.decodeTokensPerSecond
            fast.prefillTokensPerSecond = 100_000
            return fast
        }
    configuration.limits.numParallel = 8
    return configuration
}

/// Runs `body` against a gateway over `nodes`; `configure` adjusts the gateway settings.
func withCluster<T: Sendable>(
    _ nodes: [SimulatorConfiguration],
    configure: @escaping @Sendable (inout GatewayConfiguration) -> Void = { _ in },
    _ body: @Sendable (TestClient, Cluster) async throws -> T
) async throws -> T {
    try await LocalCluster.run(
        nodes: nodes,
        configure: { configuration in
            configuration.probeInterval = .seconds(3600)  // tests probe by hand, so nothing changes behind their back
            configuration.health.successesToHealthy = 1
            // The whole suite shares two cores with Prometheus, Alertmanager, Chromium and the Python
            // clients: a probe may wait seconds for a core, and a late answer is not what these tests
            // test (neither a timeout nor the slow-probe rule that degrades a node; a fresh-clone CI
            // run saw a first probe over 1 s mark a node degraded).
            configuration.probeTimeout = .seconds(30)
            configuration.health.slowProbe = .seconds(30)
            // Static limits, as these tests were written for: a pair's adaptive limit starts at 1
            // and grows per window, which would serialise their concurrent requests at first.
            // The adaptive tests (AdaptiveClusterTests) choose their level.
            configuration.optimization.level = .off
            configure(&configuration)
        }
    ) { cluster in
        try await body(TestClient(base: cluster.gatewayURL), cluster)
    }
}

struct ClusterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Waits until `condition` holds, yielding in between; fails after `seconds` of real time: a bound
/// for a hang, far beyond what the condition needs even when the whole suite shares two cores (5 s
/// ran out there while the suite's first minutes kept both cores busy).
func eventually(
    within seconds: Double = 60,
    _ what: String,
    _ condition: @Sendable () async -> Bool
) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if await condition() { return }
        await Task.yield()
    }
    throw ClusterError("timed out waiting until \(what)")
}
