import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// The other gateways in front of the same nodes: their base URLs, settable while the gateway
/// runs (a test cluster learns its replicas' ports after they bind).
public final class PeerList: Sendable {
    private let urls: Mutex<[String]>

    public init(_ urls: [String]) {
        self.urls = Mutex(urls.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
    }

    public var current: [String] { urls.withLock { $0 } }

    public func set(_ new: [String]) {
        urls.withLock { $0 = new.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } }
    }
}

/// Asks every peer gateway for its requests in flight (`GET /ollamamax/peer`) every
/// ``period`` and hands the answers to the pool, which counts them with its own at admission
/// (docs/optimizer.md "Several gateways"). A peer that does not answer within ``timeout``
/// counts nothing until it does: a gateway that is down has nothing in flight.
public struct PeerService: Service {
    /// How often the peers are asked: the staleness of the shared view, hence the burst two
    /// gateways may admit over a node's limit (what one admits within it, the other cannot see).
    public static let period = Duration.milliseconds(20)
    /// The longest a peer's answer is waited for.
    public static let timeout = Duration.seconds(1)
    /// The environment variable with the key sent to peers that require one (role `metrics`).
    public static let keyVariable = "OLLAMAMAX_PEER_KEY"

    let client: HTTPClient
    let pool: NodePool
    let peers: PeerList
    let authorization: String?
    let logger: Logger

    public init(client: HTTPClient, pool: NodePool, peers: PeerList, environment: [String: String], logger: Logger) {
        self.client = client
        self.pool = pool
        self.peers = peers
        authorization = environment[Self.keyVariable].flatMap { $0.isEmpty ? nil : "Bearer \($0)" }
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let urls = peers.current
                if urls.isEmpty {
                    try await Task.sleep(for: .seconds(1))
                } else {
                    await round(urls)
                    try await Task.sleep(for: Self.period)
                }
            }
        }
    }

    /// Asks every peer in `urls` once, concurrently, and applies the answers.
    public func round(_ urls: [String]) async {
        let reports = await withTaskGroup(of: PeerReport?.self) { group in
            for url in urls { group.addTask { await report(from: url) } }
            return await group.reduce(into: [PeerReport]()) { if let report = $1 { $0.append(report) } }
        }
        pool.applyPeers(reports)
    }

    private func report(from base: String) async -> PeerReport? {
        var request = HTTPClientRequest(url: base + "/ollamamax/peer")
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        do {
            let response = try await client.execute(request, deadline: .now() + TimeAmount(Self.timeout), logger: logger)
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else {
                logger.debug("peer did not report", metadata: ["peer": "\(base)", "status": "\(response.status.code)"])
                return nil
            }
            return try JSONDecoder().decode(PeerReport.self, from: Data(body.readableBytesView))
        } catch {
            logger.debug("peer did not report", metadata: ["peer": "\(base)", "error": "\(RelayRules.describe(error))"])
            return nil
        }
    }
}
