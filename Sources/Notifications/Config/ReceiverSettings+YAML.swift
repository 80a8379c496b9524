import Foundation

/// Reads `receivers:` entries and their integrations; `*_file:` names are taken from
/// `baseDirectory`.
struct ReceiverReader {
    let baseDirectory: String?

    static let keys = ["name", "webhook_configs", "slack_configs", "email_configs", "pagerduty_configs"]

    func receiver(_ field: YAMLField) -> ReceiverSettings? {
        guard let fields = field.mapping(allowed: Self.keys) else { return nil }
        guard let name = fields["name"]?.string() else {
            field.problems.add("\(field.path).name", field.node, "required; give the receiver the name routes refer to")
            return nil
        }
        return ReceiverSettings(
            name: name,
            webhooks: fields["webhook_configs"]?.sequence()?.compactMap(webhook) ?? [],
            slack: fields["slack_configs"]?.sequence()?.compactMap(slack) ?? [],
            email: fields["email_configs"]?.sequence()?.compactMap(email) ?? [],
            pagerDuty: fields["pagerduty_configs"]?.sequence()?.compactMap(pagerDuty) ?? []
        )
    }

    private func webhook(_ field: YAMLField) -> WebhookSettings? {
        guard let fields = field.mapping(allowed: ["url", "url_file", "send_resolved", "max_alerts"]) else { return nil }
        let url = secretURL(fields, in: field, key: "url", example: "http://127.0.0.1:5001/hook")
        let sendResolved = fields["send_resolved"]?.bool() ?? true
        let maxAlerts = fields["max_alerts"]?.int(minimum: 0) ?? 0
        guard let url else { return nil }
        return WebhookSettings(url: url, sendResolved: sendResolved, maxAlerts: maxAlerts)
    }

    private func slack(_ field: YAMLField) -> SlackSettings? {
        guard let fields = field.mapping(allowed: ["api_url", "api_url_file", "channel", "send_resolved"]) else { return nil }
        let url = secretURL(fields, in: field, key: "api_url", example: "https://hooks.slack.com/services/...")
        let channel = fields["channel"]?.string()
        let sendResolved = fields["send_resolved"]?.bool() ?? false
        guard let url else { return nil }
        return SlackSettings(apiURL: url, channel: channel, sendResolved: sendResolved)
    }

    private func pagerDuty(_ field: YAMLField) -> PagerDutySettings? {
        guard let fields = field.mapping(allowed: ["routing_key", "routing_key_file", "url", "severity", "send_resolved"]) else { return nil }
        let key = secret(fields, in: field, key: "routing_key", what: "the integration's routing key (Events API v2)")
        var url = PagerDutySettings.defaultURL
        if let urlField = fields["url"], let text = urlField.string() {
            if HTTPURLCheck.isHTTP(text) {
                url = text
            } else {
                urlField.problems.add(urlField.path, urlField.node, "\(LabelText.quoted(text)) is not an http:// or https:// URL")
            }
        }
        var severity = "error"
        if let severityField = fields["severity"], let text = severityField.string() {
            if PagerDutySettings.severities.contains(text) {
                severity = text
            } else {
                severityField.problems.add(
                    severityField.path,
                    severityField.node,
                    "\(LabelText.quoted(text)) is not a PagerDuty severity; use one of: \(PagerDutySettings.severities.joined(separator: ", "))"
                )
            }
        }
        let sendResolved = fields["send_resolved"]?.bool() ?? true
        guard let key else { return nil }
        return PagerDutySettings(routingKey: key, url: url, severity: severity, sendResolved: sendResolved)
    }

    /// A secret given inline as `key:` or in a file as `key_file:`, exactly one of them.
    func secret(_ fields: [String: YAMLField], in field: YAMLField, key: String, what: String) -> Secret? {
        switch (fields[key], fields["\(key)_file"]) {
        case (let inline?, nil):
            guard let value = inline.secret() else { return nil }
            guard !value.revealed.isEmpty else {
                inline.problems.add(inline.path, inline.node, "is empty; give \(what)")
                return nil
            }
            return value
        case (nil, let file?):
            return file.secretFile(relativeTo: baseDirectory)
        case (_?, let file?):
            file.problems.add(file.path, file.node, "give either \(key) or \(key)_file, not both")
            return nil
        case (nil, nil):
            field.problems.add("\(field.path).\(key)", field.node, "required; give \(what) as \(key) or in a file named by \(key)_file")
            return nil
        }
    }

    /// A secret URL (`key:` or `key_file:`) that must be http(s); problems never quote it.
    private func secretURL(_ fields: [String: YAMLField], in field: YAMLField, key: String, example: String) -> Secret? {
        guard let url = secret(fields, in: field, key: key, what: "the URL to post to, like \(example)") else { return nil }
        guard HTTPURLCheck.isHTTP(url.revealed) else {
            let given = fields[key] ?? fields["\(key)_file"] ?? field
            given.problems.add(given.path, given.node, "is not an http:// or https:// URL (the value is secret and not shown here)")
            return nil
        }
        return url
    }
}
