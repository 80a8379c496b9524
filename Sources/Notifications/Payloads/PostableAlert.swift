import Foundation

/// One element of the body Prometheus POSTs to Alertmanager's `/api/v2/alerts`.
public struct PostableAlert: Sendable, Hashable, Codable {
    /// The alert's labels.
    public var labels: [String: String]
    /// Its annotations.
    public var annotations: [String: String]
    /// When it started firing, RFC 3339.
    public var startsAt: String
    /// When it ends: for a firing alert, when Alertmanager should consider it resolved unless it
    /// hears again; for a resolved one, when it resolved. RFC 3339.
    public var endsAt: String
    /// Where it comes from; omitted when empty.
    public var generatorURL: String?

    /// The element for `alert`, ending at `endsAt`.
    public init(_ alert: NotifiedAlert, endsAt: Date) {
        labels = alert.labels
        annotations = alert.annotations
        startsAt = Timestamp.rfc3339(alert.startsAt)
        self.endsAt = Timestamp.rfc3339(endsAt)
        generatorURL = alert.generatorURL.isEmpty ? nil : alert.generatorURL
    }
}
