import Foundation

/// What is posted to Alertmanagers each evaluation, decided as Prometheus decides it.
///
/// Every firing alert is sent every evaluation with `endsAt` four evaluation intervals ahead
/// (at least four minutes, Prometheus' default resend delay of one minute times four), so an
/// Alertmanager that stops hearing from the gateway resolves the alerts by itself. A resolved
/// alert (one the input marks resolved, or a firing one that left the input) is sent with its
/// resolution time as `endsAt` for 15 minutes, so one lost post does not leave it firing there.
public struct AlertForwarding: Sendable {
    /// How long resolved alerts keep being sent (Prometheus' `resolvedRetention`).
    public static let resolvedRetention: Duration = .seconds(15 * 60)
    /// The shortest validity a firing alert is sent with.
    public static let minimumValidity: Duration = .seconds(4 * 60)

    private var firing: [Fingerprint: NotifiedAlert] = [:]
    private var resolved: [Fingerprint: NotifiedAlert] = [:]
    private var lastEvaluation: Date?

    /// Starts with no alerts.
    public init() {}

    /// The alerts to post for the alerts held `now`, oldest labels first; empty when there is
    /// nothing to tell.
    public mutating func batch(for alerts: [NotifiedAlert], now: Date) -> [PostableAlert] {
        let interval = lastEvaluation.map { max(0, now.timeIntervalSince($0)) } ?? 0
        lastEvaluation = now
        let validUntil = now + max(Self.minimumValidity.timeInterval, 4 * interval)
        var present: [Fingerprint: NotifiedAlert] = [:]
        for alert in alerts { present[alert.fingerprint] = alert }
        for (fingerprint, alert) in firing where present[fingerprint] == nil {
            resolved[fingerprint] = alert.resolved(at: now)
        }
        firing = [:]
        for (fingerprint, alert) in present {
            switch alert.status {
            case .firing:
                firing[fingerprint] = alert
                resolved[fingerprint] = nil
            case .resolved:
                resolved[fingerprint] = alert.resolved(at: resolved[fingerprint]?.endsAt ?? now)
            }
        }
        resolved = resolved.filter { now.timeIntervalSince($0.value.endsAt ?? now) <= Self.resolvedRetention.timeInterval }
        let posted =
            firing.values.map { PostableAlert($0, endsAt: validUntil) }
            + resolved.values.map { PostableAlert($0, endsAt: $0.endsAt ?? now) }
        return posted.sorted { LabelText.set($0.labels) < LabelText.set($1.labels) }
    }
}
