import ArgumentParser
import ConfigFile
import Foundation
import Hummingbird
import Logging
import NodeSimulator
import OllamaAPI
import ServiceLifecycle
import UnixSignals

extension OllamaDistributed {
    /// `node-sim`: one or more simulated Ollama nodes.
    struct NodeSim: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "node-sim",
            abstract: "Run simulated Ollama nodes that behave like real ones (timing, queueing, loading, faults).",
            discussion: """
                Settings come from, in increasing priority: built-in defaults, the environment \
                (OLLAMA_NUM_PARALLEL, OLLAMA_MAX_QUEUE, OLLAMA_MAX_LOADED_MODELS, OLLAMA_KEEP_ALIVE), \
                the YAML file given with --config, and flags. With --count N, N nodes listen on \
                consecutive ports; node i is (1 + i × speed-spread) times slower than node 0.
                """
        )

        @Option(help: "YAML file with nodes, models, timing and faults (see docs/node-sim.md).")
        var config: String?

        @Option(help: "Interface to listen on.")
        var host: String?

        @Option(help: "Port of the first node (0 picks a free port).")
        var port: Int?

        @Option(help: "Number of nodes, on consecutive ports.")
        var count: Int?

        @Option(help: "Node i is (1 + i × this) times slower than node 0.")
        var speedSpread: Double?

        @Option(help: "Parallel requests per loaded model (like OLLAMA_NUM_PARALLEL).")
        var numParallel: Int?

        @Option(help: "Pending requests allowed before an immediate 503 (like OLLAMA_MAX_QUEUE).")
        var maxQueue: Int?

        @Option(help: "Models kept in memory at once (like OLLAMA_MAX_LOADED_MODELS).")
        var maxLoadedModels: Int?

        @Option(
            parsing: .unconditional,
            help: "Default keep-alive after a request, a Go duration such as 5m, 30s or -1 (forever).")
        var keepAlive: String?

        @Option(help: "Override every model's decode speed, tokens per second.")
        var decodeRate: Double?

        @Option(help: "Override every model's prompt processing speed, tokens per second.")
        var prefillRate: Double?

        @Option(help: "Override every model's load time, seconds.")
        var loadTime: Double?

        @Option(help: "Override every model's inter-token jitter (relative standard deviation, 0-1).")
        var jitter: Double?

        @Option(help: "Share of inference requests that fail with 500 at once (0-1).")
        var errorRate: Double?

        @Option(help: "Share of inference requests that fail halfway through (0-1).")
        var midStreamFailureRate: Double?

        @Option(help: "How a mid-stream failure shows: error_line or drop_connection.")
        var midStreamFailureMode: FaultConfiguration.MidStreamFailureMode?

        @Option(help: "Share of inference requests delayed by --latency-spike seconds (0-1).")
        var latencySpikeRate: Double?

        @Option(help: "Length of a latency spike, seconds.")
        var latencySpike: Double?

        @Option(help: "Share of inference requests that never answer (0-1).")
        var hangRate: Double?

        @Option(help: "Seed for the fault draws: the same seed fails the same requests.")
        var faultSeed: UInt64?

        @Option(help: "Largest request body in bytes; larger gets 413.")
        var maxBodyBytes: Int?

        @Option(name: .customLong("ollama-version"), help: "Version reported by /api/version.")
        var ollamaVersion: String?

        @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
        var logLevel: Logger.Level = .info

        func run() async throws {
            let (configurations, _) = try resolve(environment: ProcessInfo.processInfo.environment)
            let logLevel = logLevel
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = logLevel
                return handler
            }
            let logger = Logger(label: "ollamamax.node-sim")
            var services: [any Service] = []
            for configuration in configurations {
                let name = configuration.name
                let host = configuration.host
                let app = NodeSimulator(configuration: configuration, logger: logger).makeApplication { port in
                    FileHandle.standardOutput.write(Data("\(name) listening on http://\(host):\(port)\n".utf8))
                }
                services.append(app)
            }
            let group = ServiceGroup(
                configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        }

        /// The node configurations these flags, the file and the environment describe.
        func resolve(environment: [String: String]) throws -> ([SimulatorConfiguration], SimulatorFile?) {
            var base = SimulatorConfiguration()
            try applyEnvironment(environment, to: &base)
            var file: SimulatorFile?
            if let config {
                do {
                    file = try SimulatorFile.load(path: config)
                } catch {
                    throw ValidationError(error.description)
                }
            }
            if let file {
                base = base.applying(file)
                if let text = file.keepAlive {
                    base.limits.defaultKeepAlive = try duration(text, key: "\(config ?? "config"): keep_alive")
                }
            }
            try applyFlags(to: &base)
            let problems = base.problems()
            guard problems.isEmpty else {
                throw ValidationError("invalid node-sim settings:\n  " + problems.joined(separator: "\n  "))
            }
            let nodes = count ?? file?.count ?? 1
            guard nodes >= 1, nodes <= 64 else { throw ValidationError("--count: must be between 1 and 64, got \(nodes)") }
            let spread = speedSpread ?? file?.speedSpread ?? 0.5
            guard spread >= 0 else { throw ValidationError("--speed-spread: must be 0 or more, got \(spread)") }
            if base.port == 0, nodes > 1 {
                throw ValidationError("--port 0 picks one free port; with --count \(nodes) give a first port instead")
            }
            guard base.port + nodes - 1 <= 65535 else {
                throw ValidationError("--port \(base.port) with --count \(nodes) runs past port 65535")
            }
            let configurations = (0..<nodes).map { index in
                var node = base.scaledSpeed(by: 1 + Double(index) * spread)
                node.port = base.port + (base.port == 0 ? 0 : index)
                node.name = "node-\(index)"
                return node
            }
            return (configurations, file)
        }

        private func applyEnvironment(_ environment: [String: String], to configuration: inout SimulatorConfiguration)
            throws
        {
            func integer(_ key: String) throws -> Int? {
                guard let text = environment[key], !text.isEmpty else { return nil }
                guard let value = Int(text) else { throw ValidationError("\(key)=\(text): expected an integer") }
                return value
            }
            if let value = try integer("OLLAMA_NUM_PARALLEL"), value > 0 { configuration.limits.numParallel = value }
            if let value = try integer("OLLAMA_MAX_QUEUE") { configuration.limits.maxQueue = value }
            if let value = try integer("OLLAMA_MAX_LOADED_MODELS"), value > 0 {
                configuration.limits.maxLoadedModels = value
            }
            if let text = environment["OLLAMA_KEEP_ALIVE"], !text.isEmpty {
                configuration.limits.defaultKeepAlive = try duration(text, key: "OLLAMA_KEEP_ALIVE")
            }
        }

        private func applyFlags(to configuration: inout SimulatorConfiguration) throws {
            if let host { configuration.host = host }
            if let port { configuration.port = port }
            if let numParallel { configuration.limits.numParallel = numParallel }
            if let maxQueue { configuration.limits.maxQueue = maxQueue }
            if let maxLoadedModels { configuration.limits.maxLoadedModels = maxLoadedModels }
            if let keepAlive { configuration.limits.defaultKeepAlive = try duration(keepAlive, key: "--keep-alive") }
            if let maxBodyBytes { configuration.maxBodyBytes = maxBodyBytes }
            if let ollamaVersion { configuration.version = ollamaVersion }
            configuration.models = configuration.models.map { model in
                var changed = model
                if let decodeRate { changed.decodeTokensPerSecond = decodeRate }
                if let prefillRate { changed.prefillTokensPerSecond = prefillRate }
                if let loadTime { changed.loadSeconds = loadTime }
                if let jitter { changed.jitter = jitter }
                return changed
            }
            if let errorRate { configuration.faults.errorRate = errorRate }
            if let midStreamFailureRate { configuration.faults.midStreamFailureRate = midStreamFailureRate }
            if let midStreamFailureMode { configuration.faults.midStreamFailureMode = midStreamFailureMode }
            if let latencySpikeRate { configuration.faults.latencySpikeRate = latencySpikeRate }
            if let latencySpike { configuration.faults.latencySpikeSeconds = latencySpike }
            if let hangRate { configuration.faults.hangRate = hangRate }
            if let faultSeed { configuration.faults.seed = faultSeed }
        }

        private func duration(_ text: String, key: String) throws -> Double {
            guard let seconds = GoDuration.parse(text) else {
                throw ValidationError("\(key): \"\(text)\" is not a duration; use e.g. 5m, 30s, 1h30m or -1 (forever)")
            }
            return seconds
        }
    }
}

extension FaultConfiguration.MidStreamFailureMode: ExpressibleByArgument {}
