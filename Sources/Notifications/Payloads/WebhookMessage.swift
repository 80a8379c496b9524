import Foundation

/// Alertmanager's webhook payload, version 4: what `webhook_configs` receivers get.
public struct WebhookMessage: Sendable, Hashable, Codable {
    /// Always `"4"`.
    public var version: String
    /// The group key.
    public var groupKey: String
    /// How many alerts `max_alerts` left out.
    public var truncatedAlerts: Int
    /// `firing` when any alert fires, else `resolved`.
    public var status: String
    /// The receiver's name.
    public var receiver: String
    /// The group's labels.
    public var groupLabels: [String: String]
    /// Labels all alerts share.
    public var commonLabels: [String: String]
    /// Annotations all alerts share.
    public var commonAnnotations: [String: String]
    /// The gateway's URL.
    public var externalURL: String
    /// The alerts.
    public var alerts: [Alert]

    /// One alert of the payload.
    public struct Alert: Sendable, Hashable, Codable {
        /// `firing` or `resolved`.
        public var status: String
        /// Its labels.
        public var labels: [String: String]
        /// Its annotations.
        public var annotations: [String: String]
        /// RFC 3339.
        public var startsAt: String
        /// RFC 3339; Go's zero time (`0001-01-01T00:00:00Z`) while firing.
        public var endsAt: String
        /// Where it comes from.
        public var generatorURL: String
        /// Its label set's fingerprint (16 hex digits).
        public var fingerprint: String

        init(_ alert: NotifiedAlert) {
            status = alert.status.rawValue
            labels = alert.labels
            annotations = alert.annotations
            startsAt = Timestamp.rfc3339(alert.startsAt)
            endsAt = alert.endsAt.map(Timestamp.rfc3339) ?? Timestamp.goZero
            generatorURL = alert.generatorURL
            fingerprint = alert.fingerprint.description
        }
    }

    /// The payload for `notification`, keeping the first `maxAlerts` alerts (0 keeps all).
    public init(_ notification: AlertNotification, externalURL: String, maxAlerts: Int) {
        var alerts = notification.alerts
        var truncated = 0
        if maxAlerts > 0 && alerts.count > maxAlerts {
            truncated = alerts.count - maxAlerts
            alerts = Array(alerts.prefix(maxAlerts))
        }
        version = "4"
        groupKey = notification.groupKey
        truncatedAlerts = truncated
        status = notification.status.rawValue
        receiver = notification.receiver
        groupLabels = notification.groupLabels
        commonLabels = notification.commonLabels
        commonAnnotations = notification.commonAnnotations
        self.externalURL = externalURL
        self.alerts = alerts.map(Alert.init)
    }
}

/// JSON as every payload here is written: keys sorted, slashes unescaped.
enum PayloadJSON {
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
