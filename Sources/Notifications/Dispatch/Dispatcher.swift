import Foundation

/// Routes alerts into groups and decides which notifications are due: Alertmanager's dispatcher
/// and notification log as a pure value, with time passed in.
///
/// Each call to ``notifications(for:now:)`` takes the alerts the evaluator holds now:
/// 1. Each alert goes to the routes that match it (``RouteSettings``) and into the group of its
///    grouping labels there; a firing alert missing from the input counts as resolved now.
/// 2. A new group is flushed `group_wait` after it appeared (at once if an alert in it started
///    more than `group_wait` ago), then every `group_interval`.
/// 3. At a flush each integration of the receiver is notified when the group changed for it: an
///    alert fires that it was not told of, everything resolved, or (if it sends resolved
///    alerts) an alert resolved; an unchanged group is notified again after `repeat_interval`.
/// 4. Once every notification of a flush is delivered, its resolved alerts leave the group, and
///    an empty group is dropped.
///
/// The caller reports each notification's outcome with ``delivered(_:)`` or ``failed(_:)``;
/// a group is not flushed again until all of its flush's notifications are reported, and a
/// failed integration is notified again at the next flush.
public struct Dispatcher: Sendable {
    private let root: RouteTree?
    private let integrations: [String: [Integration]]
    private var groups: [GroupID: AlertGroup] = [:]
    private var log: [LogKey: LogEntry] = [:]
    private var flushes: [UInt64: Flush] = [:]
    private var lastFlush: UInt64 = 0

    private struct LogKey: Hashable {
        let group: GroupID
        let integration: IntegrationID
    }

    /// A flush whose notifications are out: what the log records when each is delivered.
    private struct Flush {
        let group: GroupID
        let firing: Set<Fingerprint>
        let resolved: [Fingerprint: NotifiedAlert]
        let at: Date
        var outstanding: Set<IntegrationID>
        var failed = false
    }

    /// A dispatcher for `settings`' routes and receivers.
    public init(settings: NotificationSettings) {
        root = settings.route.map(RouteTree.init(root:))
        integrations = Dictionary(settings.receivers.map { ($0.name, $0.integrations) }, uniquingKeysWith: { first, _ in first })
    }

    /// The keys of the groups it holds, sorted.
    public var groupKeys: [String] { groups.values.map(\.key).sorted() }

    /// Takes the alerts held `now` and returns the notifications to send now.
    public mutating func notifications(for alerts: [NotifiedAlert], now: Date) -> [AlertNotification] {
        ingest(alerts, now: now)
        var due: [AlertNotification] = []
        for id in groups.keys.sorted(by: { $0.route + LabelText.set($0.labels) < $1.route + LabelText.set($1.labels) }) {
            guard let group = groups[id], group.pendingFlush == nil, group.nextFlush <= now else { continue }
            due += flush(id, now: now)
        }
        return due
    }

    /// Records that `notification` reached its integration.
    public mutating func delivered(_ notification: AlertNotification) {
        guard var flush = flushes[notification.flush], flush.outstanding.remove(notification.integration) != nil else { return }
        let key = LogKey(group: flush.group, integration: notification.integration)
        log[key] = LogEntry(firing: flush.firing, resolved: Set(flush.resolved.keys), at: flush.at)
        settle(notification.flush, flush)
    }

    /// Records that `notification` could not be delivered: the integration is notified again at
    /// the group's next flush, and the flush's resolved alerts stay until then.
    public mutating func failed(_ notification: AlertNotification) {
        guard var flush = flushes[notification.flush], flush.outstanding.remove(notification.integration) != nil else { return }
        flush.failed = true
        settle(notification.flush, flush)
    }

    private mutating func ingest(_ alerts: [NotifiedAlert], now: Date) {
        var present: Set<Fingerprint> = []
        for alert in alerts { present.insert(alert.fingerprint) }
        for id in Array(groups.keys) {
            for (fingerprint, alert) in groups[id]?.alerts ?? [:] where alert.status == .firing && !present.contains(fingerprint) {
                groups[id]?.alerts[fingerprint] = alert.resolved(at: now)
            }
        }
        guard let root else { return }
        for alert in alerts {
            let fingerprint = alert.fingerprint
            for route in root.routes(for: alert.labels) {
                let id = GroupID(route: route.id, labels: route.groupBy.groupLabels(of: alert.labels))
                switch alert.status {
                case .firing:
                    var firing = alert
                    firing.endsAt = nil
                    var group = groups[id] ?? AlertGroup(route: route, labels: id.labels, createdAt: now)
                    group.alerts[fingerprint] = firing
                    if !group.hasFlushed && alert.startsAt + route.groupWait.timeInterval < now {
                        group.nextFlush = min(group.nextFlush, now)
                    }
                    groups[id] = group
                case .resolved:
                    // Only an alert the group holds can resolve: one never seen firing is not news.
                    guard let held = groups[id]?.alerts[fingerprint] else { continue }
                    let resolvedAt = held.status == .resolved ? (held.endsAt ?? now) : now
                    groups[id]?.alerts[fingerprint] = alert.resolved(at: resolvedAt)
                }
            }
        }
    }

    private mutating func flush(_ id: GroupID, now: Date) -> [AlertNotification] {
        guard var group = groups[id] else { return [] }
        group.hasFlushed = true
        group.nextFlush = now + group.route.groupInterval.timeInterval
        let firing = group.firing
        let resolvedAlerts = group.alerts.filter { $0.value.status == .resolved }
        let resolved = Set(resolvedAlerts.keys)
        lastFlush += 1
        var due: [AlertNotification] = []
        for integration in integrations[group.route.receiver] ?? [] {
            let key = LogKey(group: id, integration: integration.id)
            let needed = LogEntry.needsUpdate(
                log[key],
                firing: firing,
                resolved: resolved,
                sendResolved: integration.sendResolved,
                repeatInterval: group.route.repeatInterval,
                now: now
            )
            guard needed else { continue }
            if !integration.sendResolved && firing.isEmpty {
                // The all-clear for an integration that is not told of resolutions: logged, not sent.
                log[key] = LogEntry(firing: firing, resolved: resolved, at: now)
                continue
            }
            let alerts = group.ordered.filter { integration.sendResolved || $0.status == .firing }
            due.append(
                AlertNotification(
                    integration: integration.id,
                    groupKey: group.key,
                    groupLabels: group.labels,
                    alerts: alerts,
                    createdAt: now,
                    flush: lastFlush
                )
            )
        }
        groups[id] = group
        let flush = Flush(
            group: id,
            firing: firing,
            resolved: resolvedAlerts,
            at: now,
            outstanding: Set(due.map(\.integration))
        )
        if due.isEmpty {
            settle(lastFlush, flush)
        } else {
            groups[id]?.pendingFlush = lastFlush
            flushes[lastFlush] = flush
        }
        return due
    }

    /// Ends a flush once nothing of it is outstanding: a flush delivered everywhere removes the
    /// resolved alerts it carried (unless one fired again since), and a group left empty goes.
    private mutating func settle(_ number: UInt64, _ flush: Flush) {
        guard flush.outstanding.isEmpty else {
            flushes[number] = flush
            return
        }
        flushes[number] = nil
        guard var group = groups[flush.group] else { return }
        if group.pendingFlush == number { group.pendingFlush = nil }
        if !flush.failed {
            for (fingerprint, alert) in flush.resolved where group.alerts[fingerprint] == alert {
                group.alerts[fingerprint] = nil
            }
        }
        if group.alerts.isEmpty && group.pendingFlush == nil {
            groups[flush.group] = nil
            log = log.filter { $0.key.group != flush.group }
        } else {
            groups[flush.group] = group
        }
    }
}
