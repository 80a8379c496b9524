/// Everything the gateway needs: where it listens, its nodes, routing, admission, retries,
/// health checking and timeouts. Defaults suit a handful of Ollama servers on a LAN.
public struct GatewayConfiguration: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var nodes: [NodeEndpoint]
    public var strategy: RoutingStrategy
    public var queue: NodePool.Limits
    public var health: HealthPolicy
    public var circuit: CircuitBreaker.Policy
    /// Time between probe rounds (`/api/version`, `/api/tags`, `/api/ps` on every node).
    public var probeInterval: Duration
    /// A probe that takes longer fails.
    public var probeTimeout: Duration
    /// Attempts per request (first try included) while nothing has reached the client.
    public var maxAttempts: Int
    /// First backoff between attempts; doubles each attempt, full jitter, capped at 1 s.
    public var retryBackoff: Duration
    /// Time to connect to a node.
    public var connectTimeout: Duration
    /// Time until a node's response head arrives (a whole answer when not streaming).
    public var responseTimeout: Duration
    /// Longest silence inside a response before the node is given up.
    public var idleTimeout: Duration
    /// A client connection with no traffic either way for this long is closed: it ends clients
    /// that stop reading. Longer than `responseTimeout`, because a client waiting for a whole
    /// (non-streamed) answer sees no traffic until it arrives.
    public var clientIdleTimeout: Duration
    /// A client must send a whole request head within this long (from its connection's opening,
    /// or from the head's first byte on a kept-alive connection), else it is disconnected: a
    /// slow-header ("slowloris") client holds a connection, never a node.
    public var headerTimeout: Duration
    /// Largest request body; bigger gets 413.
    public var maxBodyBytes: Int
    /// Nodes a `/api/pull` goes to: 0 means every healthy node.
    public var pullReplicas: Int
    /// How long a stopping gateway lets running requests finish.
    public var drain: Duration
    /// The certificate and key clients reach the gateway with over HTTPS; nil: plain HTTP.
    public var tls: ServerTLS?
    /// Certificate authorities trusted for `https://` nodes besides the system's; nil: the system's only.
    public var nodeTrust: NodeTrust?
    /// Performance monitoring: histograms, the sampler and its history.
    public var monitoring: MonitoringSettings
    /// Whether `/debug/pprof/...` (CPU profile, heap, threads) is served.
    public var debugEndpoints: Bool
    /// Continuous profiling: a 10 s CPU profile at 19 Hz every minute, the last hour kept and
    /// merged at `/debug/pprof/profile?since=` (``ContinuousProfiler``); only with the debug endpoints.
    public var continuousProfiling = false
    /// Heap profiling: mean bytes between two sampled allocations (Go's default, 512 KiB), 0 off.
    /// The samples feed `/debug/pprof/heap` (``HeapSampler``); only with the debug endpoints.
    public var heapProfileRate = 524_288
    /// API keys and what may listen without them (``AccessSettings``).
    public var access: AccessSettings
    /// The adaptive limits per (node, model) and the slow knobs' interval (``OptimizationSettings``).
    public var optimization: OptimizationSettings
    /// Embedded alerting: rule files, receivers, intervals (``AlertingSettings``).
    public var alerting = AlertingSettings()

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        nodes: [NodeEndpoint] = [],
        strategy: RoutingStrategy = .modelAware,
        queue: NodePool.Limits = .init(),
        health: HealthPolicy = .init(),
        circuit: CircuitBreaker.Policy = .init(),
        probeInterval: Duration = .seconds(5),
        probeTimeout: Duration = .seconds(2),
        maxAttempts: Int = 3,
        retryBackoff: Duration = .milliseconds(25),
        connectTimeout: Duration = .seconds(2),
        responseTimeout: Duration = .seconds(600),
        idleTimeout: Duration = .seconds(300),
        clientIdleTimeout: Duration = .seconds(900),
        headerTimeout: Duration = .seconds(10),
        maxBodyBytes: Int = 32 << 20,
        pullReplicas: Int = 0,
        drain: Duration = .seconds(30),
        tls: ServerTLS? = nil,
        nodeTrust: NodeTrust? = nil,
        monitoring: MonitoringSettings = .init(),
        debugEndpoints: Bool = true,
        access: AccessSettings = .init(),
        optimization: OptimizationSettings = .init()
    ) {
        self.host = host
        self.port = port
        self.nodes = nodes
        self.strategy = strategy
        self.queue = queue
        self.health = health
        self.circuit = circuit
        self.probeInterval = probeInterval
        self.probeTimeout = probeTimeout
        self.maxAttempts = maxAttempts
        self.retryBackoff = retryBackoff
        self.connectTimeout = connectTimeout
        self.responseTimeout = responseTimeout
        self.idleTimeout = idleTimeout
        self.clientIdleTimeout = clientIdleTimeout
        self.headerTimeout = headerTimeout
        self.maxBodyBytes = maxBodyBytes
        self.pullReplicas = pullReplicas
        self.drain = drain
        self.tls = tls
        self.nodeTrust = nodeTrust
        self.monitoring = monitoring
        self.debugEndpoints = debugEndpoints
        self.access = access
        self.optimization = optimization
    }

    /// Every problem with the values, each naming its setting; empty when usable.
    public func problems() -> [String] {
        var found: [String] = []
        if !(0...65535).contains(port) { found.append("listen port \(port) is not a TCP port (0-65535)") }
        if nodes.isEmpty {
            found.append("nodes: none given; the gateway needs at least one node")
        }
        let ids = nodes.map(\.id)
        for id in Set(ids) where ids.filter({ $0 == id }).count > 1 { found.append("nodes: the name \"\(id)\" is used twice") }
        for node in nodes {
            if node.maxInFlight < 1 { found.append("nodes[\(node.id)].max_in_flight: must be at least 1") }
            if node.numParallel < 1 { found.append("nodes[\(node.id)].num_parallel: must be at least 1") }
        }
        if queue.queueSize < 0 { found.append("queue_size: must be 0 or more") }
        if queue.queueTimeout <= .zero { found.append("queue_timeout: must be positive") }
        if probeInterval <= .zero { found.append("probe_interval: must be positive") }
        if probeTimeout <= .zero { found.append("probe_timeout: must be positive") }
        if maxAttempts < 1 { found.append("max_attempts: must be at least 1") }
        if health.failuresToUnhealthy < 1 || health.successesToHealthy < 1 {
            found.append("health: failures_to_unhealthy and successes_to_healthy must be at least 1")
        }
        if circuit.failureThreshold < 1 { found.append("circuit_failure_threshold: must be at least 1") }
        if maxBodyBytes < 1 { found.append("max_body_bytes: must be positive") }
        if clientIdleTimeout <= .zero { found.append("client_idle_timeout: must be positive") }
        if headerTimeout <= .zero { found.append("header_timeout: must be positive") }
        if pullReplicas < 0 { found.append("pull_replicas: must be 0 (all nodes) or more") }
        if heapProfileRate < 0 { found.append("heap_profile_rate: must be 0 (off) or the mean bytes between samples, e.g. 524288") }
        found += monitoring.problems()
        found += optimization.problems()
        found += alerting.problems()
        return found
    }
}
