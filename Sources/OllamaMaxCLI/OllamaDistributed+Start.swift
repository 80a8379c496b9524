import ArgumentParser
import ConfigFile
import Foundation
import Gateway
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import NodeSimulator
import OllamaAPI
import ServiceLifecycle
import UnixSignals

extension OllamaDistributed {
    /// `start`: the gateway.
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve one Ollama-compatible endpoint over many Ollama nodes.",
            discussion: """
                Nodes come from --node (repeatable), the nodes: list of --config, or OLLAMAMAX_NODES \
                (comma-separated URLs); --simulate N starts N simulated nodes in-process instead (nodes \
                of different speeds, for trying it out and for benchmarks). Settings layer as: defaults \
                < environment < --config file < flags. The gateway listens on 127.0.0.1:8080 unless \
                told otherwise; GET /ollamamax/nodes shows the nodes (ollama-distributed status).
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
                """)
        var enablePerformanceMonitoring = false

        @Flag(
            help: """
                Do not serve /debug/pprof/ (CPU profile through perf, heap statistics, threads);
                also debug_endpoints: false in the config file.
                """)
        var noDebugEndpoints = false

        @Option(help: "Log level: trace, debug (one line per request), info, notice, warning, error, critical.")
        var logLevel: Logger.Level = .info

        @Option(
            help: """
                Event-loop threads that serve clients and talk to the nodes (default: one per core).                 Fewer than the cores leaves room for other processes on the machine.
                """)
        var threads: Int?

        func validate() throws {
            if let threads, threads < 1 || threads > 256 {
                throw ValidationError("--threads \(threads): must be between 1 and 256")
            }
        }

        func run() async throws {
            var resolved = try resolve(environment: ProcessInfo.processInfo.environment)
            let logLevel = logLevel
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = logLevel
                return handler
            }
            let logger = Logger(label: "ollamamax")
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                var simulators: ServiceGroup?
                if resolved.simulate > 0 {
                    let (group, urls) = try await startSimulators(count: resolved.simulate, logger: logger, tasks: &tasks)
                    simulators = group
                    resolved.configuration.nodes = urls.enumerated().map { NodeEndpoint(id: "sim-\($0)", url: $1) }
                }
                let loops: any EventLoopGroup =
                    threads.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) } ?? MultiThreadedEventLoopGroup.singleton
                let gateway = Gateway(configuration: resolved.configuration, logger: logger, eventLoopGroup: loops)
                let configuration = resolved.configuration
                let app = gateway.makeApplication { port in
                    let nodes = configuration.nodes.map(\.url).joined(separator: ", ")
                    FileHandle.standardOutput.write(
                        Data(
                            "OllamaMax gateway listening on http://\(configuration.host):\(port) (\(configuration.strategy.rawValue) over \(configuration.nodes.count) nodes: \(nodes))\n"
                                .utf8))
                }
                var groupConfiguration = ServiceGroupConfiguration(
                    services: [.init(service: app)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
                // Running streams get this long to finish; then they are cancelled.
                groupConfiguration.maximumGracefulShutdownDuration = .seconds(configuration.drainSeconds)
                let group = ServiceGroup(configuration: groupConfiguration)
                do {
                    try await group.run()
                } catch {
                    try? await gateway.shutdown()
                    await simulators?.triggerGracefulShutdown()
                    throw error
                }
                try await gateway.shutdown()
                await simulators?.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }

        /// Starts `count` simulated nodes on free ports and returns their service group and URLs.
        private func startSimulators(
            count: Int, logger: Logger, tasks: inout ThrowingTaskGroup<Void, any Error>
        ) async throws -> (ServiceGroup, [String]) {
            let (ports, sink) = AsyncStream<(Int, Int)>.makeStream()
            var simulatorLogger = logger
            simulatorLogger.logLevel = .warning
            let apps = (0..<count).map { index in
                var node = SimulatorConfiguration().scaledSpeed(by: 1 + Double(index) * 0.5)
                node.port = 0
                node.name = "sim-\(index)"
                return NodeSimulator(configuration: node, logger: simulatorLogger).makeApplication { port in
                    sink.yield((index, port))
                }
            }
            let group = ServiceGroup(
                configuration: .init(services: apps.map { .init(service: $0) }, logger: simulatorLogger))
            tasks.addTask { try await group.run() }
            var urls = Array(repeating: "", count: count)
            var seen = 0
            for await (index, port) in ports {
                urls[index] = "http://127.0.0.1:\(port)"
                seen += 1
                if seen == count { break }
            }
            return (group, urls)
        }

        /// The gateway configuration these flags, the file and the environment describe, and how
        /// many simulated nodes to start.
        func resolve(environment: [String: String]) throws -> (configuration: GatewayConfiguration, simulate: Int) {
            var configuration = GatewayConfiguration()
            var simulate = 0
            if let flag = environment["ENABLE_PERFORMANCE_MONITORING"], !flag.isEmpty {
                guard let enabled = Self.boolean(flag) else {
                    throw ValidationError(
                        "ENABLE_PERFORMANCE_MONITORING: \"\(flag)\" is not a boolean; use true or false (also 1/0, yes/no)")
                }
                configuration.monitoring.enabled = enabled
            }
            if let list = environment["OLLAMAMAX_NODES"], !list.isEmpty {
                configuration.nodes = try endpoints(list.split(separator: ",").map(String.init), source: "OLLAMAMAX_NODES")
            }
            if let config {
                do {
                    let file = try GatewayFile.load(path: config)
                    try file.apply(to: &configuration, source: config)
                    simulate = file.simulate ?? 0
                } catch {
                    throw ValidationError(error.description)
                }
            }
            if !nodes.isEmpty { configuration.nodes = try endpoints(nodes, source: "--node") }
            if let simulate = self.simulate {
                guard (1...16).contains(simulate) else { throw ValidationError("--simulate: must be between 1 and 16, got \(simulate)") }
                configuration.nodes = []
                return (try applyFlags(to: configuration, simulated: true), simulate)
            }
            if simulate > 0 { configuration.nodes = [] }
            return (try applyFlags(to: configuration, simulated: simulate > 0), simulate)
        }

        private func applyFlags(to base: GatewayConfiguration, simulated: Bool) throws -> GatewayConfiguration {
            var configuration = base
            do {
                if let listen { (configuration.host, configuration.port) = try ListenAddress.parse(listen, source: "--listen") }
            } catch {
                throw ValidationError(error.description)
            }
            if let strategy { configuration.strategy = strategy }
            configuration.nodes = configuration.nodes.map { node in
                var changed = node
                if let maxInFlight { changed.maxInFlight = maxInFlight }
                if let numParallel { changed.numParallel = numParallel }
                return changed
            }
            if let queueSize { configuration.queue.queueSize = queueSize }
            if let queueTimeout { configuration.queue.queueTimeoutSeconds = try duration(queueTimeout, "--queue-timeout") }
            if let maxAttempts { configuration.maxAttempts = maxAttempts }
            if let probeInterval { configuration.probeIntervalSeconds = try duration(probeInterval, "--probe-interval") }
            if let pullReplicas { configuration.pullReplicas = pullReplicas }
            if enablePerformanceMonitoring { configuration.monitoring.enabled = true }
            if noDebugEndpoints { configuration.debugEndpoints = false }
            var problems = configuration.problems()
            if simulated { problems.removeAll { $0.hasPrefix("no nodes") } }
            guard problems.isEmpty else {
                throw ValidationError("invalid gateway settings:\n  " + problems.joined(separator: "\n  "))
            }
            return configuration
        }

        private func endpoints(_ urls: [String], source: String) throws -> [NodeEndpoint] {
            try urls.map { text in
                do {
                    let url = try NodeEndpoint.parseURL(text)
                    return NodeEndpoint(id: NodeEndpoint.defaultName(for: url), url: url)
                } catch let error as ConfigError {
                    throw ValidationError("\(source): \(error.description)")
                }
            }
        }

        static func boolean(_ text: String) -> Bool? {
            switch text.lowercased() {
            case "true", "1", "yes", "on": true
            case "false", "0", "no", "off": false
            default: nil
            }
        }

        private func duration(_ text: String, _ flag: String) throws -> Double {
            guard let seconds = GoDuration.parse(text), seconds > 0 else {
                throw ValidationError("\(flag): \"\(text)\" is not a positive duration; write e.g. 500ms, 30s or 5m")
            }
            return seconds
        }
    }
}

extension RoutingStrategy: ExpressibleByArgument {}

extension Logger.Level: @retroactive ExpressibleByArgument {}
