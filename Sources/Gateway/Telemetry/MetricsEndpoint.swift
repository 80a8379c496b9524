import Hummingbird
import Logging
import NIOCore
import Telemetry

/// `GET /metrics`: refreshes the gauges that are read rather than counted (nodes, queue,
/// process), then renders the registry in Prometheus text format 0.0.4.
struct MetricsEndpoint: Sendable {
    let metrics: GatewayMetrics
    let pool: NodePool
    let alerts: AlertService
    let process: ProcessMetrics
    let logger: Logger
    let nodeState: MetricFamily
    let nodeCircuit: MetricFamily
    let nodeInFlight: MetricFamily
    let nodeModels: MetricFamily
    let nodeResident: MetricFamily
    let nodeProbeLatency: MetricFamily
    let nodeTTFT: MetricFamily
    let queueDepth: MetricFamily

    init(metrics: GatewayMetrics, pool: NodePool, alerts: AlertService, logger: Logger) {
        self.metrics = metrics
        self.pool = pool
        self.alerts = alerts
        self.logger = logger
        let registry = metrics.metrics
        process = ProcessMetrics(metrics: registry)
        nodeState = registry.family(MetricCatalog.nodeState)
        nodeCircuit = registry.family(MetricCatalog.nodeCircuitState)
        nodeInFlight = registry.family(MetricCatalog.nodeInFlight)
        nodeModels = registry.family(MetricCatalog.nodeModels)
        nodeResident = registry.family(MetricCatalog.nodeResidentModels)
        nodeProbeLatency = registry.family(MetricCatalog.nodeProbeLatency)
        nodeTTFT = registry.family(MetricCatalog.nodeTTFTEstimate)
        queueDepth = registry.family(MetricCatalog.queueDepth)
    }

    /// Brings every read-on-demand gauge up to date.
    func refresh() async {
        for status in pool.status() {
            let node = status.node
            for state in NodeState.allCases { nodeState.set(node.state == state ? 1 : 0, node.id, state.rawValue) }
            for circuit in [CircuitBreaker.State.closed, .open, .halfOpen] {
                nodeCircuit.set(node.circuit == circuit ? 1 : 0, node.id, circuit.rawValue)
            }
            nodeInFlight.set(Double(node.inFlight), node.id)
            nodeModels.set(Double(node.models.count), node.id)
            nodeResident.set(Double(node.resident.count), node.id)
            if let latency = status.probeLatencySeconds {
                nodeProbeLatency.set(latency, node.id)
            } else {
                nodeProbeLatency.remove(node.id)
            }
            if let ttft = node.ttftEWMA { nodeTTFT.set(ttft, node.id) }
        }
        queueDepth.set(Double(pool.queued))
        metrics.optimizer.refresh(pool.optimizerSnapshot())
        metrics.alerting.refresh(alerts)
        do {
            try process.update()
        } catch {
            logger.warning("process metrics unavailable", metadata: ["error": "\(error)"])
        }
    }

    func response() async -> Response {
        await refresh()
        return Response(
            status: .ok,
            headers: [.contentType: Metrics.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.metrics.render()))
        )
    }
}
