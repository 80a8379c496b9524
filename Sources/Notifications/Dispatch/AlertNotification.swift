import Crypto
import Foundation

/// One message the dispatcher decided to send now: a group's alerts for one integration of the
/// group's receiver.
///
/// The alerts are already what the integration gets: without resolved ones when it does not
/// send resolved alerts, ordered as Alertmanager orders them (`job`, then `instance`, then the
/// whole label set).
public struct AlertNotification: Sendable, Hashable {
    /// The integration to send to; its receiver is the group's.
    public var integration: IntegrationID
    /// Alertmanager's group key: `{}/{severity="critical"}:{alertname="NodeDown"}`.
    public var groupKey: String
    /// The labels the group is made of (its `group_by` values).
    public var groupLabels: [String: String]
    /// The alerts to notify.
    public var alerts: [NotifiedAlert]
    /// When the dispatcher decided to send it.
    public var createdAt: Date
    /// Which flush of the dispatcher it belongs to, to report its outcome.
    let flush: UInt64

    /// Makes a notification by hand (to preview a payload, say); the dispatcher makes the ones
    /// it tracks, and ignores outcomes reported for any other.
    /// - Parameters:
    ///   - integration: where it goes.
    ///   - groupKey: the group key.
    ///   - groupLabels: the group's labels.
    ///   - alerts: the alerts.
    ///   - createdAt: when it was made.
    public init(integration: IntegrationID, groupKey: String, groupLabels: [String: String], alerts: [NotifiedAlert], createdAt: Date) {
        self.init(integration: integration, groupKey: groupKey, groupLabels: groupLabels, alerts: alerts, createdAt: createdAt, flush: 0)
    }

    init(integration: IntegrationID, groupKey: String, groupLabels: [String: String], alerts: [NotifiedAlert], createdAt: Date, flush: UInt64) {
        self.integration = integration
        self.groupKey = groupKey
        self.groupLabels = groupLabels
        self.alerts = alerts
        self.createdAt = createdAt
        self.flush = flush
    }

    /// The receiver's name.
    public var receiver: String { integration.receiver }

    /// `firing` when any alert fires, else `resolved`.
    public var status: NotifiedAlert.Status { alerts.contains { $0.status == .firing } ? .firing : .resolved }

    /// The firing alerts.
    public var firing: [NotifiedAlert] { alerts.filter { $0.status == .firing } }

    /// The resolved alerts.
    public var resolved: [NotifiedAlert] { alerts.filter { $0.status == .resolved } }

    /// The labels every alert has with the same value.
    public var commonLabels: [String: String] { Self.common(alerts.map(\.labels)) }

    /// The annotations every alert has with the same value.
    public var commonAnnotations: [String: String] { Self.common(alerts.map(\.annotations)) }

    /// The SHA-256 of the group key in hex: PagerDuty's `dedup_key`, as Alertmanager computes it.
    public var groupKeyHash: String { SHA256.hash(data: Data(groupKey.utf8)).map { String(format: "%02x", $0) }.joined() }

    private static func common(_ sets: [[String: String]]) -> [String: String] {
        guard var shared = sets.first else { return [:] }
        for set in sets.dropFirst() {
            shared = shared.filter { set[$0.key] == $0.value }
        }
        return shared
    }
}

/// Alertmanager's order of alerts within a notification.
enum AlertOrder {
    static func precedes(_ a: NotifiedAlert, _ b: NotifiedAlert) -> Bool {
        for name in ["job", "instance"] {
            switch (a.labels[name], b.labels[name]) {
            case (nil, nil): continue
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?) where x != y: return x < y
            default: continue
            }
        }
        let left = LabelText.sortedPairs(a.labels)
        let right = LabelText.sortedPairs(b.labels)
        for (l, r) in zip(left, right) where l != r {
            return l.name != r.name ? l.name < r.name : l.value < r.value
        }
        return left.count < right.count
    }
}
