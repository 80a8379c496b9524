import Testing

@testable import Alerting

/// The in-memory store: Prometheus' append rules, retention measured from the newest sample, windows
/// with both ends included, and label sets that treat an empty value as no label.
struct SeriesStoreTests {
    let up: Labels = ["__name__": "up", "instance": "a"]

    @Test func appendsFollowPrometheusRules() {
        let store = SeriesStore()
        #expect(store.append(labels: up, timestampMs: 1000, value: 1) == .stored)
        #expect(store.append(labels: up, timestampMs: 500, value: 1) == .outOfOrder)
        #expect(store.append(labels: up, timestampMs: 1000, value: 2) == .duplicateTimestamp)
        // The same sample again is accepted and stored once.
        #expect(store.append(labels: up, timestampMs: 1000, value: 1) == .stored)
        #expect(store.sampleCount == 1)
        #expect(store.seriesCount == 1)
    }

    @Test func retentionIsMeasuredFromTheNewestSample() throws {
        let store = SeriesStore(retention: .seconds(60))
        store.append(labels: up, timestampMs: 0, value: 1)
        store.append(labels: ["__name__": "old"], timestampMs: 0, value: 1)
        store.append(labels: up, timestampMs: seconds(120), value: 2)
        // A sample older than the retention window is refused.
        #expect(store.append(labels: up, timestampMs: seconds(30), value: 3) == .tooOld)
        #expect(store.select([try LabelMatcher("__name__", .equal, "up")], from: 0, through: seconds(200)).first?.values == [2])
        // The series left without samples is gone.
        #expect(store.seriesCount == 1)
        store.removeSamples(before: seconds(121))
        #expect(store.seriesCount == 0)
    }

    @Test func windowsIncludeBothEnds() throws {
        let store = SeriesStore()
        for minute in Int64(0)...5 { store.append(labels: up, timestampMs: minutes(minute), value: Double(minute)) }
        let window = try #require(store.select([try LabelMatcher("instance", .equal, "a")], from: minutes(1), through: minutes(3)).first)
        #expect(Array(window.timestamps) == [minutes(1), minutes(2), minutes(3)])
        #expect(Array(window.values) == [1, 2, 3])
        #expect(store.select([try LabelMatcher("instance", .equal, "a")], from: minutes(6), through: minutes(7)).isEmpty)
    }

    @Test func emptyLabelValuesAreNoLabelsAndOrderIsPrometheus() {
        #expect(Labels(["a": "1", "b": ""]) == ["a": "1"])
        #expect(Labels(["b": "2", "a": "1"]).description == "{a=\"1\", b=\"2\"}")
        #expect(Labels(["a": "x\"y"]).description == "{a=\"x\\\"y\"}")
        // labels.Compare: by name, then value, then length.
        let sorted = [Labels(["b": "1"]), Labels(["a": "2"]), Labels(["a": "1", "c": "1"]), Labels(["a": "1"])].sorted()
        #expect(sorted == [Labels(["a": "1"]), Labels(["a": "1", "c": "1"]), Labels(["a": "2"]), Labels(["b": "1"])])
        #expect(Labels(["__name__": "x", "a": "1"]).droppingMetricName == ["a": "1"])
        #expect(Labels(["a": "1"]).setting("b", to: "2").removing("a") == ["b": "2"])
    }

    @Test func matchersCompileRegexesOnceAndFailOnBadOnes() throws {
        let matcher = try LabelMatcher("job", .matchesRegex, "api|web-.*")
        #expect(matcher.matches("api"))
        #expect(matcher.matches("web-1"))
        #expect(!matcher.matches("xapi"))
        #expect(try LabelMatcher("job", .doesNotMatchRegex, "a.*").matches(""))
        #expect(matcher.description == "job=~\"api|web-.*\"")
        #expect(throws: PromQLError.self) { try LabelMatcher("job", .matchesRegex, "(") }
    }
}
