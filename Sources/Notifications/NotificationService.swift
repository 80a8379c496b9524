import Foundation
import Logging

/// What the gateway calls each evaluation: routes and groups the alerts, decides what is due,
/// and hands it to a delivery loop; also forwards every alert to the configured Alertmanagers.
///
/// ``process(alerts:now:)`` returns as soon as the work is queued; ``run()`` sends it, every
/// message concurrently, so a slow or failing receiver never holds up another or the evaluation
/// loop. Call ``run()`` once, for the service's lifetime: it has the shape of a ServiceLifecycle
/// `Service.run()`, and cancelling it stops the deliveries in flight; after it ends nothing more
/// is sent (what is due counts as failed, and is due again at the next flush).
///
/// ```swift
/// let notifications = NotificationService(settings: try NotificationSettings.load(path: path))
/// async let loop: Void = notifications.run()
/// // each evaluation:
/// await notifications.process(alerts: evaluated, now: Date())
/// ```
public actor NotificationService {
    private let settings: NotificationSettings
    private let delivery: NotificationDelivery
    private let logger: Logger
    private let integrations: [IntegrationID: Integration]
    private var dispatcher: Dispatcher
    private var forwarding = AlertForwarding()
    private var forwardsInFlight: Set<Int> = []
    private var inFlight = 0
    private var idleWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter = 0
    private var running = false
    private let jobs: AsyncStream<Job>
    private let queue: AsyncStream<Job>.Continuation

    private enum Job: Sendable {
        case notify(AlertNotification, OutgoingMessage, Integration)
        case forward(index: Int, OutgoingMessage)
    }

    /// Makes a service.
    /// - Parameters:
    ///   - settings: routes, receivers and Alertmanagers.
    ///   - delivery: how messages are sent and counted.
    ///   - logger: where undeliverable notifications are reported.
    public init(
        settings: NotificationSettings,
        delivery: NotificationDelivery = NotificationDelivery(),
        logger: Logger = Logger(label: "ollamamax.notifications")
    ) {
        self.settings = settings
        self.delivery = delivery
        self.logger = logger
        self.dispatcher = Dispatcher(settings: settings)
        var integrations: [IntegrationID: Integration] = [:]
        for receiver in settings.receivers {
            for integration in receiver.integrations { integrations[integration.id] = integration }
        }
        self.integrations = integrations
        (jobs, queue) = AsyncStream.makeStream(of: Job.self)
    }

    /// Takes the alerts the evaluator holds `now` (firing ones, and resolved ones it still
    /// reports; a firing alert that disappears counts as resolved) and queues what is due.
    public func process(alerts: [NotifiedAlert], now: Date) async {
        for notification in dispatcher.notifications(for: alerts, now: now) {
            guard let integration = integrations[notification.integration] else {
                dispatcher.failed(notification)
                continue
            }
            do {
                let message = try OutgoingMessage.render(notification, for: integration, settings: settings, date: now)
                enqueue(.notify(notification, message, integration))
            } catch {
                logger.error(
                    "notification not rendered",
                    metadata: ["receiver": "\(notification.receiver)", "integration": "\(integration.id.kind.rawValue)", "error": "\(error)"]
                )
                dispatcher.failed(notification)
            }
        }
        guard !settings.alertmanagers.isEmpty else { return }
        let batch = forwarding.batch(for: alerts, now: now)
        guard !batch.isEmpty else { return }
        for (index, target) in settings.alertmanagers.enumerated() where !forwardsInFlight.contains(index) {
            // A post still in flight is not doubled: the next evaluation sends the whole state again.
            guard let message = try? OutgoingMessage.forward(batch, to: target) else { continue }
            forwardsInFlight.insert(index)
            enqueue(.forward(index: index, message))
        }
    }

    /// Sends queued messages until cancelled; each message in its own child task.
    public func run() async {
        guard !running else {
            logger.error("NotificationService.run() called while already running; the second call returns at once")
            return
        }
        running = true
        await withDiscardingTaskGroup { group in
            for await job in jobs {
                group.addTask { await self.perform(job) }
            }
        }
        queue.finish()
    }

    /// Returns once nothing is queued or being delivered, or when the calling task is cancelled.
    public func waitUntilIdle() async {
        guard inFlight > 0 else { return }
        nextWaiter += 1
        let id = nextWaiter
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume()
                } else {
                    idleWaiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.stopWaiting(id) }
        }
    }

    private func stopWaiting(_ id: Int) {
        idleWaiters.removeValue(forKey: id)?.resume()
    }

    /// What was delivered so far, per receiver and integration kind.
    public nonisolated func counters() -> [DeliveryCounter] {
        delivery.counters()
    }

    /// The keys of the alert groups held.
    public var groupKeys: [String] { dispatcher.groupKeys }

    private func enqueue(_ job: Job) {
        guard case .terminated = queue.yield(job) else {
            inFlight += 1
            return
        }
        // run() has ended: nothing will be sent, so the dispatcher tries again at the next flush.
        switch job {
        case .notify(let notification, _, _): dispatcher.failed(notification)
        case .forward(let index, _): forwardsInFlight.remove(index)
        }
    }

    private nonisolated func perform(_ job: Job) async {
        switch job {
        case .notify(let notification, let message, let integration):
            let delivered = await delivery.deliver(
                message,
                receiver: notification.receiver,
                integration: integration.id.kind,
                secrets: integration.secrets,
                about: "\(integration.id) \(notification.groupKey)"
            )
            await finished(notification, delivered: delivered)
        case .forward(let index, let message):
            _ = await delivery.deliver(message, receiver: "alertmanager[\(index)]", integration: .alertmanager, secrets: [], about: "alerts")
            await forwarded(index)
        }
    }

    private func finished(_ notification: AlertNotification, delivered: Bool) {
        if delivered {
            dispatcher.delivered(notification)
        } else {
            dispatcher.failed(notification)
        }
        done()
    }

    private func forwarded(_ index: Int) {
        forwardsInFlight.remove(index)
        done()
    }

    private func done() {
        inFlight -= 1
        guard inFlight == 0 else { return }
        let waiters = idleWaiters.values
        idleWaiters = [:]
        for waiter in waiters { waiter.resume() }
    }
}
