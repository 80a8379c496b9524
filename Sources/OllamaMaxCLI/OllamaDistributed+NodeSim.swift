import ArgumentParser
import ConfigFile
import Foundation
import Gateway
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
            help: "Default keep-alive after a request, a Go duration such as 5m, 30s or -1 (forever)."
        )
        var keepAlive: String?

        @Option(help: "Override every model's decode speed, tokens per second.")
        var decodeRate: Double?

        @Option(help: "Override every model's prompt processing speed, tokens per second.")
        var prefillRate: Double?

        @Option(help: "Override every model's load time, a duration such as 1.5s or 500ms (a bare number is seconds).")
        var loadTime: String?

        @Option(help: "Override every model's inter-token jitter (relative standard deviation, 0-1).")
        var jitter: Double?

        @Option(
            help: """
                How concurrent requests of a model slow each other's decoding: none (default), gpu, cpu, \
                or the speed-ups s(1),s(2),... of k requests decoding together, such as 1,1.5,1.8.
                """
        )
        var contention: Contention?

        @Option(help: "Share of inference requests that fail with 500 at once (0-1).")
        var errorRate: Double?

        @Option(help: "Share of inference requests that fail halfway through (0-1).")
        var midStreamFailureRate: Double?

        @Option(help: "How a mid-stream failure shows: error_line or drop_connection.")
        var midStreamFailureMode: FaultConfiguration.MidStreamFailureMode?

        @Option(help: "Share of inference requests delayed by --latency-spike (0-1).")
        var latencySpikeRate: Double?

        @Option(help: "Length of a latency spike, a duration such as 1s or 250ms (a bare number is seconds).")
        var latencySpike: String?

        @Option(help: "Share of inference requests that never answer (0-1).")
        var hangRate: Double?

        @Option(help: "Seed for the fault draws: the same seed fails the same requests.")
        var faultSeed: UInt64?

        @Option(help: "Largest request body in bytes; larger gets 413.")
        var maxBodyBytes: Int?

        @Option(name: .customLong("ollama-version"), help: "Version reported by /api/version.")
        var ollamaVersion: String?

        @OptionGroup var tls: ServerTLSOptions

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
            let served = try tls.load()
            let scheme = served == nil ? "http" : "https"
            var services: [any Service] = []
            for configuration in configurations {
                let name = configuration.name
                let host = configuration.host
                let app = NodeSimulator(configuration: configuration, logger: logger).makeApplication(tls: served?.configuration) { port in
                    FileHandle.standardOutput.write(Data("\(name) listening on \(scheme)://\(host):\(port)\n".utf8))
                }
                services.append(app)
            }
            let group = ServiceGroup(
                configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            )
            try await group.run()
        }

        /// The node configurations these flags, the file and the environment describe.
        ///
        /// - Throws: ``CLIError`` with exit code 64 naming the setting (README: node-sim settings).
        func resolve(environment: [String: String]) throws(CLIError) -> ([SimulatorConfiguration], SimulatorFile?) {
            do {
                let file = try config.map(SimulatorFile.load(path:))
                var base = try SimulatorConfiguration().applying(environment: environment)
                if let file { base = base.applying(file) }
                try applyFlags(to: &base)
                let problems = base.problems()
                guard problems.isEmpty else {
                    throw Self.badSetting("invalid node-sim settings:\n  " + problems.joined(separator: "\n  "))
                }
                let nodes = try base.nodes(count: count ?? file?.count ?? 1, speedSpread: speedSpread ?? file?.speedSpread ?? 0.5)
                return (nodes, file)
            } catch let error as CLIError {
                throw error
            } catch {
                throw Self.badSetting("\(error)")
            }
        }

        /// A bad setting: exit 64, as README documents for node-sim.
        static func badSetting(_ message: String) -> CLIError { .failure(message, code: 64) }

        private func applyFlags(to configuration: inout SimulatorConfiguration) throws(CLIError) {
            func duration(_ text: String?, _ flag: String) throws(CLIError) -> Duration? {
                do {
                    return try text.map { text throws(CLIError) in try DurationFlag.any(text, flag: flag) }
                } catch {
                    throw Self.badSetting(error.message)
                }
            }
            if let host { configuration.host = host }
            if let port { configuration.port = port }
            if let numParallel { configuration.limits.numParallel = numParallel }
            if let maxQueue { configuration.limits.maxQueue = maxQueue }
            if let maxLoadedModels { configuration.limits.maxLoadedModels = maxLoadedModels }
            if let value = try duration(keepAlive, "--keep-alive") { configuration.limits.defaultKeepAlive = value }
            if let maxBodyBytes { configuration.maxBodyBytes = maxBodyBytes }
            if let ollamaVersion { configuration.version = ollamaVersion }
            let loadTime = try duration(loadTime, "--load-time")
            configuration.models = configuration.models.map { model in
                var changed = model
                if let decodeRate { changed.decodeTokensPerSecond = decodeRate }
                if let prefillRate { changed.prefillTokensPerSecond = prefillRate }
                if let loadTime { changed.loadTime = loadTime }
                if let jitter { changed.jitter = jitter }
                if let contention { changed.contention = contention }
                return changed
            }
            if let errorRate { configuration.faults.errorRate = errorRate }
            if let midStreamFailureRate { configuration.faults.midStreamFailureRate = midStreamFailureRate }
            if let midStreamFailureMode { configuration.faults.midStreamFailureMode = midStreamFailureMode }
            if let latencySpikeRate { configuration.faults.latencySpikeRate = latencySpikeRate }
            if let value = try duration(latencySpike, "--latency-spike") { configuration.faults.latencySpike = value }
            if let hangRate { configuration.faults.hangRate = hangRate }
            if let faultSeed { configuration.faults.seed = faultSeed }
        }
    }
}

extension FaultConfiguration.MidStreamFailureMode: ExpressibleByArgument {}
extension Contention: ExpressibleByArgument {}
