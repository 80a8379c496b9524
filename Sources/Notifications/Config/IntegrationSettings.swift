/// `webhook_configs:` entry: POSTs Alertmanager's webhook payload (version 4) as JSON.
public struct WebhookSettings: Sendable, Hashable {
    /// Where to POST (`url:` or the file named by `url_file:`); secret, since such URLs often
    /// carry a token.
    public var url: Secret
    /// Whether resolved alerts are notified (`send_resolved:`, default true as in Alertmanager).
    public var sendResolved: Bool
    /// At most this many alerts per payload, the rest counted in `truncatedAlerts`
    /// (`max_alerts:`, 0 = all).
    public var maxAlerts: Int

    /// Makes webhook settings.
    /// - Parameters:
    ///   - url: the endpoint.
    ///   - sendResolved: whether resolved alerts are notified.
    ///   - maxAlerts: alerts per payload, 0 for all.
    public init(url: Secret, sendResolved: Bool = true, maxAlerts: Int = 0) {
        self.url = url
        self.sendResolved = sendResolved
        self.maxAlerts = maxAlerts
    }
}

/// `slack_configs:` entry: a Block Kit message to an incoming webhook.
public struct SlackSettings: Sendable, Hashable {
    /// The incoming webhook URL (`api_url:` or the file named by `api_url_file:`): secret.
    public var apiURL: Secret
    /// A channel to post to instead of the webhook's own (`channel:`), where Slack allows it.
    public var channel: String?
    /// Whether resolved alerts are notified (`send_resolved:`, default false as in Alertmanager).
    public var sendResolved: Bool

    /// Makes Slack settings.
    /// - Parameters:
    ///   - apiURL: the incoming webhook URL.
    ///   - channel: a channel override.
    ///   - sendResolved: whether resolved alerts are notified.
    public init(apiURL: Secret, channel: String? = nil, sendResolved: Bool = false) {
        self.apiURL = apiURL
        self.channel = channel
        self.sendResolved = sendResolved
    }
}

/// `pagerduty_configs:` entry: Events API v2 `trigger` and `resolve` events.
public struct PagerDutySettings: Sendable, Hashable {
    /// PagerDuty's events endpoint.
    public static let defaultURL = "https://events.pagerduty.com/v2/enqueue"
    /// The severities PagerDuty accepts.
    public static let severities = ["critical", "error", "warning", "info"]

    /// The integration's routing key (`routing_key:` or the file named by `routing_key_file:`).
    public var routingKey: Secret
    /// The events endpoint (`url:`).
    public var url: String
    /// The severity when no alert carries a `severity` label PagerDuty knows (`severity:`,
    /// default `error` as in Alertmanager).
    public var severity: String
    /// Whether resolved groups resolve the incident (`send_resolved:`, default true).
    public var sendResolved: Bool

    /// Makes PagerDuty settings.
    /// - Parameters:
    ///   - routingKey: the integration key.
    ///   - url: the events endpoint.
    ///   - severity: the fallback severity.
    ///   - sendResolved: whether resolved groups are notified.
    public init(routingKey: Secret, url: String = PagerDutySettings.defaultURL, severity: String = "error", sendResolved: Bool = true) {
        self.routingKey = routingKey
        self.url = url
        self.severity = severity
        self.sendResolved = sendResolved
    }
}

/// `email_configs:` entry: a text and HTML mail through an SMTP relay.
public struct EmailSettings: Sendable, Hashable {
    /// Recipients (`to:`, a list or one comma-separated string).
    public var to: [EmailAddress]
    /// The sender (`from:`).
    public var from: EmailAddress
    /// The relay (`smarthost: host:port`).
    public var smarthost: Smarthost
    /// The AUTH user name (`auth_username:`); no AUTH without it.
    public var authUsername: String?
    /// The AUTH password (`auth_password:` or the file named by `auth_password_file:`).
    public var authPassword: Secret?
    /// Whether STARTTLS is required (`require_tls:`, default true); without it STARTTLS is
    /// still used when the relay offers it.
    public var requireTLS: Bool
    /// The name sent in EHLO (`hello:`, default `localhost`).
    public var hello: String
    /// How the relay's certificate is checked (`tls_config:`).
    public var tls: EmailTLSSettings
    /// Whether resolved alerts are notified (`send_resolved:`, default false as in Alertmanager).
    public var sendResolved: Bool

    /// Makes e-mail settings.
    /// - Parameters:
    ///   - to: recipients.
    ///   - from: the sender.
    ///   - smarthost: the relay.
    ///   - authUsername: the AUTH user, or `nil` for no AUTH.
    ///   - authPassword: the AUTH password.
    ///   - requireTLS: whether STARTTLS is required.
    ///   - hello: the EHLO name.
    ///   - tls: certificate checks.
    ///   - sendResolved: whether resolved alerts are notified.
    public init(
        to: [EmailAddress],
        from: EmailAddress,
        smarthost: Smarthost,
        authUsername: String? = nil,
        authPassword: Secret? = nil,
        requireTLS: Bool = true,
        hello: String = "localhost",
        tls: EmailTLSSettings = EmailTLSSettings(),
        sendResolved: Bool = false
    ) {
        self.to = to
        self.from = from
        self.smarthost = smarthost
        self.authUsername = authUsername
        self.authPassword = authPassword
        self.requireTLS = requireTLS
        self.hello = hello
        self.tls = tls
        self.sendResolved = sendResolved
    }
}

/// `tls_config:` of an e-mail integration: how the relay's certificate is verified.
public struct EmailTLSSettings: Sendable, Hashable {
    /// A PEM file of CA certificates trusted besides the system's (`ca_file:`), already
    /// resolved against the configuration file's directory.
    public var caFile: String?
    /// The name the certificate must carry (`server_name:`); the smarthost's host by default.
    public var serverName: String?
    /// Skips certificate verification (`insecure_skip_verify:`): for tests only.
    public var insecureSkipVerify: Bool

    /// Makes TLS settings.
    public init(caFile: String? = nil, serverName: String? = nil, insecureSkipVerify: Bool = false) {
        self.caFile = caFile
        self.serverName = serverName
        self.insecureSkipVerify = insecureSkipVerify
    }
}

/// An SMTP relay's address: `host:port`, `[::1]:25`.
public struct Smarthost: Sendable, Hashable, CustomStringConvertible {
    /// The host name or address, without brackets.
    public var host: String
    /// The TCP port.
    public var port: Int

    /// Makes an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Reads `host:port`, or `nil` when `text` is not of that form.
    public init?(_ text: String) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace), let port = Int(portText), (1...65535).contains(port) else { return nil }
        self.host = String(host)
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// `alertmanagers:` entry: an Alertmanager the alerts are also posted to, as Prometheus does.
public struct AlertmanagerTarget: Sendable, Hashable {
    /// The Alertmanager's base URL (`url:`, e.g. `http://127.0.0.1:9093`); `/api/v2/alerts`
    /// is added unless the path already ends with it.
    public var url: String

    /// Makes a target.
    public init(url: String) {
        self.url = url
    }

    /// The endpoint alerts are posted to.
    public var alertsURL: String {
        if url.hasSuffix("/api/v2/alerts") { return url }
        return (url.hasSuffix("/") ? String(url.dropLast()) : url) + "/api/v2/alerts"
    }
}
