import Foundation

/// A notification ready for the wire: an HTTP POST of JSON or a mail.
enum OutgoingMessage: Sendable {
    /// POST `body` (JSON) to `url`.
    case post(url: Secret, body: Data)
    /// Send `message` (MIME) with the relay and addresses in `settings`.
    case mail(message: String, settings: EmailSettings)

    /// Renders `notification` for `integration`.
    /// - Parameters:
    ///   - notification: what to tell.
    ///   - integration: where to.
    ///   - settings: the external and dashboard URLs.
    ///   - date: the mail's `Date:` header.
    ///   - messageID: the mail's `Message-ID:` (a random one is made when `nil`).
    static func render(
        _ notification: AlertNotification,
        for integration: Integration,
        settings: NotificationSettings,
        date: Date,
        messageID: String? = nil
    ) throws(DeliveryError) -> OutgoingMessage {
        do {
            switch integration.settings {
            case .webhook(let webhook):
                let body = WebhookMessage(notification, externalURL: settings.externalURL, maxAlerts: webhook.maxAlerts)
                return .post(url: webhook.url, body: try PayloadJSON.encode(body))
            case .slack(let slack):
                let body = SlackMessage(notification, channel: slack.channel, dashboardURL: settings.dashboardURL)
                return .post(url: slack.apiURL, body: try PayloadJSON.encode(body))
            case .pagerDuty(let pagerDuty):
                let body = PagerDutyEvent(notification, settings: pagerDuty, externalURL: settings.externalURL, dashboardURL: settings.dashboardURL)
                return .post(url: Secret(pagerDuty.url), body: try PayloadJSON.encode(body))
            case .email(let email):
                let mail = EmailMessage(notification, settings: email, dashboardURL: settings.dashboardURL)
                let id = messageID ?? "\(UUID().uuidString.lowercased()).\(notification.groupKeyHash.prefix(16))@\(email.from.domain)"
                let text = mail.mime(date: date, messageID: id, boundary: "=_ollamamax_\(UUID().uuidString.lowercased())")
                return .mail(message: text, settings: email)
            }
        } catch let error as DeliveryError {
            throw error
        } catch {
            throw .render(String(describing: error))
        }
    }

    /// The alerts posted to an Alertmanager.
    static func forward(_ alerts: [PostableAlert], to target: AlertmanagerTarget) throws(DeliveryError) -> OutgoingMessage {
        do {
            return .post(url: Secret(target.alertsURL), body: try PayloadJSON.encode(alerts))
        } catch {
            throw .render(String(describing: error))
        }
    }
}

extension Integration {
    /// The secrets of this integration, for ``Redactor``.
    var secrets: [Secret] {
        switch settings {
        case .webhook(let webhook): [webhook.url]
        case .slack(let slack): [slack.apiURL]
        case .pagerDuty(let pagerDuty): [pagerDuty.routingKey]
        case .email(let email):
            // The password, and the base64 forms AUTH PLAIN and LOGIN put on the wire, in case a
            // relay echoes them in a reply.
            email.authPassword.map { password in
                let plain = Data(([0] + Array((email.authUsername ?? "").utf8) + [0] + Array(password.revealed.utf8)))
                return [password, Secret(plain.base64EncodedString()), Secret(Data(password.revealed.utf8).base64EncodedString())]
            } ?? []
        }
    }
}
