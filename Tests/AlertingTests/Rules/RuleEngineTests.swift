import Foundation
import Testing

@testable import Alerting

/// The engine over several groups: each on its own interval, recording rules feeding later rules,
/// series a rule stops returning marked stale, and the `/api/v1/alerts` and `/api/v1/rules` bodies.
struct RuleEngineTests {
    static let rules = """
        groups:
          - name: fast
            interval: 15s
            rules:
              - record: job:up:sum
                expr: sum by (job) (up)
              - alert: JobDown
                expr: job:up:sum == 0
                for: 30s
                labels:
                  severity: page
                annotations:
                  summary: "{{ $labels.job }} has no target up"
          - name: slow
            rules:
              - record: instance:up:count
                expr: count(up)
        """

    private func engine() throws -> (RuleEngine, SeriesStore) {
        let store = SeriesStore()
        let groups = try RuleFileLoader.parse(Self.rules, file: "rules.yml")
        return (RuleEngine(groups: groups, store: store), store)
    }

    @Test func groupsAreDueOnTheirOwnIntervals() throws {
        var (engine, _) = try engine()
        #expect(engine.nextEvaluationMs == nil)
        #expect(engine.evaluateDue(at: 0).map(\.group) == ["fast", "slow"])
        #expect(engine.nextEvaluationMs == seconds(15))
        #expect(engine.evaluateDue(at: seconds(14)).isEmpty)
        #expect(engine.evaluateDue(at: seconds(15)).map(\.group) == ["fast"])
        #expect(engine.evaluateDue(at: seconds(45)).map(\.group) == ["fast"])
        // The default interval is a minute.
        #expect(engine.evaluateDue(at: seconds(60)).map(\.group) == ["fast", "slow"])
    }

    @Test func recordingRulesWriteSeriesThatLaterRulesRead() throws {
        var (engine, store) = try engine()
        let a: Labels = ["__name__": "up", "job": "api", "instance": "a"]
        let b: Labels = ["__name__": "up", "job": "api", "instance": "b"]
        store.appendScrape([(a, 0), (b, 0)], timestampMs: 0, target: "t")
        let first = engine.evaluateAll(at: 0)
        #expect(first[0].rules.map(\.samplesWritten) == [1, 2])
        #expect(first[0].rules[1].state == .pending)
        store.appendScrape([(a, 0), (b, 0)], timestampMs: seconds(30), target: "t")
        _ = engine.evaluateAll(at: seconds(30))
        let alerts = engine.activeAlerts
        #expect(alerts.map(\.state) == [.firing])
        #expect(alerts.first?.labels == ["alertname": "JobDown", "job": "api", "severity": "page"])
        #expect(alerts.first?.annotations["summary"] == "api has no target up")
        let evaluator = PromQLEvaluator(source: store)
        #expect(try evaluator.evaluate("job:up:sum", at: seconds(30)).ruleVector().map(\.value) == [0])
        #expect(try evaluator.evaluate("instance:up:count", at: seconds(30)).ruleVector().map(\.value) == [2])
    }

    @Test func aSeriesARuleNoLongerReturnsGoesStale() throws {
        var (engine, store) = try engine()
        let api: Labels = ["__name__": "up", "job": "api", "instance": "a"]
        let web: Labels = ["__name__": "up", "job": "web", "instance": "w"]
        store.append(labels: api, timestampMs: 0, value: 1)
        store.append(labels: web, timestampMs: 0, value: 1)
        _ = engine.evaluateAll(at: 0)
        store.markStale(labels: web, timestampMs: seconds(10))
        store.append(labels: api, timestampMs: seconds(10), value: 1)
        _ = engine.evaluateAll(at: seconds(15))
        let evaluator = PromQLEvaluator(source: store)
        // Without the stale marker job="web" would linger for the 5-minute lookback.
        let jobs = try evaluator.evaluate("job:up:sum", at: seconds(20)).ruleVector().map { $0.labels["job"] }
        #expect(jobs == ["api"])
    }

    @Test func theAPIBodiesHavePrometheusShape() throws {
        var (engine, store) = try engine()
        store.append(labels: ["__name__": "up", "job": "api"], timestampMs: 1_700_000_000_000, value: 0)
        _ = engine.evaluateAll(at: 1_700_000_000_000)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let alerts = String(decoding: try encoder.encode(AlertsResponse(alerts: engine.activeAlerts)), as: UTF8.self)
        #expect(
            alerts
                == #"{"data":{"alerts":[{"activeAt":"2023-11-14T22:13:20Z","annotations":{"summary":"api has no target up"},"labels":{"alertname":"JobDown","job":"api","severity":"page"},"state":"pending","value":"0e+00"}]},"status":"success"}"#
        )
        let rules = try #require(
            try JSONSerialization.jsonObject(with: encoder.encode(RulesResponse(engine: engine, filter: .alert))) as? [String: Any]
        )
        let groups = try #require((rules["data"] as? [String: Any])?["groups"] as? [[String: Any]])
        #expect(groups.map { $0["name"] as? String } == ["fast", "slow"])
        #expect(groups.map { $0["interval"] as? Double } == [15, 60])
        let rule = try #require((groups[0]["rules"] as? [[String: Any]])?.first)
        #expect(rule["type"] as? String == "alerting")
        #expect(rule["query"] as? String == "job:up:sum == 0")
        #expect(rule["duration"] as? Double == 30)
        #expect(rule["state"] as? String == "pending")
        #expect(rule["health"] as? String == "ok")
        #expect((groups[1]["rules"] as? [Any])?.isEmpty == true)
    }

    @Test func loadingSeveralFilesReportsEveryProblemOfEveryFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("alerting-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.yml")
        let bad = directory.appendingPathComponent("bad.yml")
        try Self.rules.write(to: good, atomically: true, encoding: .utf8)
        try "groups:\n  - name: x\n    rules:\n      - record: y\n".write(to: bad, atomically: true, encoding: .utf8)
        let missing = directory.appendingPathComponent("missing.yml")
        #expect(try RuleEngine.load(ruleFiles: [good], store: SeriesStore()).groups.count == 2)
        do {
            _ = try RuleEngine.load(ruleFiles: [good, bad, missing], store: SeriesStore())
            Issue.record("broken files loaded")
        } catch {
            #expect(error.problems.count == 2)
            #expect(error.problems[0] == "\(bad.path): 4:9: group \"x\", rule 1, \"y\": field 'expr' must be set in rule")
            #expect(error.problems[1].hasPrefix("\(missing.path): cannot read the file"))
        }
    }
}
