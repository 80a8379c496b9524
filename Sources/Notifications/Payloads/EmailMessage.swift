import Foundation

/// A notification as a mail: a subject like Alertmanager's (`[FIRING:2] NodeDown (node=a)`) and
/// the same content as plain text and as HTML, rendered into a MIME `multipart/alternative`
/// message with CRLF line breaks.
public struct EmailMessage: Sendable, Hashable {
    /// The sender.
    public var from: EmailAddress
    /// The recipients.
    public var to: [EmailAddress]
    /// The subject line.
    public var subject: String
    /// The plain-text body.
    public var text: String
    /// The HTML body.
    public var html: String

    /// The mail for `notification`.
    /// - Parameters:
    ///   - notification: what to tell.
    ///   - settings: the integration (sender and recipients).
    ///   - dashboardURL: linked from the body.
    public init(_ notification: AlertNotification, settings: EmailSettings, dashboardURL: String?) {
        from = settings.from
        to = settings.to
        subject = Summary.line(notification)
        let sections: [(title: String, alerts: [NotifiedAlert])] = [("Firing", notification.firing), ("Resolved", notification.resolved)]
            .filter { !$0.alerts.isEmpty }

        var text = "\(subject)\r\n\r\n"
        text += "\(notification.firing.count) firing, \(notification.resolved.count) resolved (receiver \(notification.receiver))\r\n"
        for section in sections {
            text += "\r\n\(section.title)\r\n\(String(repeating: "=", count: section.title.count))\r\n"
            for alert in section.alerts { text += Self.textBlock(alert) }
        }
        if let dashboardURL { text += "\r\nDashboard: \(dashboardURL)\r\n" }
        self.text = text

        var html = "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>\(MIMEText.escapeHTML(subject))</title></head>\r\n"
        html += "<body style=\"font-family: sans-serif\">\r\n<h2>\(MIMEText.escapeHTML(subject))</h2>\r\n"
        html += "<p>\(notification.firing.count) firing, \(notification.resolved.count) resolved "
        html += "(receiver <b>\(MIMEText.escapeHTML(notification.receiver))</b>)</p>\r\n"
        for section in sections {
            html += "<h3>\(section.title)</h3>\r\n"
            for alert in section.alerts { html += Self.htmlBlock(alert) }
        }
        if let dashboardURL {
            html += "<p><a href=\"\(MIMEText.escapeHTML(dashboardURL))\">Open the dashboard</a></p>\r\n"
        }
        self.html = html + "</body></html>\r\n"
    }

    /// The whole message: headers, a blank line, and the two bodies as quoted-printable parts.
    /// - Parameters:
    ///   - date: the `Date:` header.
    ///   - messageID: the `Message-ID:` header's value, without angle brackets.
    ///   - boundary: the multipart boundary; it must not occur in the encoded bodies (quoted-
    ///     printable text never holds `=_` followed by letters, so a boundary that starts with
    ///     `=_` is safe).
    public func mime(date: Date, messageID: String, boundary: String) -> String {
        var lines = [
            MIMEText.header("From", headerAddress(from)),
            MIMEText.header("To", to.map(headerAddress).joined(separator: ", ")),
            MIMEText.header("Subject", MIMEText.headerValue(subject)),
            "Date: \(Timestamp.rfc5322(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
            "",
        ]
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines += [
                "--\(boundary)",
                "Content-Type: \(type); charset=UTF-8",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                MIMEText.quotedPrintable(body),
            ]
        }
        lines.append("--\(boundary)--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    private func headerAddress(_ address: EmailAddress) -> String {
        guard let name = address.displayName else { return address.address }
        let encoded = MIMEText.headerValue(name)
        let quoted =
            encoded == name ? "\"\(name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\"" : encoded
        return "\(quoted) <\(address.address)>"
    }

    private static func textBlock(_ alert: NotifiedAlert) -> String {
        var text = "\r\n\(alert.annotations["summary"] ?? (alert.name.isEmpty ? LabelText.set(alert.labels) : alert.name))\r\n"
        if let description = alert.annotations["description"] { text += "  \(description)\r\n" }
        text += "  Started: \(Timestamp.rfc3339(alert.startsAt))\r\n"
        if alert.status == .resolved, let endsAt = alert.endsAt { text += "  Resolved: \(Timestamp.rfc3339(endsAt))\r\n" }
        text += "  Labels:\r\n" + LabelText.sortedPairs(alert.labels).map { "   - \($0.name) = \($0.value)\r\n" }.joined()
        let annotations = alert.annotations.filter { $0.key != "summary" && $0.key != "description" }
        if !annotations.isEmpty {
            text += "  Annotations:\r\n" + LabelText.sortedPairs(annotations).map { "   - \($0.name) = \($0.value)\r\n" }.joined()
        }
        if !alert.generatorURL.isEmpty { text += "  Source: \(alert.generatorURL)\r\n" }
        return text
    }

    private static func htmlBlock(_ alert: NotifiedAlert) -> String {
        let title = alert.annotations["summary"] ?? (alert.name.isEmpty ? LabelText.set(alert.labels) : alert.name)
        var html = "<div style=\"margin-bottom: 1em\"><b>\(MIMEText.escapeHTML(title))</b>"
        if let description = alert.annotations["description"] { html += "<br>\(MIMEText.escapeHTML(description))" }
        html += "<table style=\"border-collapse: collapse\">\r\n"
        var rows = [("Started", Timestamp.rfc3339(alert.startsAt))]
        if alert.status == .resolved, let endsAt = alert.endsAt { rows.append(("Resolved", Timestamp.rfc3339(endsAt))) }
        rows += LabelText.sortedPairs(alert.labels).map { ($0.name, $0.value) }
        rows += LabelText.sortedPairs(alert.annotations.filter { $0.key != "summary" && $0.key != "description" }).map { ($0.name, $0.value) }
        for (name, value) in rows {
            html +=
                "<tr><td style=\"padding-right: 1em; color: #555\">\(MIMEText.escapeHTML(name))</td><td>\(MIMEText.escapeHTML(value))</td></tr>\r\n"
        }
        html += "</table>"
        if HTTPURLCheck.isHTTP(alert.generatorURL) {
            html += "<a href=\"\(MIMEText.escapeHTML(alert.generatorURL))\">Source</a>"
        }
        return html + "</div>\r\n"
    }
}
