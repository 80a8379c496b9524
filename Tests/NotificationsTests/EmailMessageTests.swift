import Foundation
import Testing

@testable import Notifications

@Suite struct EmailMessageTests {
    static let settings = EmailSettings(
        to: [EmailAddress("oncall@example.com")!, EmailAddress("Ops Team <ops@example.com>")!],
        from: EmailAddress("OllamaMax <alerts@example.com>")!,
        smarthost: Smarthost(host: "relay.example.com", port: 587)
    )

    static func mail(_ alerts: [NotifiedAlert], groupLabels: [String: String] = ["alertname": "NodeDown"]) -> EmailMessage {
        let notification = AlertNotification(
            integration: IntegrationID(receiver: "critical", kind: .email, index: 0),
            groupKey: "{}:{alertname=\"NodeDown\"}",
            groupLabels: groupLabels,
            alerts: alerts,
            createdAt: at(0)
        )
        return EmailMessage(notification, settings: settings, dashboardURL: "http://gateway.test/dashboard")
    }

    /// The headers and the two decoded bodies of a rendered message.
    static func parse(_ mime: String) throws -> (headers: [String: String], parts: [(headers: [String: String], body: String)]) {
        let blank = try #require(mime.range(of: "\r\n\r\n"))
        let headerBlock = String(mime[..<blank.lowerBound])
        func headers(_ block: String) -> [String: String] {
            var found: [String: String] = [:]
            for line in block.replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                found[String(line[..<colon])] = String(line[line.index(colon, offsetBy: 2)...])
            }
            return found
        }
        let top = headers(headerBlock)
        let contentType = try #require(top["Content-Type"])
        let boundary = try #require(contentType.components(separatedBy: "boundary=\"").last?.dropLast())
        let body = String(mime[blank.upperBound...])
        let rawParts = body.components(separatedBy: "--\(boundary)").dropFirst().dropLast()
        let parts = rawParts.map { raw -> (headers: [String: String], body: String) in
            // "\r\n" is one Character: dropping one drops the line break.
            let trimmed = raw.hasPrefix("\r\n") ? String(raw.dropFirst()) : raw
            let split = trimmed.components(separatedBy: "\r\n\r\n")
            let encoded = split.dropFirst().joined(separator: "\r\n\r\n")
            return (headers(split[0]), MIMEText.decodeQuotedPrintable(encoded.hasSuffix("\r\n") ? String(encoded.dropLast()) : encoded))
        }
        return (top, parts)
    }

    @Test func aMailHasAlertmanagerSubjectProperHeadersAndTwoBodies() throws {
        let down = alert(
            "NodeDown",
            ["node": "a", "severity": "critical"],
            annotations: ["summary": "Node a is down", "description": "No answer <for> 2m"]
        )
        let down2 = alert("NodeDown", ["node": "b", "severity": "critical"])
        let message = Self.mail([down, down2])
        #expect(message.subject == "[FIRING:2] NodeDown (severity=critical)")
        let mime = message.mime(date: at(0), messageID: "abc@example.com", boundary: "=_b1")
        #expect(!mime.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!mime.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        #expect(mime.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        let parsed = try Self.parse(mime)
        #expect(
            parsed.headers == [
                "From": "\"OllamaMax\" <alerts@example.com>",
                "To": "oncall@example.com, \"Ops Team\" <ops@example.com>",
                "Subject": "[FIRING:2] NodeDown (severity=critical)",
                "Date": "Fri, 15 Jan 2027 08:00:00 +0000",
                "Message-ID": "<abc@example.com>",
                "MIME-Version": "1.0",
                "Auto-Submitted": "auto-generated",
                "Content-Type": "multipart/alternative; boundary=\"=_b1\"",
            ]
        )
        #expect(parsed.parts.count == 2)
        #expect(parsed.parts[0].headers == ["Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "quoted-printable"])
        #expect(parsed.parts[1].headers == ["Content-Type": "text/html; charset=UTF-8", "Content-Transfer-Encoding": "quoted-printable"])
        #expect(parsed.parts[0].body == message.text)
        #expect(parsed.parts[1].body == message.html)
        #expect(message.text.contains("Node a is down\r\n  No answer <for> 2m\r\n  Started: 2027-01-15T08:00:00Z\r\n"))
        #expect(message.text.contains("   - node = b\r\n"))
        #expect(message.text.contains("Dashboard: http://gateway.test/dashboard"))
        #expect(message.html.contains("No answer &lt;for&gt; 2m"))
        #expect(message.html.contains("<a href=\"http://gateway.test/dashboard\">"))
    }

    @Test func aResolvedGroupSaysResolved() {
        let resolved = alert("NodeDown", ["node": "a"], status: .resolved)
        let message = Self.mail([resolved], groupLabels: ["alertname": "NodeDown", "node": "a"])
        #expect(message.subject == "[RESOLVED] NodeDown a")
        #expect(message.text.contains("\r\nResolved\r\n========\r\n"))
        #expect(!message.text.contains("Firing"))
    }

    @Test func headersCannotBeInjectedAndNonASCIIIsEncoded() throws {
        let evil = alert("Bad\r\nBcc: victim@example.com", ["node": "ä"])
        let message = Self.mail([evil], groupLabels: ["alertname": evil.name, "node": "ä"])
        let mime = message.mime(date: at(0), messageID: "x@y", boundary: "=_b")
        let headerBlock = try #require(mime.components(separatedBy: "\r\n\r\n").first)
        #expect(!headerBlock.contains("\r\nBcc:"))
        #expect(headerBlock.contains("Subject: =?UTF-8?B?"))
        let parsed = try Self.parse(mime)
        let subject = try #require(parsed.headers["Subject"])
        let decoded = subject.split(separator: " ").map { word -> String in
            let base64 = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(base64)) ?? Data(), as: UTF8.self)
        }.joined()
        #expect(decoded == "[FIRING:1] Bad  Bcc: victim@example.com ä")
    }

    @Test func quotedPrintableKeepsLinesShortAndRoundTrips() {
        let text = String(repeating: "x", count: 200) + " \r\nend = 100% ünïcode\t\r\n.dot"
        let encoded = MIMEText.quotedPrintable(text)
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
        #expect(encoded.contains("=20\r\n"))
        #expect(encoded.contains("end =3D 100% =C3=BCn=C3=AFcode=09\r\n"))
        #expect(MIMEText.decodeQuotedPrintable(encoded) == text)
    }

    @Test func smtpDataIsDotStuffedWithCRLF() {
        #expect(SMTPData.stuffed("a\n.b\r\n..c\r\nd") == "a\r\n..b\r\n...c\r\nd\r\n")
        #expect(SMTPData.stuffed("line\r\n") == "line\r\n")
        #expect(SMTPData.stuffed(".") == "..\r\n")
    }
}
