import Foundation
import Notifications
import TestHTTP
import Testing

/// Forwarding to an Alertmanager, as Prometheus posts to `/api/v2/alerts`.
@Suite struct AlertmanagerForwardingTests {
    @Test func everyEvaluationPostsTheFiringAlertsThenTheResolution() async throws {
        let alertmanager = try await TestHTTPServer.start()
        defer { Task { await alertmanager.stop() } }
        let yaml = """
            notifications:
              alertmanagers: [{url: '\(alertmanager.url())'}]
            """
        let down = alert("NodeDown", ["node": "a"], annotations: ["summary": "Node a is down"])
        try await withService(try settings(yaml)) { service in
            for (evaluation, alerts) in [[down], [down], []].enumerated() {
                await service.process(alerts: alerts, now: at(Double(evaluation) * 60))
                try await within(.seconds(20), "evaluation \(evaluation)'s post") { await service.waitUntilIdle() }
            }
            #expect(service.counters() == [DeliveryCounter(receiver: "alertmanager[0]", integration: .alertmanager, sent: 3, attempts: 3)])
        }
        let posts = alertmanager.requests.pending
        #expect(posts.map(\.path) == ["/api/v2/alerts", "/api/v2/alerts", "/api/v2/alerts"])
        #expect(posts.map { $0.headers["content-type"] } == Array(repeating: "application/json", count: 3))
        let bodies = try posts.map { try JSONDecoder().decode([PostableAlert].self, from: $0.body) }
        #expect(bodies.map { $0.map(\.labels) } == Array(repeating: [down.labels], count: 3))
        #expect(bodies.map { $0.map(\.endsAt) } == [["2027-01-15T08:04:00Z"], ["2027-01-15T08:05:00Z"], ["2027-01-15T08:02:00Z"]])
        #expect(bodies[0][0].startsAt == "2027-01-15T08:00:00Z")
        #expect(bodies[0][0].annotations == ["summary": "Node a is down"])
        #expect(bodies[0][0].generatorURL == "http://gateway.test/graph?g0.expr=up")
    }
}
