import Foundation
import PerfReport
import Telemetry
import TestHTTP
import Yams

/// The monitoring stack's files in this checkout, and the scripts that render and start it.
enum MonitoringStack {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let templates = repository.appendingPathComponent("monitoring/templates")
    static let rules = templates.appendingPathComponent("rules/ollamamax-alerts.yml")
    static let ruleTests = templates.appendingPathComponent("rules/tests/ollamamax-alerts.test.yml")
    static let dashboard = templates.appendingPathComponent("grafana/dashboards/ollamamax-gateway.json")
    static let setupScript = repository.appendingPathComponent("scripts/setup-monitoring.sh")

    /// Runs an executable with `arguments` and extra environment to its end, on a thread of its
    /// own (``offThePool(_:)``); stdout and stderr apart.
    static func run(
        _ executable: URL,
        _ arguments: [String],
        environment: [String: String] = [:],
        removing: Set<String> = []
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await offThePool { try runNow(executable, arguments, environment: environment, removing: removing) }
    }

    private static func runNow(
        _ executable: URL,
        _ arguments: [String],
        environment: [String: String],
        removing: Set<String>
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !removing.contains($0.key) }
            .merging(environment) { _, new in new }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes concurrently so neither fills up and blocks the child.
        let errorData = LockedData()
        let reader = Thread { errorData.set((try? stderr.fileHandleForReading.readToEndRetryingInterrupts()) ?? Data()) }
        reader.start()
        let out = try stdout.fileHandleForReading.readToEndRetryingInterrupts()
        process.waitUntilExit()
        let err = errorData.wait()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    /// The environment variables setup-monitoring.sh reads secrets from.
    static let secretVariables: Set<String> = [
        "SLACK_WEBHOOK", "OLLAMAMAX_SLACK_WEBHOOK", "OLLAMAMAX_PAGERDUTY_KEY", "OLLAMAMAX_WEBHOOK_URL",
    ]

    /// Runs scripts/setup-monitoring.sh with only the secret variables in `environment` (none
    /// inherited from the machine running the tests, so a developer's own webhook never leaks in).
    static func setup(
        _ arguments: [String],
        environment: [String: String] = [:]
    ) async throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        try await run(setupScript, arguments, environment: environment, removing: secretVariables)
    }

    /// A new empty temporary directory.
    static func temporaryDirectory(_ prefix: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Every alerting rule in the rule file: name and expression.
    static func alertRules() throws -> [(name: String, expr: String)] {
        let document = try Yams.load(yaml: String(contentsOf: rules, encoding: .utf8)) as? [String: Any]
        let groups = document?["groups"] as? [[String: Any]] ?? []
        return groups.flatMap { group in
            (group["rules"] as? [[String: Any]] ?? []).compactMap { rule in
                guard let name = rule["alert"] as? String, let expr = rule["expr"] as? String else { return nil }
                return (name, expr)
            }
        }
    }

    /// Every panel query of the gateway dashboard: panel title and expression.
    static func dashboardQueries() throws -> [(panel: String, expr: String)] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: dashboard)) as? [String: Any]
        let panels = object?["panels"] as? [[String: Any]] ?? []
        return panels.flatMap { panel in
            (panel["targets"] as? [[String: Any]] ?? []).compactMap { target in
                (target["expr"] as? String).map { (panel["title"] as? String ?? "?", $0) }
            }
        }
    }

    /// A dashboard query as Prometheus' API takes it: Grafana's interval variable replaced.
    static func instantQuery(_ expr: String) -> String {
        expr.replacingOccurrences(of: "$__rate_interval", with: "1m")
    }
}

/// Data handed from a reader thread, waited for once.
private final class LockedData: @unchecked Sendable {
    // Safe: `data` is only touched under `condition`'s lock.
    private let condition = NSCondition()
    private var data: Data?

    func set(_ value: Data) {
        condition.lock()
        data = value
        condition.signal()
        condition.unlock()
    }

    func wait() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while data == nil { condition.wait() }
        return data ?? Data()
    }
}

/// The metric names a PromQL expression selects, found by a small scanner: strings, label
/// matchers `{...}`, ranges `[...]`, numbers and durations are skipped; identifiers followed by
/// `(` are functions or aggregations (which must be known), as are the grouping clauses and
/// keywords; every other identifier is a metric name.
enum PromQLNames {
    static let functions: Set<String> = [
        "sum", "avg", "min", "max", "count", "topk", "bottomk", "quantile", "stddev", "stdvar", "group",
        "rate", "irate", "increase", "delta", "idelta", "deriv", "predict_linear", "histogram_quantile",
        "abs", "clamp_min", "clamp_max", "absent", "absent_over_time", "avg_over_time", "max_over_time",
        "min_over_time", "sum_over_time", "count_over_time", "changes", "resets", "label_replace", "vector",
        "scalar", "time", "round", "ceil", "floor",
    ]
    static let grouping: Set<String> = ["by", "without", "on", "ignoring", "group_left", "group_right"]
    static let keywords: Set<String> = ["and", "or", "unless", "offset", "bool"]

    /// The metric names, or a description of the first thing the scanner does not understand.
    static func metrics(in expr: String) -> Result<Set<String>, ScanError> {
        let characters = Array(expr)
        var names: Set<String> = []
        var index = 0
        func skip(to close: Character) {
            while index < characters.count, characters[index] != close {
                if characters[index] == "\"" { skipString() } else { index += 1 }
            }
            index += 1
        }
        func skipString() {
            index += 1
            while index < characters.count, characters[index] != "\"" {
                index += characters[index] == "\\" ? 2 : 1
            }
            index += 1
        }
        func nextNonSpace(from start: Int) -> Character? {
            var position = start
            while position < characters.count, characters[position].isWhitespace { position += 1 }
            return position < characters.count ? characters[position] : nil
        }
        // `sum by (job) (...)`: an aggregation whose grouping clause comes before its argument.
        func followedByGrouping(_ start: Int) -> Bool {
            var position = start
            while position < characters.count, characters[position].isWhitespace { position += 1 }
            var end = position
            while end < characters.count, characters[end].isLetter { end += 1 }
            let word = String(characters[position..<end])
            return (word == "by" || word == "without") && nextNonSpace(from: end) == "("
        }
        while index < characters.count {
            let character = characters[index]
            if character == "\"" {
                skipString()
            } else if character == "{" {
                skip(to: "}")
            } else if character == "[" {
                skip(to: "]")
            } else if character.isNumber || (character == "." && index + 1 < characters.count && characters[index + 1].isNumber) {
                // A number (1, 0.95, 1e8) or a duration (1d after offset).
                while index < characters.count, characters[index].isNumber || characters[index] == "." { index += 1 }
                if index < characters.count, characters[index] == "e" || characters[index] == "E",
                    index + 1 < characters.count, characters[index + 1].isNumber || characters[index + 1] == "+" || characters[index + 1] == "-"
                {
                    index += 2
                    while index < characters.count, characters[index].isNumber { index += 1 }
                }
                while index < characters.count, "smhdwy".contains(characters[index]) { index += 1 }
            } else if character.isLetter || character == "_" || character == ":" {
                let start = index
                while index < characters.count,
                    characters[index].isLetter || characters[index].isNumber || characters[index] == "_" || characters[index] == ":"
                {
                    index += 1
                }
                let word = String(characters[start..<index])
                if grouping.contains(word) {
                    guard nextNonSpace(from: index) == "(" else { return .failure(ScanError("\"\(word)\" without a label list")) }
                    while characters[index] != "(" { index += 1 }
                    skip(to: ")")
                } else if keywords.contains(word) {
                    continue
                } else if nextNonSpace(from: index) == "(" || followedByGrouping(index) {
                    guard functions.contains(word) else { return .failure(ScanError("unknown function \"\(word)\"")) }
                } else {
                    names.insert(word)
                }
            } else {
                index += 1
            }
        }
        return .success(names)
    }

    struct ScanError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Names rules and dashboards may use besides the catalog: Prometheus' own series and the
    /// node_exporter series the host panels and alerts read (docs/monitoring-stack.md).
    static let allowed: Set<String> = [
        "up", "ALERTS",
        "node_cpu_seconds_total", "node_memory_MemAvailable_bytes", "node_memory_MemTotal_bytes",
    ]

    /// Why `name` is not a series this stack can query, or nil when it is: a catalog family, a
    /// histogram's `_bucket`/`_sum`/`_count`, or an allowed name.
    static func problem(with name: String) -> String? {
        if allowed.contains(name) { return nil }
        if let definition = MetricCatalog.definition(named: name) {
            return definition.kind == .histogram ? "\(name) is a histogram: query \(name)_bucket, _sum or _count" : nil
        }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if MetricCatalog.definition(named: base)?.kind == .histogram { return nil }
        }
        return "\(name) is neither in MetricCatalog (docs/metrics.md) nor in the allowed list"
    }
}
