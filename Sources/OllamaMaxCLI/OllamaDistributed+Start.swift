import ArgumentParser
import Foundation
import Gateway
import Hummingbird
import LocalCluster
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals

extension OllamaDistributed {
    /// `start`: the gateway.
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve one Ollama-compatible endpoint over many Ollama nodes.",
            discussion: """
                Nodes come from --node (repeatable), the nodes: list of --config, or OLLAMAMAX_NODES \
                (comma-separated URLs); with none of these, the one Ollama that OLLAMA_HOST names (as for \
                the ollama CLI), else http://127.0.0.1:11434. --simulate N starts N simulated nodes \
                in-process instead (nodes of different speeds, for trying it out and for benchmarks). \
                Settings layer as: defaults < environment < --config file < flags. The gateway listens on \
                127.0.0.1:8080 unless told otherwise; GET /ollamamax/nodes shows the nodes \
                (ollama-distributed status).
                """
        )

        @Option(help: "YAML file with nodes and gateway settings (see docs/gateway.md).")
        var config: String?

        @Option(name: .customLong("node"), help: "An Ollama node URL, e.g. http://10.0.0.5:11434 (repeatable).")
        var nodes: [String] = []

        @Option(help: "Start N simulated Ollama nodes in-process and serve them.")
        var simulate: Int?

        @Option(help: "Address to listen on, host:port.")
        var listen: String?

        @Option(help: "Routing: model-aware, least-outstanding, latency-weighted or round-robin.")
        var strategy: RoutingStrategy?

        @Option(help: "Most requests in flight per node.")
        var maxInFlight: Int?

        @Option(help: "Parallel slots per loaded model on each node (its OLLAMA_NUM_PARALLEL).")
        var numParallel: Int?

        @Option(help: "Requests that may wait for a node before the gateway answers 503.")
        var queueSize: Int?

        @Option(help: "Longest wait in the gateway queue, a duration such as 30s.")
        var queueTimeout: String?

        @Option(help: "Attempts per request while nothing has reached the client.")
        var maxAttempts: Int?

        @Option(help: "Time between node probes, a duration such as 5s.")
        var probeInterval: String?

        @Option(help: "Nodes a pull goes to (0: every healthy node).")
        var pullReplicas: Int?

        @Flag(
            help: """
                Full performance monitoring: latency histograms, time to first token, gaps between \
                tokens and the in-memory history (also ENABLE_PERFORMANCE_MONITORING=true). /metrics \
                serves counters and gauges without it.
                """
        )
        var enablePerformanceMonitoring = false

        @Flag(
            help: """
                Do not serve /debug/pprof/ (CPU profile through perf, heap statistics, threads); \
                also debug_endpoints: false in the config file.
                """
        )
        var noDebugEndpoints = false

        @Flag(
            help: """
                Continuous profiling: a 10 s CPU profile at 19 Hz every minute through perf, the last hour kept \
                in memory and merged at /debug/pprof/profile?since=15m; also continuous_profiling: true in the \
                config file. Off by default.
                """
        )
        var continuousProfiling = false

        @Option(
            help: """
                Heap profiling for /debug/pprof/heap: mean bytes between two sampled allocations (524288, Go's \
                default), 0 to turn it off; also heap_profile_rate in the config file.
                """
        )
        var heapProfileRate: Int?

        @Option(
            name: .customLong("alert-rules"),
            help: """
                A Prometheus rule-group file evaluated in the gateway over its own metrics (repeat for several); \
                also alerting.rule_files in the config file. Firing alerts show at /dashboard and /api/v1/alerts.
                """
        )
        var alertRules: [String] = []

        @Option(help: "The notifications file (receivers: webhook, Slack, e-mail, PagerDuty; routes); also alerting.notifications.")
        var alertConfig: String?

        @Option(help: "How often rule groups without their own interval are evaluated, e.g. 30s (default 1m).")
        var evaluationInterval: String?

        @Option(help: "Log level: trace, debug (one line per request), info, notice, warning, error, critical.")
        var logLevel: Logger.Level = .info

        @OptionGroup var tls: GatewayTLSOptions

        @OptionGroup var access: AccessOptions

        @OptionGroup var limits: LimitOptions

        @OptionGroup var optimization: OptimizationOptions

        @Option(
            help: """
                Event-loop threads that serve clients and talk to the nodes (default: one per core). \
                Fewer than the cores leaves room for other processes on the machine.
                """
        )
        var threads: Int?

        func run() async throws {
            let plan = try resolve(environment: ProcessInfo.processInfo.environment)
            let logLevel = logLevel
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = logLevel
                return handler
            }
            let logger = Logger(label: "ollamamax")
            if let notice = plan.notice { logger.notice("\(notice)") }
            if let warning = AccessOptions.warning(for: plan.configuration) { logger.warning("\(warning)") }
            let alerts = try plan.alerts(logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                var configuration = plan.configuration
                var simulated: SimulatedNodes?
                if plan.simulate > 0 {
                    var quiet = logger
                    quiet.logLevel = .warning
                    let nodes = try await SimulatedNodes.start(SimulatedNodes.graded(plan.simulate), logger: quiet, in: &tasks)
                    configuration.nodes = applyNodeLimits(to: nodes.endpoints)
                    simulated = nodes
                }
                let loops: any EventLoopGroup =
                    threads.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) } ?? MultiThreadedEventLoopGroup.singleton
                let gateway = Gateway(configuration: configuration, logger: logger, eventLoopGroup: loops, alerts: alerts)
                let app = gateway.makeApplication { [configuration] port in
                    let nodes = configuration.nodes.map(\.url).joined(separator: ", ")
                    let count = configuration.nodes.count == 1 ? "1 node" : "\(configuration.nodes.count) nodes"
                    let line =
                        "OllamaMax gateway listening on \(GatewayTLSOptions.scheme(configuration))://\(configuration.host):\(port) "
                        + "(\(configuration.strategy.rawValue) over \(count): \(nodes))\n"
                    FileHandle.standardOutput.write(Data(line.utf8))
                }
                var groupConfiguration = ServiceGroupConfiguration(
                    services: [.init(service: app)],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                )
                // Running streams get this long to finish; then they are cancelled.
                groupConfiguration.maximumGracefulShutdownDuration = configuration.drain
                let group = ServiceGroup(configuration: groupConfiguration)
                do {
                    try await group.run()
                } catch {
                    try? await gateway.shutdown()
                    await simulated?.stop()
                    throw error
                }
                try await gateway.shutdown()
                await simulated?.stop()
                try await tasks.waitForAll()
            }
        }
    }
}

extension RoutingStrategy: ExpressibleByArgument {}

extension Logger.Level: @retroactive ExpressibleByArgument {}
