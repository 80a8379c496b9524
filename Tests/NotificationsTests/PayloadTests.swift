import Foundation
import Testing

@testable import Notifications

/// Each payload's exact JSON shape, decoded back and checked field by field.
@Suite struct PayloadTests {
    static let down = NotifiedAlert(
        labels: ["alertname": "NodeDown", "node": "a", "severity": "critical", "instance": "gw:8080"],
        annotations: ["summary": "Node a is down", "description": "No answer for 2m <&>", "value": "0"],
        startsAt: at(0),
        generatorURL: "http://gateway.test/graph?g0.expr=up"
    )
    static let slow = NotifiedAlert(
        labels: ["alertname": "NodeDown", "node": "b", "severity": "warning", "instance": "gw:8080"],
        annotations: ["summary": "Node b is down"],
        status: .resolved,
        startsAt: at(-60),
        endsAt: at(90)
    )

    static func notification(_ alerts: [NotifiedAlert], kind: IntegrationKind = .webhook) -> AlertNotification {
        AlertNotification(
            integration: IntegrationID(receiver: "critical", kind: kind, index: 0),
            groupKey: #"{}/{severity=~"critical|warning"}:{alertname="NodeDown"}"#,
            groupLabels: ["alertname": "NodeDown"],
            alerts: alerts,
            createdAt: at(120)
        )
    }

    static func json(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func webhookPayloadIsAlertmanagerVersion4() throws {
        let message = WebhookMessage(Self.notification([Self.down, Self.slow]), externalURL: "http://gateway.test:8080", maxAlerts: 0)
        let data = try PayloadJSON.encode(message)
        let object = try Self.json(data)
        #expect(
            Set(object.keys) == [
                "version", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels", "commonLabels", "commonAnnotations",
                "externalURL", "alerts",
            ]
        )
        let decoded = try JSONDecoder().decode(WebhookMessage.self, from: data)
        #expect(decoded.version == "4")
        #expect(decoded.groupKey == #"{}/{severity=~"critical|warning"}:{alertname="NodeDown"}"#)
        #expect(decoded.truncatedAlerts == 0)
        #expect(decoded.status == "firing")
        #expect(decoded.receiver == "critical")
        #expect(decoded.groupLabels == ["alertname": "NodeDown"])
        #expect(decoded.commonLabels == ["alertname": "NodeDown", "instance": "gw:8080"])
        #expect(decoded.commonAnnotations == [:])
        #expect(decoded.externalURL == "http://gateway.test:8080")
        let alerts = try #require(object["alerts"] as? [[String: Any]])
        #expect(Set(alerts[0].keys) == ["status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"])
        let first = decoded.alerts[0]
        #expect(first.status == "firing")
        #expect(first.labels == Self.down.labels)
        #expect(first.annotations == Self.down.annotations)
        #expect(first.startsAt == "2027-01-15T08:00:00Z")
        #expect(first.endsAt == "0001-01-01T00:00:00Z")
        #expect(first.generatorURL == "http://gateway.test/graph?g0.expr=up")
        #expect(first.fingerprint == Self.down.fingerprint.description)
        #expect(decoded.alerts[1].status == "resolved")
        #expect(decoded.alerts[1].startsAt == "2027-01-15T07:59:00Z")
        #expect(decoded.alerts[1].endsAt == "2027-01-15T08:01:30Z")
        #expect(decoded.alerts[1].generatorURL == "")
    }

    @Test func webhookMaxAlertsTruncatesAndCounts() throws {
        let message = WebhookMessage(Self.notification([Self.down, Self.slow]), externalURL: "", maxAlerts: 1)
        #expect(message.alerts.count == 1)
        #expect(message.truncatedAlerts == 1)
        #expect(message.status == "firing")
    }

    @Test func slackMessageIsBlockKitWithHeaderSectionsAndDashboardButton() throws {
        let message = SlackMessage(
            Self.notification([Self.down, Self.slow], kind: .slack),
            channel: "#alerts",
            dashboardURL: "http://gateway.test/dashboard"
        )
        let data = try PayloadJSON.encode(message)
        let object = try Self.json(data)
        #expect(Set(object.keys) == ["channel", "text", "blocks"])
        let decoded = try JSONDecoder().decode(SlackMessage.self, from: data)
        #expect(decoded.channel == "#alerts")
        #expect(decoded.text == "[FIRING:1] NodeDown (instance=gw:8080)")
        #expect(decoded.blocks.map(\.type) == ["header", "section", "section", "actions", "context"])
        #expect(decoded.blocks[0].text == SlackText(type: "plain_text", text: "🔥 [FIRING:1] critical · NodeDown", emoji: true))
        #expect(decoded.blocks[1].text?.type == "mrkdwn")
        #expect(decoded.blocks[1].text?.text == "*Node a is down*\nNo answer for 2m &lt;&amp;&gt;")
        #expect(
            decoded.blocks[1].fields?.map(\.text) == [
                "*Severity*\ncritical", "*Value*\n0", "*Node*\na", "*Instance*\ngw:8080", "*Started*\n2027-01-15T08:00:00Z",
            ]
        )
        #expect(decoded.blocks[2].text?.text == "✅ *Resolved:* *Node b is down*")
        #expect(decoded.blocks[2].fields?.last?.text == "*Resolved*\n2027-01-15T08:01:30Z")
        #expect(
            decoded.blocks[3].elements == [
                .button(text: "Open dashboard", url: "http://gateway.test/dashboard"),
                .button(text: "View source", url: "http://gateway.test/graph?g0.expr=up"),
            ]
        )
        let button = try #require((object["blocks"] as? [[String: Any]])?[3]["elements"] as? [[String: Any]])
        #expect(button[0]["type"] as? String == "button")
        #expect((button[0]["text"] as? [String: Any])?["type"] as? String == "plain_text")
        #expect(decoded.blocks[4].elements == [.text(SlackText(type: "mrkdwn", text: "OllamaMax · receiver critical · alertname=NodeDown"))])
    }

    @Test func slackShowsAResolvedGroupAsResolved() throws {
        var resolvedDown = Self.down
        resolvedDown.status = .resolved
        resolvedDown.endsAt = at(100)
        let message = SlackMessage(Self.notification([resolvedDown], kind: .slack), channel: nil, dashboardURL: nil)
        let object = try Self.json(try PayloadJSON.encode(message))
        #expect(object["channel"] == nil)
        #expect(message.text.hasPrefix("[RESOLVED] NodeDown"))
        #expect(message.blocks[0].text?.text == "✅ [RESOLVED] critical · NodeDown")
        #expect(message.blocks.map(\.type) == ["header", "section", "actions", "context"])
    }

    @Test func slackCountsAlertsBeyondTheLimit() {
        let many = (0..<13).map { alert("Flood", ["node": "n\($0)"]) }
        let message = SlackMessage(Self.notification(many, kind: .slack), channel: nil, dashboardURL: nil)
        #expect(message.blocks.filter { $0.type == "section" }.count == 10)
        #expect(message.blocks.contains { $0.elements == [.text(SlackText(type: "mrkdwn", text: "… and 3 more alerts"))] })
    }

    @Test func pagerDutyTriggersWithTheGroupKeyHashAndTheLabelSeverity() throws {
        let notification = Self.notification([Self.down, Self.slow], kind: .pagerDuty)
        let settings = PagerDutySettings(routingKey: Secret("R0UT1NG"), severity: "warning")
        let event = PagerDutyEvent(
            notification,
            settings: settings,
            externalURL: "http://gateway.test:8080",
            dashboardURL: "http://gateway.test/dashboard"
        )
        let data = try PayloadJSON.encode(event)
        let object = try Self.json(data)
        #expect(Set(object.keys) == ["routing_key", "event_action", "dedup_key", "payload", "client", "client_url", "links"])
        #expect(object["routing_key"] as? String == "R0UT1NG")
        #expect(object["event_action"] as? String == "trigger")
        #expect(object["dedup_key"] as? String == notification.groupKeyHash)
        #expect(object["dedup_key"] as? String == "3ffb12f2b3c647821419d8a98766726109fbabebd44035ab028ffbd8743724bb")
        let payload = try #require(object["payload"] as? [String: Any])
        #expect(Set(payload.keys) == ["summary", "source", "severity", "timestamp", "custom_details"])
        #expect(payload["summary"] as? String == "[FIRING:1] NodeDown (instance=gw:8080)")
        #expect(payload["source"] as? String == "gw:8080")
        #expect(payload["severity"] as? String == "critical")
        #expect(payload["timestamp"] as? String == "2027-01-15T08:00:00Z")
        let details = try #require(payload["custom_details"] as? [String: String])
        #expect(details["num_firing"] == "1")
        #expect(details["num_resolved"] == "1")
        #expect(details["firing"]?.contains(" - node = a\n") == true)
        #expect(object["client"] as? String == "OllamaMax")
        #expect(object["client_url"] as? String == "http://gateway.test:8080")
        #expect((object["links"] as? [[String: String]]) == [["href": "http://gateway.test/dashboard", "text": "OllamaMax dashboard"]])
        // Decoding it back keeps the key in a Secret.
        let decoded = try JSONDecoder().decode(PagerDutyEvent.self, from: data)
        #expect(decoded.routingKey.revealed == "R0UT1NG")
        #expect("\(decoded)".contains("R0UT1NG") == false)
    }

    @Test func pagerDutyFallsBackToTheConfiguredSeverity() {
        let unlabelled = alert("Odd", ["severity": "page"])
        let event = PagerDutyEvent(
            Self.notification([unlabelled], kind: .pagerDuty),
            settings: PagerDutySettings(routingKey: Secret("k"), severity: "warning"),
            externalURL: "",
            dashboardURL: nil
        )
        #expect(event.payload?.severity == "warning")
        #expect(event.clientURL == nil)
        #expect(event.links == nil)
    }

    @Test func pagerDutyResolvesWithTheSameDedupKey() throws {
        var resolvedDown = Self.down
        resolvedDown.status = .resolved
        let settings = PagerDutySettings(routingKey: Secret("R0UT1NG"))
        let trigger = PagerDutyEvent(Self.notification([Self.down], kind: .pagerDuty), settings: settings, externalURL: "", dashboardURL: nil)
        let resolve = PagerDutyEvent(Self.notification([resolvedDown], kind: .pagerDuty), settings: settings, externalURL: "", dashboardURL: nil)
        let object = try Self.json(try PayloadJSON.encode(resolve))
        #expect(Set(object.keys) == ["routing_key", "event_action", "dedup_key", "client"])
        #expect(object["event_action"] as? String == "resolve")
        #expect(resolve.dedupKey == trigger.dedupKey)
    }

    @Test func alertmanagerPostBodyIsTheV2AlertList() throws {
        let body = [PostableAlert(Self.down, endsAt: at(240)), PostableAlert(Self.slow, endsAt: at(90))]
        let array = try #require(try JSONSerialization.jsonObject(with: try PayloadJSON.encode(body)) as? [[String: Any]])
        #expect(Set(array[0].keys) == ["labels", "annotations", "startsAt", "endsAt", "generatorURL"])
        #expect(Set(array[1].keys) == ["labels", "annotations", "startsAt", "endsAt"])
        #expect(array[0]["endsAt"] as? String == "2027-01-15T08:04:00Z")
        #expect(array[0]["labels"] as? [String: String] == Self.down.labels)
    }


    @Test func timestampsAreUTCInTheirWireForms() {
        #expect(Timestamp.rfc3339(at(0)) == "2027-01-15T08:00:00Z")
        #expect(Timestamp.rfc3339(at(0.25)) == "2027-01-15T08:00:00.250Z")
        #expect(Timestamp.rfc3339(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(Timestamp.rfc5322(at(0)) == "Fri, 15 Jan 2027 08:00:00 +0000")
        #expect(Timestamp.rfc5322(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(Timestamp.parse("2027-01-15T08:00:00.250Z") == at(0.25))
    }
}
