import Foundation

/// A Slack incoming-webhook message in Block Kit: a header with the status, severity and alert
/// name, a section per alert (summary, description, severity, value, times), a button to the
/// dashboard, and the plain `text` Slack shows in notifications.
public struct SlackMessage: Sendable, Hashable, Codable {
    /// The channel override, when configured.
    public var channel: String?
    /// The notification text: the summary line.
    public var text: String
    /// The layout.
    public var blocks: [SlackBlock]

    /// Alerts shown one section each; the rest are counted in a context line (Slack allows 50
    /// blocks per message).
    static let alertLimit = 10

    /// The message for `notification`.
    /// - Parameters:
    ///   - notification: what to tell.
    ///   - channel: the channel override.
    ///   - dashboardURL: where the button leads; no button without it.
    public init(_ notification: AlertNotification, channel: String?, dashboardURL: String?) {
        self.channel = channel
        text = Summary.line(notification)
        let severity = Summary.severity(notification)
        let name = Summary.alertName(notification)
        let headline: String
        switch notification.status {
        case .firing: headline = "🔥 [FIRING:\(notification.firing.count)] \(severity.map { "\($0) · " } ?? "")\(name)"
        case .resolved: headline = "✅ [RESOLVED] \(severity.map { "\($0) · " } ?? "")\(name)"
        }
        var blocks = [SlackBlock.header(Summary.truncate(headline, 150))]
        for alert in notification.alerts.prefix(Self.alertLimit) {
            blocks.append(Self.section(for: alert))
        }
        if notification.alerts.count > Self.alertLimit {
            blocks.append(.context("… and \(notification.alerts.count - Self.alertLimit) more alerts"))
        }
        var buttons: [SlackElement] = []
        if let dashboardURL, HTTPURLCheck.isHTTP(dashboardURL) {
            buttons.append(.button(text: "Open dashboard", url: dashboardURL))
        }
        if let source = notification.alerts.first(where: { HTTPURLCheck.isHTTP($0.generatorURL) })?.generatorURL {
            buttons.append(.button(text: "View source", url: source))
        }
        if !buttons.isEmpty { blocks.append(.actions(buttons)) }
        let group = LabelText.sortedPairs(notification.groupLabels).map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
        blocks.append(.context("OllamaMax · receiver \(notification.receiver)" + (group.isEmpty ? "" : " · \(group)")))
        self.blocks = blocks
    }

    private static func section(for alert: NotifiedAlert) -> SlackBlock {
        let title = alert.annotations["summary"] ?? (alert.name.isEmpty ? LabelText.set(alert.labels) : alert.name)
        var text = alert.status == .resolved ? "✅ *Resolved:* " : ""
        text += "*\(escape(title))*"
        if let description = alert.annotations["description"], !description.isEmpty { text += "\n" + escape(description) }
        if let runbook = alert.annotations["runbook"] ?? alert.annotations["runbook_url"], !runbook.isEmpty {
            text += "\nRunbook: " + escape(runbook)
        }
        var fields: [SlackText] = []
        if let severity = alert.labels["severity"] { fields.append(.markdown("*Severity*\n\(escape(severity))")) }
        if let value = alert.annotations["value"] ?? alert.labels["value"] { fields.append(.markdown("*Value*\n\(escape(value))")) }
        for name in ["node", "instance"] {
            if let value = alert.labels[name] { fields.append(.markdown("*\(name.capitalized)*\n\(escape(value))")) }
        }
        fields.append(.markdown("*Started*\n\(Timestamp.rfc3339(alert.startsAt))"))
        if let endsAt = alert.endsAt, alert.status == .resolved { fields.append(.markdown("*Resolved*\n\(Timestamp.rfc3339(endsAt))")) }
        return SlackBlock(type: "section", text: .markdown(Summary.truncate(text, 3000)), fields: Array(fields.prefix(10)))
    }

    /// Slack's mrkdwn escapes: `&`, `<` and `>` would otherwise start entities and links.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// A Block Kit block: `header`, `section`, `actions` or `context`.
public struct SlackBlock: Sendable, Hashable, Codable {
    /// The block type.
    public var type: String
    /// The text of a header or section.
    public var text: SlackText?
    /// A section's two-column fields.
    public var fields: [SlackText]?
    /// An actions block's buttons or a context block's texts.
    public var elements: [SlackElement]?

    static func header(_ text: String) -> SlackBlock {
        SlackBlock(type: "header", text: SlackText(type: "plain_text", text: text, emoji: true))
    }

    static func actions(_ buttons: [SlackElement]) -> SlackBlock {
        SlackBlock(type: "actions", elements: buttons)
    }

    static func context(_ text: String) -> SlackBlock {
        SlackBlock(type: "context", elements: [.text(.markdown(SlackMessage.escape(text)))])
    }
}

/// A Block Kit text object.
public struct SlackText: Sendable, Hashable, Codable {
    /// `plain_text` or `mrkdwn`.
    public var type: String
    /// The text.
    public var text: String
    /// Whether `:emoji:` codes are shown as emoji (plain text only).
    public var emoji: Bool?

    static func markdown(_ text: String) -> SlackText { SlackText(type: "mrkdwn", text: text) }
}

/// An element of an `actions` block (a link button) or a `context` block (a text).
public enum SlackElement: Sendable, Hashable, Codable {
    /// A button that opens `url`.
    case button(text: String, url: String)
    /// A text object.
    case text(SlackText)

    private enum CodingKeys: String, CodingKey {
        case type, text, url
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if try container.decode(String.self, forKey: .type) == "button" {
            self = .button(
                text: try container.decode(SlackText.self, forKey: .text).text,
                url: try container.decode(String.self, forKey: .url)
            )
        } else {
            self = .text(try SlackText(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .button(let text, let url):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("button", forKey: .type)
            try container.encode(SlackText(type: "plain_text", text: Summary.truncate(text, 75), emoji: true), forKey: .text)
            try container.encode(url, forKey: .url)
        case .text(let text):
            try text.encode(to: encoder)
        }
    }
}
