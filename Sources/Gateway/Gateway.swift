import Alerting
import AsyncHTTPClient
import Console
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import OllamaAPI
import ServiceLifecycle
import Telemetry

/// The OllamaMax gateway: one Ollama-compatible endpoint over many Ollama nodes.
///
/// Build the application with ``makeApplication(onServerRunning:)``, run it (with the node
/// monitor it contains), then call ``shutdown()`` to close the connections to the nodes.
public struct Gateway: Sendable {
    public let configuration: GatewayConfiguration
    public let pool: NodePool
    /// Every metric the gateway records; `GET /metrics` renders it.
    public let metrics: GatewayMetrics
    /// The sampled history of derived series (`/ollamamax/history`), sampled always.
    public let history: MetricHistory
    /// The embedded alerting and its series store (the dashboard's data too).
    public let alerts: AlertService
    /// Wakes the open dashboards at each sample.
    let broadcast = SampleBroadcast()
    let client: HTTPClient
    /// The fast path for the routed inference endpoints.
    let dataPlane: DataPlane
    let logger: Logger
    /// The event loops that serve clients and talk to the nodes.
    let eventLoopGroup: any EventLoopGroup
    /// The slow knobs and their decisions (``IntervalService``); nil at optimization level `off`.
    let intervalLog: IntervalLog?
    /// The other gateways in front of the same nodes (``PeerService``), from `--peer`.
    public let peers: PeerList
    /// The one CPU profiler of `/debug/pprof/profile` and continuous profiling (one profile at a time).
    let profiler = CPUProfiler()
    /// Continuous profiling, when asked for and the debug endpoints are served.
    public let continuousProfiler: ContinuousProfiler?

    /// The version `ollamamax_build_info` reports.
    public static let version = "0.1.0"

    /// - Parameter eventLoopGroup: the NIO threads for the server and the node client; the
    ///   process-wide singleton (one thread per core) unless a benchmark sizes its own.
    /// - Parameter alerts: the embedded alerting with its rules and receivers
    ///   (``AlertService/load(settings:instance:externalURL:logger:)``); nil: none, the store alone.
    public init(
        configuration: GatewayConfiguration,
        logger: Logger? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        alerts: AlertService? = nil
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger ?? Logger(label: "ollamamax.gateway")
        metrics = GatewayMetrics(
            metrics: Metrics(detailed: configuration.monitoring.enabled, modelLimit: configuration.monitoring.modelLabelLimit)
        )
        history = MetricHistory(
            capacity: configuration.monitoring.historySamples,
            intervalSeconds: configuration.monitoring.sampleInterval.inSeconds
        )
        self.alerts = alerts ?? Self.alertService(configuration, logger: logger ?? Logger(label: "ollamamax.gateway"))
        metrics.metrics.family(MetricCatalog.buildInfo).set(
            1,
            Self.version,
            configuration.monitoring.enabled ? "enabled" : "disabled"
        )
        pool = NodePool(
            nodes: configuration.nodes,
            strategy: configuration.strategy,
            limits: configuration.queue,
            health: configuration.health,
            circuit: configuration.circuit,
            optimization: configuration.optimization.level,
            logger: self.logger
        )
        var clientConfiguration = HTTPClient.Configuration()
        // This client probes the nodes and carries the router's node requests (pulls, blobs,
        // aggregation); a probe is bounded by its own timeout, so a short idle timeout for
        // answers must not cut it: the read timeout is the longer of the two.
        clientConfiguration.timeout = .init(
            connect: TimeAmount(configuration.connectTimeout),
            read: TimeAmount(max(configuration.idleTimeout, configuration.probeTimeout))
        )
        clientConfiguration.connectionPool = .init(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: 2048
        )
        clientConfiguration.decompression = .disabled
        clientConfiguration.redirectConfiguration = .disallow
        // https nodes: the system's roots plus `nodeTrust`'s (a private CA).
        clientConfiguration.tlsConfiguration = NodeTrust.clientConfiguration(configuration.nodeTrust)
        client = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: clientConfiguration)
        dataPlane = DataPlane(pool: pool, configuration: configuration, metrics: metrics, logger: self.logger)
        intervalLog = Self.intervalLog(configuration)
        peers = PeerList(configuration.optimization.peers)
        continuousProfiler =
            configuration.continuousProfiling && configuration.servesDebugEndpoints ? ContinuousProfiler(profiler: profiler) : nil
        // The heap sampler is the process's: started once, kept running (a rate of 0 leaves it as it is).
        if configuration.heapProfileRate > 0 && configuration.servesDebugEndpoints && HeapSampler.meanBytes != configuration.heapProfileRate {
            do {
                try HeapSampler.start(meanBytes: configuration.heapProfileRate)
            } catch {
                self.logger.notice("heap profiling is off: \(error.description)")
            }
        }
    }

    /// The node monitor, for a first probe round before serving.
    public var monitor: NodeMonitor {
        NodeMonitor(
            client: client,
            pool: pool,
            interval: configuration.probeInterval,
            timeout: configuration.probeTimeout,
            logger: logger
        )
    }

    /// Asks the peers (``peers``) for their requests in flight; idle while there are none.
    var peerService: PeerService {
        PeerService(client: client, pool: pool, peers: peers, environment: ProcessInfo.processInfo.environment, logger: logger)
    }

    /// The embedded alerting of `configuration`: its rule files and receivers loaded, or, when
    /// they cannot be (the CLI checks them first and refuses to start), none, with an error logged.
    static func alertService(_ configuration: GatewayConfiguration, logger: Logger) -> AlertService {
        let address = "\(configuration.host):\(configuration.port)"
        let settings = configuration.alerting
        guard !settings.ruleFiles.isEmpty || settings.notificationsFile != nil else {
            return AlertService(settings: settings, instance: address, logger: logger)
        }
        do {
            return try AlertService.load(settings: settings, instance: address, externalURL: "http://\(address)", logger: logger)
        } catch {
            logger.error("alerting is off: \(error.description)")
            return AlertService(settings: settings, instance: address, logger: logger)
        }
    }

    /// The `/metrics` handler, which also refreshes the read-on-demand gauges for the sampler.
    var metricsEndpoint: MetricsEndpoint {
        MetricsEndpoint(metrics: metrics, pool: pool, alerts: alerts, logger: logger)
    }

    /// The history sampler: each scrape of the registry becomes a history point, goes into the
    /// alerting's series store and wakes the open dashboards.
    public var sampler: MetricsSampler {
        let endpoint = metricsEndpoint
        let alerts = alerts
        let broadcast = broadcast
        return MetricsSampler(metrics: metrics.metrics, history: history, logger: logger) {
            await endpoint.refresh()
        } observe: { families, date in
            alerts.ingest(families, at: date)
            broadcast.send(date.timeIntervalSince1970)
        }
    }

    /// The dashboard's data: the panels over the series store.
    var dashboardFeed: DashboardFeed {
        DashboardFeed(
            store: alerts.store,
            interval: configuration.monitoring.sampleInterval.inSeconds,
            window: min(configuration.alerting.retention.inSeconds, 3600),
            monitoring: configuration.monitoring.enabled
        )
    }

    /// Every route, ready to serve.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        let proxy = Proxy(client: client, pool: pool, configuration: configuration, metrics: metrics, logger: logger)
        let routes = GatewayRoutes(
            proxy: proxy,
            aggregation: Aggregation(client: client, pool: pool, timeout: configuration.probeTimeout, logger: logger),
            management: ModelManagement(client: client, pool: pool, proxy: proxy, configuration: configuration, logger: logger),
            blobs: Blobs(client: client, pool: pool, configuration: configuration, logger: logger),
            metricsEndpoint: metricsEndpoint,
            history: history,
            pool: pool,
            configuration: configuration,
            access: dataPlane.access,
            intervalLog: intervalLog
        )
        routes.register(on: router)
        ConsoleRoutes(alerts: alerts, feed: dashboardFeed, broadcast: broadcast, history: history, pool: pool)
            .register(on: router, access: dataPlane.access)
        if configuration.servesDebugEndpoints {
            DebugRoutes(profiler: profiler, continuous: continuousProfiler).register(on: router)
        }
        return router
    }

    /// The gateway as a Hummingbird application whose services include the node monitor; the
    /// first probe round completes before the server accepts requests.
    public func makeApplication(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        var app = Application(
            router: makeRouter(),
            // The data plane answers the routed endpoints and keeps the idle timeout for every request.
            server: DataPlaneChannel.builder(dataPlane, tls: configuration.tls),
            // A deep accept backlog: a thousand clients connecting at once must not wait for SYN retries.
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "ollamamax",
                backlog: 4096
            ),
            services: [monitor, sampler, alerts, peerService, BroadcastEnd(broadcast: broadcast)] + (intervalService.map { [$0] } ?? [])
                + (continuousProfiler.map { [$0] } ?? []),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            eventLoopGroupProvider: .shared(eventLoopGroup),
            logger: logger
        )
        let monitor = monitor
        let alerts = alerts
        app.beforeServerStarts {
            await monitor.probeAll()
            alerts.startScraping()
        }
        return app
    }

    /// Closes the node connections; call after the application has stopped.
    public func shutdown() async throws {
        await dataPlane.upstreams.closeAll()
        try await client.shutdown()
    }
}
