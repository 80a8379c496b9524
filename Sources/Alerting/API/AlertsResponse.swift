/// The body of Prometheus' `GET /api/v1/alerts`:
/// `{"status":"success","data":{"alerts":[{labels, annotations, state, activeAt, value}]}}`.
public struct AlertsResponse: Encodable, Sendable {
    /// Always `success`.
    public let status = "success"
    /// The alerts.
    public let data: AlertList

    /// The `data` object.
    public struct AlertList: Encodable, Sendable {
        /// Pending and firing alerts.
        public let alerts: [APIAlert]
    }

    /// Lists `alerts` (pending and firing; resolved ones are left out, as Prometheus does).
    public init(alerts: [Alert]) {
        data = AlertList(alerts: alerts.filter(\.isActive).map(APIAlert.init))
    }
}

/// One alert as Prometheus' HTTP API renders it: value as a string in Go's `%e` form, times in RFC 3339.
public struct APIAlert: Encodable, Sendable {
    /// The alert's labels.
    public let labels: Labels
    /// The alert's annotations.
    public let annotations: Labels
    /// `pending`, `firing` or `inactive`.
    public let state: String
    /// When the alert became active, e.g. `2024-05-01T12:00:00Z`.
    public let activeAt: String
    /// Since when `keep_firing_for` holds the alert, if it does.
    public let keepFiringSince: String?
    /// The value, e.g. `1.5e+03`.
    public let value: String

    /// Renders `alert`.
    public init(_ alert: Alert) {
        labels = alert.labels
        annotations = alert.annotations
        state = alert.state.rawValue
        activeAt = GoTime.rfc3339(milliseconds: alert.activeAtMs)
        keepFiringSince = alert.keepFiringSinceMs.map(GoTime.rfc3339(milliseconds:))
        value = GoFloat.format(alert.value, "e")
    }

    private enum CodingKeys: String, CodingKey {
        case labels, annotations, state, activeAt, keepFiringSince, value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(labels, forKey: .labels)
        try container.encode(annotations, forKey: .annotations)
        try container.encode(state, forKey: .state)
        try container.encode(activeAt, forKey: .activeAt)
        try container.encodeIfPresent(keepFiringSince, forKey: .keepFiringSince)
        try container.encode(value, forKey: .value)
    }
}

extension Labels: Encodable {
    /// Labels encode as a JSON object from name to value, as in Prometheus' API.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: LabelKey.self)
        for pair in pairs {
            try container.encode(pair.value, forKey: LabelKey(pair.name))
        }
    }
}

/// A coding key for an arbitrary label name.
struct LabelKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) {
        stringValue = name
    }

    init?(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        return nil
    }
}
