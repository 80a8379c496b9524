import Alerting
import Foundation
import Logging
import Notifications
import ServiceLifecycle
import Synchronization
import Telemetry

/// The gateway's embedded alerting: its own scrapes go into a ``SeriesStore`` (fed by the
/// history sampler), the rule groups are evaluated on their intervals as Prometheus would, and
/// firing and resolved alerts go to the notification receivers (docs/console.md).
///
/// The store is kept even without rules: the dashboard's panels are PromQL over it.
public final class AlertService: Service, Sendable {
    public let store: SeriesStore
    public let settings: AlertingSettings
    private let engine: Mutex<RuleEngine>
    let notifications: NotificationService?
    let instance: String
    let externalURL: String
    let logger: Logger
    /// Rules loaded from the rule files.
    public let ruleCount: Int
    /// Failed rule evaluations so far, by group name.
    private let failures = Mutex([String: Int]())
    /// Whether the gateway serves: scrapes before that are not stored, as a Prometheus could not
    /// have taken them (the nodes are not probed yet and would all read unhealthy).
    private let serving = Atomic(false)

    /// Loads the rule files and the notifications file; an error names the file and each problem.
    public static func load(
        settings: AlertingSettings,
        instance: String,
        externalURL: String,
        logger: Logger
    ) throws(AlertingSetupError)
        -> AlertService
    {
        let store = SeriesStore(retention: settings.retention)
        let configuration = RuleEngineConfiguration(externalURL: externalURL, defaultInterval: settings.evaluationInterval)
        let engine: RuleEngine
        do {
            engine = try RuleEngine.load(ruleFiles: settings.ruleFiles.map { URL(fileURLWithPath: $0) }, store: store, configuration: configuration)
        } catch {
            throw AlertingSetupError(problems: error.problems)
        }
        var notifications: NotificationService?
        if let file = settings.notificationsFile {
            do {
                notifications = NotificationService(settings: try NotificationSettings.load(path: file), logger: logger)
            } catch {
                throw AlertingSetupError(problems: ["\(error)"])
            }
        }
        return AlertService(
            settings: settings,
            engine: engine,
            notifications: notifications,
            instance: instance,
            externalURL: externalURL,
            logger: logger
        )
    }

    /// No rules and no receivers: the store alone, for the dashboard.
    public convenience init(settings: AlertingSettings = AlertingSettings(), instance: String, logger: Logger) {
        let store = SeriesStore(retention: settings.retention)
        self.init(
            settings: settings,
            engine: RuleEngine(groups: [], store: store),
            notifications: nil,
            instance: instance,
            externalURL: "",
            logger: logger
        )
    }

    init(settings: AlertingSettings, engine: RuleEngine, notifications: NotificationService?, instance: String, externalURL: String, logger: Logger) {
        self.settings = settings
        store = engine.store
        ruleCount = engine.groups.reduce(0) { $0 + $1.group.rules.count }
        self.engine = Mutex(engine)
        self.notifications = notifications
        self.instance = instance
        self.externalURL = externalURL
        self.logger = logger
    }

    /// From now on, scrapes are stored (the first probe round is done and the server is starting).
    public func startScraping() {
        serving.store(true, ordering: .releasing)
    }

    /// Stores one scrape of the gateway's registry taken at `date`, once the gateway serves.
    public func ingest(_ families: [ExpositionFamily], at date: Date) {
        guard serving.load(ordering: .acquiring) else { return }
        store.appendScrape(SelfScrape.samples(families, instance: instance), timestampMs: Self.milliseconds(date), target: "self")
    }

    /// Evaluates the groups that are due at `date` and hands the alerts to the receivers.
    public func evaluate(at date: Date) async {
        let time = Self.milliseconds(date)
        let (evaluated, alerts) = engine.withLock { engine -> ([RuleGroupEvaluation], [Alert]) in
            let clock = ContinuousClock.now
            let evaluations = engine.evaluateDue(at: time)
            for evaluation in evaluations {
                engine.setEvaluationDurations(
                    group: evaluation.group,
                    file: evaluation.file,
                    group: (ContinuousClock.now - clock) / max(1, evaluations.count),
                    rules: []
                )
            }
            return (evaluations, engine.groups.flatMap { $0.lastEvaluation?.rules.flatMap(\.alerts) ?? [] })
        }
        for evaluation in evaluated {
            // Every group appears, so its failure counter starts at 0 with its first evaluation.
            let failed = evaluation.rules.filter { $0.health == .err }
            failures.withLock { $0[evaluation.group, default: 0] += failed.count }
            for rule in failed {
                logger.warning(
                    "alert rule failed",
                    metadata: ["group": "\(evaluation.group)", "rule": "\(rule.name)", "error": "\(rule.lastError ?? "")"]
                )
            }
        }
        guard let notifications, !evaluated.isEmpty else { return }
        await notifications.process(alerts: alerts.compactMap(notified), now: date)
    }

    /// An alert as the receivers see it: firing, or resolved once it fired; pending ones are not sent.
    func notified(_ alert: Alert) -> NotifiedAlert? {
        guard let fired = alert.firedAtMs else { return nil }
        let resolved = alert.resolvedAtMs.map { Date(timeIntervalSince1970: Double($0) / 1000) }
        return NotifiedAlert(
            labels: alert.labels.dictionary,
            annotations: alert.annotations.dictionary,
            status: resolved == nil ? .firing : .resolved,
            startsAt: Date(timeIntervalSince1970: Double(fired) / 1000),
            endsAt: resolved,
            generatorURL: externalURL + "/dashboard"
        )
    }

    /// `GET /api/v1/rules`.
    public var rules: RulesResponse { engine.withLock { RulesResponse(engine: $0) } }

    /// `GET /api/v1/alerts`: pending and firing alerts.
    public var alerts: AlertsResponse { engine.withLock { AlertsResponse(alerts: $0.activeAlerts) } }

    /// Pending and firing alerts, for the dashboard.
    public var activeAlerts: [Alert] { engine.withLock { $0.activeAlerts } }

    /// Failed rule evaluations so far, by group name (`ollamamax_rule_evaluation_failures_total`).
    public var evaluationFailures: [String: Int] { failures.withLock { $0 } }

    /// What each receiver was sent (`ollamamax_notifications_total`, `..._failed_total`).
    public var deliveryCounters: [DeliveryCounter] { notifications?.counters() ?? [] }

    /// Evaluates every second (groups fall due on their own intervals) and runs the receivers'
    /// deliveries; without rules there is nothing to evaluate or send, so it only waits for shutdown.
    public func run() async throws {
        guard ruleCount > 0 else {
            try? await gracefulShutdown()
            return
        }
        let tick = min(Duration.seconds(1), settings.evaluationInterval)
        await withDiscardingTaskGroup { group in
            if let notifications { group.addTask { await notifications.run() } }
            try? await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    await self.evaluate(at: Date())
                    try await Task.sleep(for: tick)
                }
            }
            group.cancelAll()
        }
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}

/// Rule files or a notifications file that could not be loaded: every problem, each naming its file.
public struct AlertingSetupError: Error, Sendable, CustomStringConvertible {
    public let problems: [String]
    public var description: String { problems.joined(separator: "\n") }
}
