import Telemetry

/// The gateway's handles on the metric catalog, shared by the middleware, the proxy and `/metrics`.
public final class GatewayMetrics: Sendable {
    public let metrics: Metrics
    let httpRequests: MetricFamily
    let httpDuration: MetricFamily
    let httpInFlight: MetricFamily
    let requestSize: MetricFamily
    let responseSize: MetricFamily
    let llmRequests: MetricFamily
    let timeToFirstToken: MetricFamily
    let interTokenLatency: MetricFamily
    let timePerOutputToken: MetricFamily
    let llmDuration: MetricFamily
    let promptTokens: MetricFamily
    let outputTokens: MetricFamily
    let generationSpeed: MetricFamily
    let queueWait: MetricFamily
    let retries: MetricFamily
    let failovers: MetricFamily
    let rejections: MetricFamily
    let networkReceive: MetricFamily
    let networkTransmit: MetricFamily
    let activeTasks: MetricFamily
    let keyRequests: MetricFamily
    let keyTokens: MetricFamily
    let keyRejections: MetricFamily
    let authFailures: MetricFamily
    /// The optimizer's limits, gradients, latencies, drops and decisions, set at each scrape.
    let optimizer: OptimizerGauges
    /// The embedded alerting's alerts, failures and notifications, set at each scrape.
    let alerting: AlertingGauges

    public init(metrics: Metrics) {
        self.metrics = metrics
        httpRequests = metrics.family(MetricCatalog.httpRequests)
        httpDuration = metrics.family(MetricCatalog.httpRequestDuration)
        httpInFlight = metrics.family(MetricCatalog.httpRequestsInFlight)
        requestSize = metrics.family(MetricCatalog.httpRequestSize)
        responseSize = metrics.family(MetricCatalog.httpResponseSize)
        llmRequests = metrics.family(MetricCatalog.llmRequests)
        timeToFirstToken = metrics.family(MetricCatalog.timeToFirstToken)
        interTokenLatency = metrics.family(MetricCatalog.interTokenLatency)
        timePerOutputToken = metrics.family(MetricCatalog.timePerOutputToken)
        llmDuration = metrics.family(MetricCatalog.llmRequestDuration)
        promptTokens = metrics.family(MetricCatalog.promptTokens)
        outputTokens = metrics.family(MetricCatalog.outputTokens)
        generationSpeed = metrics.family(MetricCatalog.generationSpeed)
        queueWait = metrics.family(MetricCatalog.queueWait)
        retries = metrics.family(MetricCatalog.retries)
        failovers = metrics.family(MetricCatalog.failovers)
        rejections = metrics.family(MetricCatalog.rejections)
        networkReceive = metrics.family(MetricCatalog.networkReceive)
        networkTransmit = metrics.family(MetricCatalog.networkTransmit)
        activeTasks = metrics.family(MetricCatalog.activeTasks)
        keyRequests = metrics.family(MetricCatalog.keyRequests)
        keyTokens = metrics.family(MetricCatalog.keyTokens)
        keyRejections = metrics.family(MetricCatalog.keyRejections)
        authFailures = metrics.family(MetricCatalog.authFailures)
        optimizer = OptimizerGauges(metrics: metrics)
        alerting = AlertingGauges(metrics: metrics)
        // Series that must exist from the first scrape, so rates and alerts see them start at 0.
        httpInFlight.set(0)
        activeTasks.set(0)
        for peer in ["client", "node"] {
            networkReceive.increment(by: 0, peer)
            networkTransmit.increment(by: 0, peer)
        }
        authFailures.increment(by: 0)
    }

    /// Creates key `name`'s series at 0, so rates and alerts see them from the first scrape.
    func startKeySeries(_ name: String) {
        keyRequests.increment(by: 0, name)
        for kind in ["prompt", "output"] { keyTokens.increment(by: 0, name, kind) }
        for reason in ["rate_limited", "forbidden"] { keyRejections.increment(by: 0, name, reason) }
    }

    /// The `model` label value for a model name: normalised and capped.
    func modelLabel(_ model: String?) -> String {
        metrics.models.label(model ?? "none")
    }
}
