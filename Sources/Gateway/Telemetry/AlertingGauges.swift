import Alerting
import Notifications
import Synchronization
import Telemetry

/// The embedded alerting's families, brought up to date from the ``AlertService`` at every
/// scrape, as the optimizer's are: the alerts by state are set; the failure and notification
/// counters grow by what the service counted since the last scrape.
final class AlertingGauges: Sendable {
    let alerts: MetricFamily
    let failures: MetricFamily
    let sent: MetricFamily
    let failed: MetricFamily
    /// The counts already added to the counters.
    private let exported = Mutex([CounterKey: Int]())

    enum CounterKey: Hashable {
        case failures(group: String)
        case sent(receiver: String, integration: String)
        case failed(receiver: String, integration: String)
    }

    init(metrics registry: Metrics) {
        alerts = registry.family(MetricCatalog.alerts)
        failures = registry.family(MetricCatalog.ruleEvaluationFailures)
        sent = registry.family(MetricCatalog.notifications)
        failed = registry.family(MetricCatalog.notificationsFailed)
        for state in [AlertState.pending, .firing] { alerts.set(0, state.rawValue) }
    }

    /// Sets the alert gauges and advances the counters to what `service` has counted.
    func refresh(_ service: AlertService) {
        let active = service.activeAlerts
        for state in [AlertState.pending, .firing] {
            alerts.set(Double(active.filter { $0.state == state }.count), state.rawValue)
        }
        var totals: [(CounterKey, Int)] = service.evaluationFailures.map { (.failures(group: $0.key), $0.value) }
        for counter in service.deliveryCounters {
            let integration = counter.integration.rawValue
            totals.append((.sent(receiver: counter.receiver, integration: integration), counter.sent))
            totals.append((.failed(receiver: counter.receiver, integration: integration), counter.failed))
        }
        let deltas = exported.withLock { exported in
            var deltas: [(CounterKey, Int)] = []
            for (key, total) in totals where total > exported[key, default: 0] || exported[key] == nil {
                deltas.append((key, total - exported[key, default: 0]))
                exported[key] = total
            }
            return deltas
        }
        // A zero delta creates the series, so rates and alerts see it from its first scrape.
        for (key, delta) in deltas {
            switch key {
            case .failures(let group): failures.increment(by: Int64(delta), group)
            case .sent(let receiver, let integration): sent.increment(by: Int64(delta), receiver, integration)
            case .failed(let receiver, let integration): failed.increment(by: Int64(delta), receiver, integration)
            }
        }
    }
}
