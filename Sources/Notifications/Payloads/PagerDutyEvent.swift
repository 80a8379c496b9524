import Foundation

/// A PagerDuty Events API v2 event: `trigger` while any alert of the group fires, `resolve`
/// when all resolved, with the SHA-256 of the group key as `dedup_key` (as Alertmanager), so one
/// group is one incident.
public struct PagerDutyEvent: Sendable, Hashable, Codable {
    /// The integration's routing key: on the wire only, never shown.
    public var routingKey: Secret
    /// `trigger` or `resolve`.
    public var eventAction: String
    /// The group key's SHA-256 in hex.
    public var dedupKey: String
    /// What the incident shows; absent on `resolve`, which PagerDuty does not need it for.
    public var payload: Payload?
    /// The product that sent the event.
    public var client: String?
    /// A link to it (the gateway's URL).
    public var clientURL: String?
    /// Links shown on the incident (the dashboard).
    public var links: [Link]?

    /// The incident details.
    public struct Payload: Sendable, Hashable, Codable {
        /// The summary line, at most 1024 characters.
        public var summary: String
        /// What the problem is on (`ollamamax`, or the common `instance`).
        public var source: String
        /// `critical`, `error`, `warning` or `info`.
        public var severity: String
        /// When the earliest alert started, RFC 3339.
        public var timestamp: String?
        /// Extra fields: the firing and resolved alerts as text, and their counts.
        public var customDetails: [String: String]

        enum CodingKeys: String, CodingKey {
            case summary, source, severity, timestamp
            case customDetails = "custom_details"
        }
    }

    /// A link on the incident.
    public struct Link: Sendable, Hashable, Codable {
        /// The URL.
        public var href: String
        /// Its label.
        public var text: String
    }

    enum CodingKeys: String, CodingKey {
        case routingKey = "routing_key"
        case eventAction = "event_action"
        case dedupKey = "dedup_key"
        case payload, client, links
        case clientURL = "client_url"
    }

    /// The event for `notification`.
    /// - Parameters:
    ///   - notification: what to tell.
    ///   - settings: the integration (routing key, fallback severity).
    ///   - externalURL: the gateway's URL, the event's `client_url`.
    ///   - dashboardURL: linked from the incident.
    public init(_ notification: AlertNotification, settings: PagerDutySettings, externalURL: String, dashboardURL: String?) {
        routingKey = settings.routingKey
        dedupKey = notification.groupKeyHash
        client = "OllamaMax"
        clientURL = externalURL.isEmpty ? nil : externalURL
        links = dashboardURL.map { [Link(href: $0, text: "OllamaMax dashboard")] }
        guard notification.status == .firing else {
            eventAction = "resolve"
            payload = nil
            return
        }
        eventAction = "trigger"
        let firing = notification.firing
        let resolved = notification.resolved
        payload = Payload(
            summary: Summary.truncate(Summary.line(notification), 1024),
            source: notification.commonLabels["instance"] ?? "ollamamax",
            severity: Summary.severity(notification) ?? settings.severity,
            timestamp: firing.map(\.startsAt).min().map(Timestamp.rfc3339),
            customDetails: [
                "firing": Self.describe(firing),
                "resolved": Self.describe(resolved),
                "num_firing": String(firing.count),
                "num_resolved": String(resolved.count),
            ]
        )
    }

    /// Encodes the routing key itself: this is the wire format (``Secret`` alone encodes its mask).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(routingKey.revealed, forKey: .routingKey)
        try container.encode(eventAction, forKey: .eventAction)
        try container.encode(dedupKey, forKey: .dedupKey)
        try container.encodeIfPresent(payload, forKey: .payload)
        try container.encodeIfPresent(client, forKey: .client)
        try container.encodeIfPresent(clientURL, forKey: .clientURL)
        try container.encodeIfPresent(links, forKey: .links)
    }

    /// Alertmanager's text alert list: labels, annotations and source of each alert.
    static func describe(_ alerts: [NotifiedAlert]) -> String {
        alerts.map { alert in
            var text = "Labels:\n" + LabelText.sortedPairs(alert.labels).map { " - \($0.name) = \($0.value)\n" }.joined()
            text += "Annotations:\n" + LabelText.sortedPairs(alert.annotations).map { " - \($0.name) = \($0.value)\n" }.joined()
            return text + "Source: \(alert.generatorURL)\n"
        }.joined()
    }
}
