import ConfigFile
import Gateway
import Logging

extension OllamaDistributed.Start {
    /// What `start` runs: the gateway configuration, how many simulated nodes to start in
    /// front of it, and the one line that says which node it fell back to when none was given.
    struct Plan {
        var configuration: GatewayConfiguration
        var simulate: Int
        var notice: String?

        /// The embedded alerting with the rule files and receivers of the configuration, loaded
        /// and checked (an error is exit 2 naming the file and each problem); nil when none are given.
        func alerts(logger: Logger) throws(CLIError) -> AlertService? {
            let settings = configuration.alerting
            guard !settings.ruleFiles.isEmpty || settings.notificationsFile != nil else { return nil }
            let address = "\(configuration.host):\(configuration.port)"
            do {
                return try AlertService.load(
                    settings: settings,
                    instance: address,
                    externalURL: "\(GatewayTLSOptions.scheme(configuration))://\(address)",
                    logger: logger
                )
            } catch {
                throw .invalidInput("alerting: \(error.description)")
            }
        }
    }

    /// The plan these flags, the file and the environment describe, but the API keys
    /// (``resolve(environment:)`` adds them).
    ///
    /// Nodes come from, first found: `--simulate`, `--node`, the file's `nodes:` (or its
    /// `simulate:`), `OLLAMAMAX_NODES`, then the one Ollama every Ollama tool talks to:
    /// `OLLAMA_HOST`, else `http://127.0.0.1:11434`.
    func resolveSettings(environment: [String: String]) throws(CLIError) -> Plan {
        if let threads, threads < 1 || threads > 256 {
            throw .invalidInput("--threads \(threads): must be between 1 and 256")
        }
        var configuration = GatewayConfiguration()
        var simulate = 0
        var nodesGiven = false
        if let flag = environment["ENABLE_PERFORMANCE_MONITORING"], !flag.isEmpty {
            guard let enabled = Self.boolean(flag) else {
                throw .invalidInput("ENABLE_PERFORMANCE_MONITORING: \"\(flag)\" is not a boolean; use true or false (also 1/0, yes/no)")
            }
            configuration.monitoring.enabled = enabled
        }
        if let list = environment["OLLAMAMAX_NODES"], !list.isEmpty {
            configuration.nodes = try endpoints(list.split(separator: ",").map(String.init), source: "OLLAMAMAX_NODES")
            nodesGiven = true
        }
        if let config {
            do {
                let file = try GatewayFile.load(path: config)
                try file.apply(to: &configuration, source: config)
                simulate = file.simulate ?? 0
                nodesGiven = nodesGiven || file.nodes != nil
            } catch {
                throw .invalidInput(error.description)
            }
        }
        if !nodes.isEmpty {
            configuration.nodes = try endpoints(nodes, source: "--node")
            nodesGiven = true
            simulate = 0
        }
        if let simulate = self.simulate {
            guard (1...16).contains(simulate) else { throw .invalidInput("--simulate: must be between 1 and 16, got \(simulate)") }
            configuration.nodes = []
            return Plan(configuration: try applyFlags(to: configuration, simulated: true), simulate: simulate)
        }
        if simulate > 0 {
            configuration.nodes = []
            return Plan(configuration: try applyFlags(to: configuration, simulated: true), simulate: simulate)
        }
        var notice: String?
        if !nodesGiven || configuration.nodes.isEmpty {
            let fallback: (url: String, source: OllamaHost.Source)
            do {
                fallback = try OllamaHost.resolve(environment["OLLAMA_HOST"])
            } catch {
                throw .invalidInput(error.description)
            }
            configuration.nodes = [NodeEndpoint(id: NodeEndpoint.defaultName(for: fallback.url), url: fallback.url)]
            notice = Self.fallbackNotice(url: fallback.url, source: fallback.source)
        }
        return Plan(configuration: try applyFlags(to: configuration, simulated: false), simulate: 0, notice: notice)
    }

    /// The one log line of a gateway that was given no node.
    static func fallbackNotice(url: String, source: OllamaHost.Source) -> String {
        let why =
            switch source {
            case .environment(let value): "from OLLAMA_HOST=\(value)"
            case .ollamaDefault: "Ollama's default (OLLAMA_HOST is not set)"
            }
        return "no nodes given (--node, nodes: in --config, OLLAMAMAX_NODES): using \(url), \(why); "
            + "--simulate N serves N simulated nodes instead"
    }

    private func applyFlags(to base: GatewayConfiguration, simulated: Bool) throws(CLIError) -> GatewayConfiguration {
        var configuration = base
        do {
            if let listen { (configuration.host, configuration.port) = try ListenAddress.parse(listen, source: "--listen") }
        } catch {
            throw .invalidInput(error.description)
        }
        if let strategy { configuration.strategy = strategy }
        configuration.nodes = applyNodeLimits(to: configuration.nodes)
        if let queueSize { configuration.queue.queueSize = queueSize }
        if let queueTimeout {
            configuration.queue.queueTimeout = try DurationFlag.positive(queueTimeout, flag: "--queue-timeout")
        }
        if let maxAttempts { configuration.maxAttempts = maxAttempts }
        if let probeInterval {
            configuration.probeInterval = try DurationFlag.positive(probeInterval, flag: "--probe-interval")
        }
        if let pullReplicas { configuration.pullReplicas = pullReplicas }
        if enablePerformanceMonitoring { configuration.monitoring.enabled = true }
        if noDebugEndpoints { configuration.debugEndpoints = false }
        if continuousProfiling { configuration.continuousProfiling = true }
        if let heapProfileRate { configuration.heapProfileRate = heapProfileRate }
        if !alertRules.isEmpty { configuration.alerting.ruleFiles = alertRules }
        if let alertConfig { configuration.alerting.notificationsFile = alertConfig }
        if let evaluationInterval {
            configuration.alerting.evaluationInterval = try DurationFlag.positive(evaluationInterval, flag: "--evaluation-interval")
        }
        try tls.apply(to: &configuration)
        try limits.apply(to: &configuration)
        try optimization.apply(to: &configuration)
        var problems = configuration.problems()
        if simulated { problems.removeAll { $0.hasPrefix("nodes: none given") } }
        guard problems.isEmpty else {
            throw .invalidInput("invalid gateway settings:\n  " + problems.joined(separator: "\n  "))
        }
        return configuration
    }

    /// `nodes` with `--max-in-flight` and `--num-parallel` applied.
    func applyNodeLimits(to nodes: [NodeEndpoint]) -> [NodeEndpoint] {
        nodes.map { node in
            var changed = node
            if let maxInFlight { changed.maxInFlight = maxInFlight }
            if let numParallel { changed.numParallel = numParallel }
            return changed
        }
    }

    private func endpoints(_ urls: [String], source: String) throws(CLIError) -> [NodeEndpoint] {
        var found: [NodeEndpoint] = []
        for text in urls {
            do {
                let url = try NodeEndpoint.parseURL(text)
                found.append(NodeEndpoint(id: NodeEndpoint.defaultName(for: url), url: url))
            } catch {
                throw .invalidInput("\(source): \(error.description)")
            }
        }
        return found
    }

    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes", "on": true
        case "false", "0", "no", "off": false
        default: nil
        }
    }
}
