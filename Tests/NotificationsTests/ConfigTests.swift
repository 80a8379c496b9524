import Foundation
import Notifications
import Testing

@Suite struct ConfigTests {
    static let full = """
        notifications:
          external_url: http://gateway.test:8080
          dashboard_url: http://gateway.test:8080/dashboard
          route:
            receiver: warning
            group_by: [alertname, node]
            group_wait: 10s
            group_interval: 2m
            repeat_interval: 1h30m
            routes:
              - matchers: ['severity="critical"', 'team=~"db|cache"']
                receiver: critical
                continue: true
                group_by: ['...']
              - matchers: ["severity!=info"]
                receiver: warning
          receivers:
            - name: critical
              webhook_configs:
                - url: http://127.0.0.1:5001/hook
                  max_alerts: 5
              pagerduty_configs:
                - routing_key: abc123
                  severity: critical
              email_configs:
                - to: 'oncall@example.com, OllamaMax Ops <ops@example.com>'
                  from: alerts@example.com
                  smarthost: smtp.example.com:587
                  auth_username: alerts
                  auth_password: hunter2
                  hello: gateway.example.com
                  send_resolved: true
            - name: warning
              slack_configs:
                - api_url: https://hooks.slack.com/services/T0/B0/X
                  channel: '#alerts'
                  send_resolved: true
          alertmanagers:
            - url: http://127.0.0.1:9093
        """

    @Test func aFullConfigurationReadsEveryKey() throws {
        let parsed = try settings(Self.full)
        #expect(parsed.externalURL == "http://gateway.test:8080")
        #expect(parsed.dashboardURL == "http://gateway.test:8080/dashboard")
        let route = try #require(parsed.route)
        #expect(route.receiver == "warning")
        #expect(route.groupBy == .labels(["alertname", "node"]))
        #expect(route.groupWait == .seconds(10))
        #expect(route.groupInterval == .seconds(120))
        #expect(route.repeatInterval == .seconds(5400))
        #expect(route.routes.count == 2)
        #expect(route.routes[0].matchers.map(\.description) == [#"severity="critical""#, #"team=~"db|cache""#])
        #expect(route.routes[0].continueMatching)
        #expect(route.routes[0].groupBy == .all)
        #expect(route.routes[1].matchers.map(\.description) == [#"severity!="info""#])

        let critical = try #require(parsed.receiver(named: "critical"))
        #expect(critical.webhooks == [WebhookSettings(url: Secret("http://127.0.0.1:5001/hook"), sendResolved: true, maxAlerts: 5)])
        #expect(critical.pagerDuty == [PagerDutySettings(routingKey: Secret("abc123"), severity: "critical")])
        let email = try #require(critical.email.first)
        #expect(email.to.map(\.description) == ["oncall@example.com", "OllamaMax Ops <ops@example.com>"])
        #expect(email.to.map(\.address) == ["oncall@example.com", "ops@example.com"])
        #expect(email.from.address == "alerts@example.com")
        #expect(email.smarthost == Smarthost(host: "smtp.example.com", port: 587))
        #expect(email.authUsername == "alerts")
        #expect(email.authPassword?.revealed == "hunter2")
        #expect(email.requireTLS)
        #expect(email.hello == "gateway.example.com")
        #expect(email.sendResolved)

        let warning = try #require(parsed.receiver(named: "warning"))
        #expect(warning.slack == [SlackSettings(apiURL: Secret("https://hooks.slack.com/services/T0/B0/X"), channel: "#alerts", sendResolved: true)])
        #expect(parsed.alertmanagers == [AlertmanagerTarget(url: "http://127.0.0.1:9093")])
        #expect(parsed.alertmanagers[0].alertsURL == "http://127.0.0.1:9093/api/v2/alerts")
    }

    @Test func integrationsDefaultAsAlertmanagerDoes() throws {
        let parsed = try settings(
            """
            notifications:
              route: {receiver: all}
              receivers:
                - name: all
                  webhook_configs: [{url: http://127.0.0.1:1/x}]
                  slack_configs: [{api_url: http://127.0.0.1:1/y}]
                  pagerduty_configs: [{routing_key: k}]
                  email_configs: [{to: a@b.c, from: d@e.f, smarthost: 'relay:25'}]
            """
        )
        let receiver = try #require(parsed.receiver(named: "all"))
        #expect(receiver.webhooks[0].sendResolved == true)
        #expect(receiver.webhooks[0].maxAlerts == 0)
        #expect(receiver.slack[0].sendResolved == false)
        #expect(receiver.slack[0].channel == nil)
        #expect(receiver.pagerDuty[0].sendResolved == true)
        #expect(receiver.pagerDuty[0].url == "https://events.pagerduty.com/v2/enqueue")
        #expect(receiver.pagerDuty[0].severity == "error")
        #expect(receiver.email[0].sendResolved == false)
        #expect(receiver.email[0].requireTLS == true)
        #expect(receiver.email[0].hello == "localhost")
        #expect(
            receiver.integrations.map(\.id.description) == [
                "all/webhook_configs[0]", "all/slack_configs[0]", "all/email_configs[0]", "all/pagerduty_configs[0]",
            ]
        )
        #expect(parsed.route?.groupWait == nil)
    }

    @Test func secretsAreReadFromFilesRelativeToTheConfiguration() throws {
        let directory = try temporaryDirectory()
        try "https://hooks.slack.com/services/FROM/FILE\n".write(to: directory.appendingPathComponent("slack.url"), atomically: true, encoding: .utf8)
        try "pd-key\n".write(to: directory.appendingPathComponent("pd.key"), atomically: true, encoding: .utf8)
        try "s3cret".write(to: directory.appendingPathComponent("smtp.password"), atomically: true, encoding: .utf8)
        try "http://127.0.0.1:9/hook".write(to: directory.appendingPathComponent("hook.url"), atomically: true, encoding: .utf8)
        let file = directory.appendingPathComponent("notifications.yml")
        try """
        notifications:
          route: {receiver: r}
          receivers:
            - name: r
              slack_configs: [{api_url_file: slack.url}]
              webhook_configs: [{url_file: hook.url}]
              pagerduty_configs: [{routing_key_file: pd.key}]
              email_configs: [{to: a@b.c, from: d@e.f, smarthost: 'relay:25', auth_username: u, auth_password_file: smtp.password}]
        """.write(to: file, atomically: true, encoding: .utf8)
        let parsed = try NotificationSettings.load(path: file.path)
        let receiver = try #require(parsed.receiver(named: "r"))
        #expect(receiver.slack[0].apiURL.revealed == "https://hooks.slack.com/services/FROM/FILE")
        #expect(receiver.webhooks[0].url.revealed == "http://127.0.0.1:9/hook")
        #expect(receiver.pagerDuty[0].routingKey.revealed == "pd-key")
        #expect(receiver.email[0].authPassword?.revealed == "s3cret")
    }

    @Test func everyProblemIsReportedWithFileLineKeyPathAndAdvice() {
        let text = problems(
            """
            notifications:
              route:
                receiver: critcal
                group_wait: 30x
                routes:
                  - matchers: ['severity=~"(unclosed"']
                    recevier: x
              receivers:
                - name: critical
                  webhook_configs:
                    - url: not a url
                  email_configs:
                    - to: nobody
                      from: alerts@example.com
                      smarthost: smtp.example.com
                  pagerduty_configs:
                    - severity: fatal
            """
        )
        let lines = text.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                #"test.yml:4:17: notifications.route.group_wait: "30x" is not a duration; write one like 30s, 5m, 4h or 1h30m"#,
                #"test.yml:6:20: notifications.route.routes[0].matchers[0]: "severity=~\"(unclosed\"": label "severity": "(unclosed" is not a valid regular expression; write matchers like severity="critical" or alertname=~"Node.*""#,
                "test.yml:7:9: notifications.route.routes[0].recevier: unknown key; known keys here: continue, group_by, group_interval, group_wait, matchers, receiver, repeat_interval, routes",
                "test.yml:11:16: notifications.receivers[0].webhook_configs[0].url: is not an http:// or https:// URL (the value is secret and not shown here)",
                #"test.yml:13:15: notifications.receivers[0].email_configs[0].to: "nobody" is not a mail address; write one like oncall@example.com"#,
                #"test.yml:15:22: notifications.receivers[0].email_configs[0].smarthost: "smtp.example.com" is not host:port; write it like smtp.example.com:587"#,
                "test.yml:17:11: notifications.receivers[0].pagerduty_configs[0].routing_key: required; give the integration's routing key (Events API v2) as routing_key or in a file named by routing_key_file",
                #"test.yml:17:21: notifications.receivers[0].pagerduty_configs[0].severity: "fatal" is not a PagerDuty severity; use one of: critical, error, warning, info"#,
            ]
        )
    }

    @Test func routesMustNameDefinedReceivers() {
        #expect(
            problems(
                """
                notifications:
                  route:
                    receiver: critcal
                    routes: [{receiver: nobody, matchers: [a=b]}]
                  receivers: [{name: critical}, {name: warning}]
                """
            ) == """
                test.yml:3:15: notifications.route.receiver: "critcal" is not a receiver; define it under notifications.receivers or use one of: "critical", "warning"
                test.yml:4:25: notifications.route.routes[0].receiver: "nobody" is not a receiver; define it under notifications.receivers or use one of: "critical", "warning"
                """
        )
    }

    @Test func theRootRouteNeedsAReceiverAndNoMatchers() {
        #expect(
            problems(
                """
                notifications:
                  route: {matchers: [a=b], group_by: [x]}
                  receivers: [{name: r}]
                """
            ) == """
                test.yml:2:10: notifications.route.receiver: required at the root route; name the receiver that gets what no child route takes
                test.yml:2:21: notifications.route.matchers: the root route matches every alert; move these to a child route
                """
        )
    }

    @Test func secretsGivenTwiceOrEmptyAreRefused() {
        #expect(
            problems(
                """
                notifications:
                  route: {receiver: r}
                  receivers:
                    - name: r
                      slack_configs: [{api_url: 'http://127.0.0.1:1/a', api_url_file: x}]
                      pagerduty_configs: [{routing_key: ''}]
                """
            ) == """
                test.yml:5:71: notifications.receivers[0].slack_configs[0].api_url_file: give either api_url or api_url_file, not both
                test.yml:6:41: notifications.receivers[0].pagerduty_configs[0].routing_key: is empty; give the integration's routing key (Events API v2)
                """
        )
    }

    @Test func aMissingSecretFileIsNamed() throws {
        let directory = try temporaryDirectory()
        let text = problems(
            """
            notifications:
              route: {receiver: r}
              receivers: [{name: r, pagerduty_configs: [{routing_key_file: missing.key}]}]
            """,
            baseDirectory: directory.path
        )
        #expect(
            text
                == "test.yml:3:64: notifications.receivers[0].pagerduty_configs[0].routing_key_file: \(directory.path)/missing.key: no such file; give a file that holds only the secret"
        )
    }

    @Test func anUnreadableFileAndAMissingSectionAreExplained() {
        #expect(
            throws: NotificationConfigError.self,
            performing: { try NotificationSettings.load(path: "/nonexistent/notifications.yml") }
        )
        #expect(problems("gateway: {listen: x}\n") == #"test.yml:1:1: gateway: unknown key; known keys here: notifications"#)
        #expect(problems("notifications:\n") == "test.yml:1:15: notifications: required; put the routes and receivers under notifications:")
        #expect(
            problems("notifications:\n  route: [a]\n")
                == "test.yml:2:10: notifications.route: must be a mapping of keys (key: value lines); known keys here: receiver, matchers, group_by, group_wait, group_interval, repeat_interval, continue, routes"
        )
    }

    @Test func yamlSyntaxErrorsGivePositionButNotTheLine() {
        let text = problems("notifications:\n  route: {receiver: r}\n  receivers: [{name: r, webhook_configs: [{url: \"http://127.0.0.1/TOKEN}]}]\n")
        #expect(text.hasPrefix("test.yml:4:1: notifications: not valid YAML: found unexpected end of stream"))
        #expect(!text.contains("TOKEN"))
    }

    @Test func forwardingOnlyNeedsNoRoute() throws {
        let parsed = try settings("notifications:\n  alertmanagers: [{url: 'http://127.0.0.1:9093/'}]\n")
        #expect(parsed.route == nil)
        #expect(parsed.alertmanagers[0].alertsURL == "http://127.0.0.1:9093/api/v2/alerts")
        #expect(
            problems("notifications:\n  receivers: [{name: r}]\n")
                == "test.yml:2:3: notifications.route: required when receivers are defined; add a route with at least a receiver"
        )
    }

    @Test func durationsReadAsPrometheusWritesThem() throws {
        let cases: [(String, Duration)] = [
            ("0", .zero), ("0s", .zero), ("30s", .seconds(30)), ("5m", .seconds(300)), ("1h30m", .seconds(5400)),
            ("1d", .seconds(86400)), ("1w", .seconds(604_800)), ("250ms", .milliseconds(250)), ("1m30s500ms", .milliseconds(90500)),
        ]
        for (text, expected) in cases {
            let parsed = try settings("notifications:\n  route: {receiver: r, group_wait: \(text)}\n  receivers: [{name: r}]\n")
            #expect(parsed.route?.groupWait == expected, "\(text)")
        }
        for text in ["5", "m", "1s1m", "1.5s", "-1s", "1h 30m"] {
            #expect(
                problems("notifications:\n  route: {receiver: r, group_wait: '\(text)'}\n  receivers: [{name: r}]\n").contains("is not a duration"),
                "\(text)"
            )
        }
        #expect(problems("notifications:\n  route: {receiver: r, group_interval: 0s}\n  receivers: [{name: r}]\n").contains("must be longer than 0s"))
    }

    @Test func problemsOfSettingsMadeInCodeNameTheirKeys() {
        let made = NotificationSettings(
            route: RouteSettings(receiver: "x"),
            receivers: [ReceiverSettings(name: "a"), ReceiverSettings(name: "a")]
        )
        #expect(
            made.problems() == [
                #"notifications.receivers[1].name: "a" is defined twice; give each receiver its own name"#,
                #"notifications.route.receiver: "x" is not a receiver; define it under notifications.receivers or use one of: "a""#,
            ]
        )
    }

    @Test func smarthostsAndAddressesParse() {
        #expect(Smarthost("[::1]:2525") == Smarthost(host: "::1", port: 2525))
        #expect(Smarthost("[::1]:2525")?.description == "[::1]:2525")
        #expect(Smarthost("relay") == nil)
        #expect(Smarthost("relay:0") == nil)
        #expect(Smarthost("relay:99999") == nil)
        #expect(EmailAddress("\"Ops Team\" <ops@example.com>")?.displayName == "Ops Team")
        #expect(EmailAddress("a@b\r\nBcc: x@y") == nil)
        #expect(EmailAddress("a b@c") == nil)
        #expect(EmailAddress("@c") == nil)
    }
}
