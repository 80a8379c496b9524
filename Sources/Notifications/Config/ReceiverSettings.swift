/// A named set of integrations that notifications are sent to (`receivers:`).
///
/// A receiver with no integrations is allowed: what is routed to it is dropped, as in
/// Alertmanager (a way to silence a branch of the tree).
public struct ReceiverSettings: Sendable, Hashable {
    /// The name routes refer to.
    public var name: String
    /// `webhook_configs:`: Alertmanager webhook payloads.
    public var webhooks: [WebhookSettings]
    /// `slack_configs:`: Slack incoming webhooks.
    public var slack: [SlackSettings]
    /// `email_configs:`: e-mail through an SMTP relay.
    public var email: [EmailSettings]
    /// `pagerduty_configs:`: PagerDuty Events API v2.
    public var pagerDuty: [PagerDutySettings]

    /// Makes a receiver.
    /// - Parameters:
    ///   - name: the name routes refer to.
    ///   - webhooks: webhook integrations.
    ///   - slack: Slack integrations.
    ///   - email: e-mail integrations.
    ///   - pagerDuty: PagerDuty integrations.
    public init(
        name: String,
        webhooks: [WebhookSettings] = [],
        slack: [SlackSettings] = [],
        email: [EmailSettings] = [],
        pagerDuty: [PagerDutySettings] = []
    ) {
        self.name = name
        self.webhooks = webhooks
        self.slack = slack
        self.email = email
        self.pagerDuty = pagerDuty
    }

    /// Every integration with its identity, in a stable order.
    public var integrations: [Integration] {
        webhooks.enumerated().map { Integration(id: IntegrationID(receiver: name, kind: .webhook, index: $0), settings: .webhook($1)) }
            + slack.enumerated().map { Integration(id: IntegrationID(receiver: name, kind: .slack, index: $0), settings: .slack($1)) }
            + email.enumerated().map { Integration(id: IntegrationID(receiver: name, kind: .email, index: $0), settings: .email($1)) }
            + pagerDuty.enumerated().map {
                Integration(id: IntegrationID(receiver: name, kind: .pagerDuty, index: $0), settings: .pagerDuty($1))
            }
    }
}

/// A kind of destination: the `integration` label of the delivery counters.
public enum IntegrationKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// An HTTP endpoint that takes Alertmanager's webhook payload.
    case webhook
    /// A Slack incoming webhook.
    case slack
    /// E-mail over SMTP.
    case email
    /// PagerDuty's Events API v2.
    case pagerDuty = "pagerduty"
    /// An Alertmanager that the alerts are forwarded to (`alertmanagers:`).
    case alertmanager

    /// The configuration key that lists integrations of this kind.
    var configKey: String {
        switch self {
        case .webhook: "webhook_configs"
        case .slack: "slack_configs"
        case .email: "email_configs"
        case .pagerDuty: "pagerduty_configs"
        case .alertmanager: "alertmanagers"
        }
    }
}

/// One integration of one receiver: `critical`'s second Slack configuration is
/// `critical/slack_configs[1]`.
public struct IntegrationID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The receiver's name.
    public var receiver: String
    /// The kind of integration.
    public var kind: IntegrationKind
    /// Its position among the receiver's integrations of that kind.
    public var index: Int

    /// Makes an identity.
    public init(receiver: String, kind: IntegrationKind, index: Int) {
        self.receiver = receiver
        self.kind = kind
        self.index = index
    }

    public var description: String { "\(receiver)/\(kind.configKey)[\(index)]" }

    public static func < (lhs: IntegrationID, rhs: IntegrationID) -> Bool {
        (lhs.receiver, lhs.kind.rawValue, lhs.index) < (rhs.receiver, rhs.kind.rawValue, rhs.index)
    }
}

/// An integration's identity and settings.
public struct Integration: Sendable, Hashable {
    /// Which integration it is.
    public var id: IntegrationID
    /// How it is reached.
    public var settings: IntegrationSettings

    /// Whether resolved alerts are notified to it.
    public var sendResolved: Bool {
        switch settings {
        case .webhook(let webhook): webhook.sendResolved
        case .slack(let slack): slack.sendResolved
        case .email(let email): email.sendResolved
        case .pagerDuty(let pagerDuty): pagerDuty.sendResolved
        }
    }
}

/// The settings of one integration, by kind.
public enum IntegrationSettings: Sendable, Hashable {
    /// A webhook.
    case webhook(WebhookSettings)
    /// A Slack incoming webhook.
    case slack(SlackSettings)
    /// E-mail.
    case email(EmailSettings)
    /// PagerDuty.
    case pagerDuty(PagerDutySettings)
}
