import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import OllamaAPI
import ServiceLifecycle

/// Probes every node on an interval: `/api/version` for health and probe latency, then
/// `/api/tags` (inventory) and `/api/ps` (residency), and feeds the results to the pool.
public struct NodeMonitor: Service {
    let client: HTTPClient
    let pool: NodePool
    let interval: Duration
    let timeout: Duration
    let logger: Logger

    /// - Parameters:
    ///   - interval: the time between probe rounds.
    ///   - timeout: a probe that takes longer fails.
    public init(client: HTTPClient, pool: NodePool, interval: Duration, timeout: Duration, logger: Logger) {
        self.client = client
        self.pool = pool
        self.interval = interval
        self.timeout = timeout
        self.logger = logger
    }

    /// Probes every `interval`, starting one interval from now: the gateway runs the
    /// first round itself before it accepts requests.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                await probeAll()
            }
        }
    }

    /// One probe round over every node, concurrently.
    public func probeAll() async {
        await probe(pool.endpoints)
    }

    /// One probe round over `endpoints`, concurrently.
    func probe(_ endpoints: [NodeEndpoint]) async {
        await withTaskGroup(of: Void.self) { group in
            for endpoint in endpoints {
                group.addTask { await probe(endpoint) }
            }
        }
    }

    private func probe(_ endpoint: NodeEndpoint) async {
        let started = ContinuousClock.now
        do {
            let version = try await get(endpoint.url + "/api/version", as: VersionResponse.self)
            let latency = (ContinuousClock.now - started).inSeconds
            async let tags = get(endpoint.url + "/api/tags", as: ListResponse.self)
            async let running = get(endpoint.url + "/api/ps", as: ProcessResponse.self)
            let models = try? await Set(tags.models.map { ModelKey.normalize($0.name) })
            let resident = try? await Set(running.models.map { ModelKey.normalize($0.name) })
            pool.applyProbe(
                endpoint.id,
                latency: latency,
                version: version.version,
                models: models,
                resident: resident,
                error: nil
            )
        } catch {
            let message = "probe failed: \(RelayRules.describe(error))"
            logger.debug("node probe failed", metadata: ["node": "\(endpoint.id)", "error": "\(message)"])
            pool.applyProbe(endpoint.id, latency: nil, version: nil, models: nil, resident: nil, error: message)
        }
    }

    private func get<T: Decodable>(_ url: String, as type: T.Type) async throws -> T {
        let response = try await client.execute(
            HTTPClientRequest(url: url),
            deadline: .now() + TimeAmount(timeout),
            logger: logger
        )
        guard response.status == .ok else { throw ProbeError(status: Int(response.status.code)) }
        let body = try await response.body.collect(upTo: 16 << 20)
        return try OllamaJSON.decode(T.self, from: Data(body.readableBytesView))
    }

    struct ProbeError: Error, CustomStringConvertible {
        let status: Int
        var description: String { "HTTP \(status)" }
    }
}
