import Foundation
import Telemetry
import TestHTTP
import Testing
import Yams

/// The alert rules and the dashboard against the real tools and the metric catalog:
/// `promtool check rules`, `promtool test rules`, a firing and a silent case for every alert,
/// and every metric a rule or panel reads is one the gateway exports.
@Suite(.timeLimit(.minutes(3)))
struct MonitoringRulesTests {
    @Test(ExternalTool.promtool.enabled) func promtoolAcceptsTheRuleFile() async throws {
        let result = try await Tool.run("promtool", ["check", "rules", MonitoringStack.rules.path], input: "")
        #expect(result.status == 0, "promtool check rules: \(result.output)")
        #expect(result.output.contains("SUCCESS: 17 rules found"), "promtool check rules: \(result.output)")
    }

    @Test(ExternalTool.promtool.enabled) func promtoolRuleTestsPass() async throws {
        let result = try await Tool.run("promtool", ["test", "rules", MonitoringStack.ruleTests.path], input: "")
        #expect(result.status == 0, "promtool test rules: \(result.output)")
        #expect(result.output.contains("SUCCESS"), "promtool test rules: \(result.output)")
    }

    @Test func everyAlertHasAFiringAndASilentCase() throws {
        let alerts = try MonitoringStack.alertRules().map(\.name)
        #expect(alerts.count == 17)
        let document = try Yams.load(yaml: String(contentsOf: MonitoringStack.ruleTests, encoding: .utf8)) as? [String: Any]
        let cases = (document?["tests"] as? [[String: Any]] ?? []).flatMap { $0["alert_rule_test"] as? [[String: Any]] ?? [] }
        for alert in alerts {
            let mine = cases.filter { $0["alertname"] as? String == alert }
            let firing = mine.filter { !(($0["exp_alerts"] as? [Any]) ?? []).isEmpty }
            let silent = mine.filter { (($0["exp_alerts"] as? [Any]) ?? [1]).isEmpty }
            #expect(!firing.isEmpty, "\(alert) has no promtool case where it fires")
            #expect(!silent.isEmpty, "\(alert) has no promtool case where it stays silent")
            for expected in firing.flatMap({ $0["exp_alerts"] as? [[String: Any]] ?? [] }) {
                let annotations = expected["exp_annotations"] as? [String: Any] ?? [:]
                #expect(Set(annotations.keys) == ["summary", "description", "runbook"], "\(alert): annotations \(annotations.keys.sorted())")
                #expect((expected["exp_labels"] as? [String: Any])?["severity"] != nil, "\(alert): no severity label")
            }
        }
    }

    @Test func everyRuleCarriesSeverityAndTheThreeAnnotations() throws {
        let document = try Yams.load(yaml: String(contentsOf: MonitoringStack.rules, encoding: .utf8)) as? [String: Any]
        let rules = (document?["groups"] as? [[String: Any]] ?? []).flatMap { $0["rules"] as? [[String: Any]] ?? [] }
        #expect(rules.count == 17)
        for rule in rules {
            let name = rule["alert"] as? String ?? "?"
            let severity = (rule["labels"] as? [String: Any])?["severity"] as? String
            #expect(severity == "critical" || severity == "warning", "\(name): severity \(severity ?? "missing")")
            let annotations = rule["annotations"] as? [String: String] ?? [:]
            for key in ["summary", "description", "runbook"] {
                #expect(!(annotations[key] ?? "").isEmpty, "\(name): no \(key)")
            }
        }
    }

    @Test func ruleExpressionsReadOnlyExportedMetrics() throws {
        for (name, expr) in try MonitoringStack.alertRules() {
            switch PromQLNames.metrics(in: expr) {
            case .failure(let error): Issue.record("\(name): \(error)")
            case .success(let metrics):
                #expect(!metrics.isEmpty, "\(name) reads no metric")
                for metric in metrics {
                    if let problem = PromQLNames.problem(with: metric) { Issue.record("rule \(name): \(problem)") }
                }
            }
        }
    }

    @Test func dashboardPanelsQueryOnlyExportedMetrics() throws {
        let queries = try MonitoringStack.dashboardQueries()
        #expect(queries.count >= 20)
        var seen: Set<String> = []
        for (panel, expr) in queries {
            switch PromQLNames.metrics(in: expr) {
            case .failure(let error): Issue.record("panel \(panel): \(error)")
            case .success(let metrics):
                #expect(!metrics.isEmpty, "panel \(panel) reads no metric")
                seen.formUnion(metrics)
                for metric in metrics {
                    if let problem = PromQLNames.problem(with: metric) { Issue.record("panel \(panel): \(problem)") }
                }
            }
        }
        // The issue's list: request rate, latency, errors, TTFT and tokens/s, node states, queue,
        // CPU, memory, threads, heap.
        for required in [
            "http_requests_total", "http_request_duration_seconds_bucket", "ollamamax_time_to_first_token_seconds_bucket",
            "ollamamax_output_tokens_total", "ollamamax_node_state", "ollamamax_queue_depth", "process_cpu_seconds_total",
            "process_resident_memory_bytes", "process_threads", "process_heap_bytes",
        ] {
            #expect(seen.contains(required), "no panel reads \(required)")
        }
    }

    @Test func everyPanelUsesTheProvisionedDatasource() throws {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: MonitoringStack.dashboard)) as? [String: Any]
        let panels = (object?["panels"] as? [[String: Any]] ?? []).filter { $0["type"] as? String != "row" }
        let datasources = try String(
            contentsOf: MonitoringStack.templates.appendingPathComponent("grafana/provisioning/datasources/prometheus.yml"),
            encoding: .utf8
        )
        #expect(datasources.contains("uid: ollamamax-prometheus"))
        for panel in panels {
            let uid = (panel["datasource"] as? [String: Any])?["uid"] as? String
            #expect(uid == "ollamamax-prometheus", "panel \(panel["title"] ?? "?"): datasource \(uid ?? "none")")
        }
    }

    @Test func scannerFindsMetricNamesAndFlagsTheSeedsMistakes() throws {
        let names = try PromQLNames.metrics(
            in: #"sum by (job, le) (rate(foo_bucket{route!~"/a|/b",x="{["}[5m] offset 1d)) / on (job) bar:ratio > 1e8 and baz"#
        ).get()
        #expect(names == ["foo_bucket", "bar:ratio", "baz"])
        if case .success = PromQLNames.metrics(in: "made_up_function(x)") { Issue.record("an unknown function passed") }
        // The seed's rules: a quantile label on a histogram, and Go runtime metrics we do not export.
        #expect(PromQLNames.problem(with: "http_request_duration_seconds") != nil)
        #expect(PromQLNames.problem(with: "go_goroutines") != nil)
        #expect(PromQLNames.problem(with: "go_memstats_alloc_bytes") != nil)
        #expect(PromQLNames.problem(with: "http_request_duration_seconds_bucket") == nil)
        #expect(PromQLNames.problem(with: "ollamamax_queue_depth_count") != nil)
    }
}
