import ConfigFile
import Foundation
import OllamaAPI

/// The YAML file `start --config` reads. Every key is optional; unknown keys are errors.
///
/// ```yaml
/// listen: 127.0.0.1:8080
/// strategy: model-aware
/// nodes:
///   - url: http://gpu-a:11434
///     name: gpu-a
///     max_in_flight: 8
///     num_parallel: 4
/// queue_size: 256
/// queue_timeout: 30s
/// monitoring:
///   enabled: true          # or --enable-performance-monitoring / ENABLE_PERFORMANCE_MONITORING=true
///   sample_interval: 5s
///   history_samples: 720
///   model_label_limit: 100
/// tls: {cert: gateway.crt, key: gateway.key}  # HTTPS (relative to this file), as --tls-cert/--tls-key
/// node_ca: nodes-ca.pem      # CA roots for https:// nodes (relative to this file), as --node-ca
/// api_keys: keys.yaml        # the API key file (relative to this file), as --api-keys
/// insecure_no_auth: false    # as --insecure-no-auth
/// max_body_size: 32MiB      # the largest request body (blob uploads excepted), as --max-body-size
/// header_timeout: 10s        # the time to send a request head, as --header-timeout
/// optimization: {level: balanced, interval: 5m}  # adaptive limits, as --optimization-level
/// ```
public struct GatewayFile: Sendable, Hashable, Codable {
    public var listen: String?
    public var strategy: RoutingStrategy?
    public var nodes: [Node]?
    public var simulate: Int?
    public var queueSize: Int?
    public var queueTimeout: String?
    public var probeInterval: String?
    public var probeTimeout: String?
    public var maxAttempts: Int?
    public var retryBackoff: String?
    public var connectTimeout: String?
    public var responseTimeout: String?
    public var idleTimeout: String?
    public var clientIdleTimeout: String?
    public var maxBodyBytes: Int?
    /// `max_body_size:` (``ByteSize``, e.g. `64MiB`): as `--max-body-size`; `max_body_bytes:` is
    /// the same limit in bytes.
    public var maxBodySize: String?
    /// `header_timeout:` (e.g. `10s`): as `--header-timeout`.
    public var headerTimeout: String?
    public var pullReplicas: Int?
    public var drain: String?
    public var health: Health?
    public var circuit: Circuit?
    public var monitoring: Monitoring?
    public var debugEndpoints: Bool?
    public var continuousProfiling: Bool?
    public var heapProfileRate: Int?
    /// `tls:` (``TLS``): the certificate and key to serve HTTPS with.
    public var tls: TLS?
    /// `node_ca:`: a PEM file of CA roots trusted for `https://` nodes besides the system's.
    public var nodeCA: String?
    /// The API key file (``KeyFile``), relative to this file unless absolute.
    public var apiKeys: String?
    public var insecureNoAuth: Bool?
    /// `optimization:` (``Optimization``): the adaptive limits' level and interval.
    public var optimization: Optimization?
    /// `alerting:` (``Alerting``): rule files, the notifications file, the evaluation interval.
    public var alerting: Alerting?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case listen, strategy, nodes, simulate, health, circuit, drain, monitoring
        case queueSize = "queue_size"
        case queueTimeout = "queue_timeout"
        case probeInterval = "probe_interval"
        case probeTimeout = "probe_timeout"
        case maxAttempts = "max_attempts"
        case retryBackoff = "retry_backoff"
        case connectTimeout = "connect_timeout"
        case responseTimeout = "response_timeout"
        case idleTimeout = "idle_timeout"
        case clientIdleTimeout = "client_idle_timeout"
        case maxBodyBytes = "max_body_bytes"
        case maxBodySize = "max_body_size"
        case headerTimeout = "header_timeout"
        case pullReplicas = "pull_replicas"
        case debugEndpoints = "debug_endpoints"
        case continuousProfiling = "continuous_profiling"
        case heapProfileRate = "heap_profile_rate"
        case tls
        case nodeCA = "node_ca"
        case apiKeys = "api_keys"
        case insecureNoAuth = "insecure_no_auth"
        case optimization
        case alerting
    }

    /// A node entry: `url` and optional name and limits.
    public struct Node: Sendable, Hashable, Codable {
        public var url: String
        public var name: String?
        public var maxInFlight: Int?
        public var numParallel: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case url, name
            case maxInFlight = "max_in_flight"
            case numParallel = "num_parallel"
        }
    }

    /// `health:`: probe hysteresis.
    public struct Health: Sendable, Hashable, Codable {
        public var failuresToUnhealthy: Int?
        public var successesToHealthy: Int?
        public var slowProbe: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case failuresToUnhealthy = "failures_to_unhealthy"
            case successesToHealthy = "successes_to_healthy"
            case slowProbe = "slow_probe"
        }
    }

    /// `circuit:`: the per-node circuit breaker.
    public struct Circuit: Sendable, Hashable, Codable {
        public var failureThreshold: Int?
        public var open: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case open
            case failureThreshold = "failure_threshold"
        }
    }

    /// `monitoring:`: performance monitoring.
    public struct Monitoring: Sendable, Hashable, Codable {
        public var enabled: Bool?
        public var sampleInterval: String?
        public var historySamples: Int?
        public var modelLabelLimit: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled
            case sampleInterval = "sample_interval"
            case historySamples = "history_samples"
            case modelLabelLimit = "model_label_limit"
        }
    }

    static let schema: KeySchema = {
        var top = Dictionary(uniqueKeysWithValues: CodingKeys.allCases.map { ($0.rawValue, KeySchema.value) })
        top["nodes"] = .list(.keys(Node.CodingKeys.allCases.map(\.rawValue)))
        top["health"] = .keys(Health.CodingKeys.allCases.map(\.rawValue))
        top["circuit"] = .keys(Circuit.CodingKeys.allCases.map(\.rawValue))
        top["monitoring"] = .keys(Monitoring.CodingKeys.allCases.map(\.rawValue))
        top["tls"] = .keys(TLS.CodingKeys.allCases.map(\.rawValue))
        top["optimization"] = .keys(Optimization.CodingKeys.allCases.map(\.rawValue))
        top["alerting"] = .keys(Alerting.CodingKeys.allCases.map(\.rawValue))
        return .map(top)
    }()

    public static func load(path: String) throws(ConfigError) -> GatewayFile {
        try YAMLConfig.load(GatewayFile.self, path: path, schema: schema, empty: GatewayFile())
    }

    public static func parse(_ text: String, source: String) throws(ConfigError) -> GatewayFile {
        try YAMLConfig.parse(GatewayFile.self, text: text, source: source, schema: schema, empty: GatewayFile())
    }

    /// `configuration` with this file's values laid over it; `source` names the file in errors.
    public func apply(to configuration: inout GatewayConfiguration, source: String) throws(ConfigError) {
        func duration(_ text: String?, _ key: String) throws(ConfigError) -> Duration? {
            guard let text else { return nil }
            guard let value = GoDuration.parse(text), value >= 0 else {
                throw ConfigError("\(source): \(key): \"\(text)\" is not a duration; write e.g. 500ms, 30s or 5m")
            }
            return .seconds(value)
        }
        if let listen { (configuration.host, configuration.port) = try ListenAddress.parse(listen, source: "\(source): listen") }
        if let strategy { configuration.strategy = strategy }
        if let nodes {
            var endpoints: [NodeEndpoint] = []
            for (index, node) in nodes.enumerated() {
                let url: String
                do {
                    url = try NodeEndpoint.parseURL(node.url)
                } catch {
                    throw ConfigError("\(source): nodes[\(index)].url: \(error.description)")
                }
                var endpoint = NodeEndpoint(id: node.name ?? NodeEndpoint.defaultName(for: url), url: url)
                if let value = node.maxInFlight { endpoint.maxInFlight = value }
                if let value = node.numParallel { endpoint.numParallel = value }
                endpoints.append(endpoint)
            }
            configuration.nodes = endpoints
        }
        if let queueSize { configuration.queue.queueSize = queueSize }
        if let value = try duration(queueTimeout, "queue_timeout") { configuration.queue.queueTimeout = value }
        if let value = try duration(probeInterval, "probe_interval") { configuration.probeInterval = value }
        if let value = try duration(probeTimeout, "probe_timeout") { configuration.probeTimeout = value }
        if let maxAttempts { configuration.maxAttempts = maxAttempts }
        if let value = try duration(retryBackoff, "retry_backoff") { configuration.retryBackoff = value }
        if let value = try duration(connectTimeout, "connect_timeout") { configuration.connectTimeout = value }
        if let value = try duration(responseTimeout, "response_timeout") { configuration.responseTimeout = value }
        if let value = try duration(idleTimeout, "idle_timeout") { configuration.idleTimeout = value }
        if let value = try duration(clientIdleTimeout, "client_idle_timeout") {
            configuration.clientIdleTimeout = value
        }
        if let maxBodyBytes { configuration.maxBodyBytes = maxBodyBytes }
        if let maxBodySize {
            guard let bytes = ByteSize.parse(maxBodySize) else {
                throw ConfigError("\(source): max_body_size: \"\(maxBodySize)\" is not a size; \(ByteSize.examples)")
            }
            configuration.maxBodyBytes = bytes
        }
        if let value = try duration(headerTimeout, "header_timeout") { configuration.headerTimeout = value }
        if let pullReplicas { configuration.pullReplicas = pullReplicas }
        if let debugEndpoints { configuration.debugEndpoints = debugEndpoints }
        if let continuousProfiling { configuration.continuousProfiling = continuousProfiling }
        if let heapProfileRate { configuration.heapProfileRate = heapProfileRate }
        try applyTLS(to: &configuration, source: source)
        if let insecureNoAuth { configuration.access.insecureNoAuth = insecureNoAuth }
        try applyOptimization(to: &configuration, source: source)
        try applyAlerting(to: &configuration, source: source)
        if let value = try duration(drain, "drain") { configuration.drain = value }
        if let health {
            if let value = health.failuresToUnhealthy { configuration.health.failuresToUnhealthy = value }
            if let value = health.successesToHealthy { configuration.health.successesToHealthy = value }
            if let value = try duration(health.slowProbe, "health.slow_probe") { configuration.health.slowProbe = value }
        }
        if let monitoring {
            if let value = monitoring.enabled { configuration.monitoring.enabled = value }
            if let value = try duration(monitoring.sampleInterval, "monitoring.sample_interval") {
                configuration.monitoring.sampleInterval = value
            }
            if let value = monitoring.historySamples { configuration.monitoring.historySamples = value }
            if let value = monitoring.modelLabelLimit { configuration.monitoring.modelLabelLimit = value }
        }
        if let circuit {
            if let value = circuit.failureThreshold { configuration.circuit.failureThreshold = value }
            if let value = try duration(circuit.open, "circuit.open") { configuration.circuit.open = value }
        }
    }
}

/// `host:port` listen addresses.
public enum ListenAddress {
    /// Splits `127.0.0.1:8080` (or `[::1]:8080`, or `:8080` for loopback) into host and port.
    public static func parse(_ text: String, source: String) throws(ConfigError) -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else {
            throw ConfigError("\(source): \"\(text)\" is not host:port; write e.g. 127.0.0.1:8080")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}

extension NodeEndpoint {
    /// `host:port` of a node URL, its default name.
    public static func defaultName(for url: String) -> String {
        var name = url
        if let range = name.range(of: "://") { name = String(name[range.upperBound...]) }
        return name
    }
}
