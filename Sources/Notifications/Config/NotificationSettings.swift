import Foundation

/// Where alerts go: the routing tree, the receivers, and Alertmanagers to forward to.
///
/// Read from the `notifications:` section of a YAML file shaped like Alertmanager's own
/// configuration, so its users recognise it:
///
/// ```yaml
/// notifications:
///   external_url: http://gateway.example:8080          # the gateway, for links back
///   dashboard_url: http://gateway.example:8080/dashboard
///   route:
///     receiver: warning
///     group_by: [alertname, node]
///     group_wait: 30s
///     group_interval: 5m
///     repeat_interval: 4h
///     routes:
///       - matchers: ['severity="critical"']
///         receiver: critical
///   receivers:
///     - name: critical
///       pagerduty_configs: [{routing_key_file: pagerduty.key, severity: critical}]
///       email_configs:
///         - to: oncall@example.com
///           from: alerts@example.com
///           smarthost: smtp.example.com:587
///           auth_username: alerts
///           auth_password_file: smtp.password
///     - name: warning
///       slack_configs: [{api_url_file: slack.url, channel: '#alerts', send_resolved: true}]
///       webhook_configs: [{url: http://127.0.0.1:5001/hook}]
///   alertmanagers:
///     - url: http://127.0.0.1:9093
/// ```
public struct NotificationSettings: Sendable, Hashable {
    /// The routing tree; `nil` when alerts are only forwarded to ``alertmanagers``.
    public var route: RouteSettings?
    /// The receivers routes name.
    public var receivers: [ReceiverSettings]
    /// Alertmanagers that get every alert as Prometheus sends them.
    public var alertmanagers: [AlertmanagerTarget]
    /// The gateway's own URL (`external_url:`): the webhook payload's `externalURL` and
    /// PagerDuty's `client_url`.
    public var externalURL: String
    /// The dashboard to link to from Slack, PagerDuty and e-mail (`dashboard_url:`).
    public var dashboardURL: String?

    /// Makes settings.
    /// - Parameters:
    ///   - route: the routing tree, or `nil` to forward only.
    ///   - receivers: the receivers.
    ///   - alertmanagers: Alertmanagers to forward to.
    ///   - externalURL: the gateway's URL for links back.
    ///   - dashboardURL: the dashboard to link to.
    public init(
        route: RouteSettings? = nil,
        receivers: [ReceiverSettings] = [],
        alertmanagers: [AlertmanagerTarget] = [],
        externalURL: String = "",
        dashboardURL: String? = nil
    ) {
        self.route = route
        self.receivers = receivers
        self.alertmanagers = alertmanagers
        self.externalURL = externalURL
        self.dashboardURL = dashboardURL
    }

    /// The receiver called `name`.
    public func receiver(named name: String) -> ReceiverSettings? {
        receivers.first { $0.name == name }
    }

    /// Every problem with settings made in code, each `key.path: what is wrong; what to do`
    /// (reading YAML reports the same problems with their lines).
    public func problems() -> [String] {
        findProblems().map(\.description)
    }

    /// Problems that only the whole configuration shows: names, references and the root route.
    func findProblems() -> [ConfigProblem] {
        var found: [ConfigProblem] = []
        func add(_ path: String, _ message: String) {
            found.append(ConfigProblem(line: nil, column: nil, path: path, message: message))
        }
        var seen: Set<String> = []
        for (index, receiver) in receivers.enumerated() {
            if receiver.name.isEmpty { add("notifications.receivers[\(index)].name", "must not be empty") }
            if !seen.insert(receiver.name).inserted {
                add("notifications.receivers[\(index)].name", "\"\(receiver.name)\" is defined twice; give each receiver its own name")
            }
        }
        if let route {
            if route.receiver == nil {
                add("notifications.route.receiver", "required at the root route; name the receiver that gets what no child route takes")
            }
            if !route.matchers.isEmpty { add("notifications.route.matchers", "the root route matches every alert; move these to a child route") }
            if route.continueMatching { add("notifications.route.continue", "the root route has no siblings; remove continue here") }
            checkReceivers(in: route, path: "notifications.route", known: seen, add: add)
        } else if !receivers.isEmpty {
            add("notifications.route", "required when receivers are defined; add a route with at least a receiver")
        }
        return found
    }

    private func checkReceivers(in route: RouteSettings, path: String, known: Set<String>, add: (String, String) -> Void) {
        if let name = route.receiver, !known.contains(name) {
            let names = known.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            add(
                "\(path).receiver",
                known.isEmpty
                    ? "\"\(name)\" is not a receiver; define it under notifications.receivers"
                    : "\"\(name)\" is not a receiver; define it under notifications.receivers or use one of: \(names)"
            )
        }
        for (index, child) in route.routes.enumerated() {
            checkReceivers(in: child, path: "\(path).routes[\(index)]", known: known, add: add)
        }
    }
}
