import Foundation
import Testing

@testable import Alerting

/// Milliseconds in `count` minutes: evaluation times and sample times in these tests.
func minutes(_ count: Int64) -> Int64 { count * 60_000 }

/// Milliseconds in `count` seconds.
func seconds(_ count: Int64) -> Int64 { count * 1000 }

/// A store and the evaluator over it, filled in promtool's input notation, so a test states its data the
/// way a rule author writes a promtool test: `"http_requests_total{job=\"api\"}": "0+10x10"`, one value per
/// `interval` from time 0 (`_` leaves a slot empty, `stale` writes a stale marker).
struct SeriesFixture {
    let store = SeriesStore(retention: .seconds(365 * 86_400))
    var lookback: Duration = .seconds(300)

    init(interval: Int64 = minutes(1), _ series: KeyValuePairs<String, String> = [:]) throws {
        for (description, values) in series {
            try add(description, values, interval: interval)
        }
    }

    /// Appends a series' values, one per `interval` starting at `start`.
    func add(_ description: String, _ values: String, interval: Int64 = minutes(1), start: Int64 = 0) throws {
        let labels = try SeriesNotation.labels(description)
        for (slot, value) in try SeriesNotation.values(values).enumerated() {
            if case .number(let number) = value {
                store.append(labels: labels, timestampMs: start + Int64(slot) * interval, value: number)
            }
        }
    }

    var evaluator: PromQLEvaluator { PromQLEvaluator(source: store, lookbackDelta: lookback) }

    /// The query's instant vector at `time`, keyed by the series in PromQL notation (`name{a="1"}`).
    func vector(_ query: String, at time: Int64) throws -> [String: Double] {
        var result: [String: Double] = [:]
        for sample in try evaluator.evaluate(query, at: time).ruleVector() {
            let key = sample.labels.promQLText
            #expect(result[key] == nil, "\(query) returned \(key) twice")
            result[key] = sample.value
        }
        return result
    }

    /// The query's instant vector at `time` in result order, as `series value` lines.
    func ordered(_ query: String, at time: Int64) throws -> [String] {
        try evaluator.evaluate(query, at: time).ruleVector().map { "\($0.labels.promQLText) \(GoFloat.print($0.value))" }
    }

    /// The single value of a query that returns exactly one sample (or a scalar).
    func value(_ query: String, at time: Int64) throws -> Double {
        let samples = try evaluator.evaluate(query, at: time).ruleVector()
        try #require(samples.count == 1, "\(query) returned \(samples.count) samples")
        return samples[0].value
    }

    /// The scalar a scalar-typed query returns.
    func scalar(_ query: String, at time: Int64) throws -> Double {
        guard case .scalar(let value) = try evaluator.evaluate(query, at: time) else {
            Issue.record("\(query) did not return a scalar")
            return .nan
        }
        return value
    }

    /// The evaluation error's message for a query that must fail.
    func failure(_ query: String, at time: Int64) -> String? {
        do {
            _ = try evaluator.evaluate(query, at: time)
            return nil
        } catch {
            return error.description
        }
    }
}

extension Labels {
    /// The series in PromQL notation written independently of the code under test: the metric name
    /// outside the braces, the other labels sorted, values in double quotes (no escapes needed here).
    var promQLText: String {
        let name = self[Labels.metricName] ?? ""
        let rest = pairs.filter { $0.name != Labels.metricName }.map { "\($0.name)=\"\($0.value)\"" }
        if rest.isEmpty { return name.isEmpty ? "{}" : name }
        return name + "{" + rest.joined(separator: ",") + "}"
    }
}

/// Whether two doubles agree to a relative 1e-12 (for values a test derives by hand with rounding).
func close(_ actual: Double?, _ expected: Double, tolerance: Double = 1e-12) -> Bool {
    guard let actual else { return false }
    if actual == expected { return true }
    return abs(actual - expected) <= tolerance * max(1, abs(expected))
}

/// Whether a vector has exactly the expected series, each with a value ``close(_:_:tolerance:)`` to the expected one.
func matches(_ actual: [String: Double], _ expected: [String: Double], tolerance: Double = 1e-12) -> Bool {
    actual.keys.sorted() == expected.keys.sorted() && expected.allSatisfy { close(actual[$0.key], $0.value, tolerance: tolerance) }
}
