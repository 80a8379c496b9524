import Foundation

/// Identifies a group: the route that took its alerts and the values of its grouping labels.
struct GroupID: Sendable, Hashable {
    let route: String
    let labels: [String: String]
}

/// The alerts of one route with the same grouping labels, and when they are next looked at.
struct AlertGroup: Sendable {
    let route: RouteTree
    let labels: [String: String]
    /// Alertmanager's group key: the route key, a colon, the group labels.
    let key: String
    /// The alerts by fingerprint: firing ones, and resolved ones not yet notified.
    var alerts: [Fingerprint: NotifiedAlert] = [:]
    /// When the group is next flushed: `group_wait` after it was made, then every `group_interval`.
    var nextFlush: Date
    /// Whether the first flush happened.
    var hasFlushed = false
    /// The flush whose notifications are still being delivered; the group is not flushed again
    /// before they all finish, so an integration never gets two of its messages at once.
    var pendingFlush: UInt64?

    init(route: RouteTree, labels: [String: String], createdAt: Date) {
        self.route = route
        self.labels = labels
        self.key = "\(route.key):\(LabelText.set(labels))"
        self.nextFlush = createdAt + route.groupWait.timeInterval
    }

    /// The fingerprints of the firing alerts.
    var firing: Set<Fingerprint> { Set(alerts.filter { $0.value.status == .firing }.keys) }

    /// The fingerprints of the resolved alerts.
    var resolved: Set<Fingerprint> { Set(alerts.filter { $0.value.status == .resolved }.keys) }

    /// The alerts in Alertmanager's order.
    var ordered: [NotifiedAlert] { alerts.values.sorted(by: AlertOrder.precedes) }
}

/// What an integration was last told about a group (Alertmanager's notification log entry).
struct LogEntry: Sendable, Hashable {
    var firing: Set<Fingerprint>
    var resolved: Set<Fingerprint>
    var at: Date

    /// Whether a flush with `firing` and `resolved` alerts must notify this integration, by
    /// Alertmanager's rules (`DedupStage.needsUpdate`):
    /// - never told: only when something fires;
    /// - an alert fires that it was not told of: yes;
    /// - nothing fires any more: yes if it was told something fired (the all-clear);
    /// - an alert resolved that it was not told of, and it sends resolved alerts: yes;
    /// - otherwise when `repeat` has passed since it was told.
    static func needsUpdate(
        _ entry: LogEntry?,
        firing: Set<Fingerprint>,
        resolved: Set<Fingerprint>,
        sendResolved: Bool,
        repeatInterval: Duration,
        now: Date
    ) -> Bool {
        guard let entry else { return !firing.isEmpty }
        if !firing.isSubset(of: entry.firing) { return true }
        if firing.isEmpty { return !entry.firing.isEmpty }
        if sendResolved && !resolved.isSubset(of: entry.resolved) { return true }
        return entry.at + repeatInterval.timeInterval <= now
    }
}

extension Duration {
    /// The duration in seconds, for `Date` arithmetic.
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
