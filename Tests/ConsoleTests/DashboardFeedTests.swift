import Alerting
import Console
import Foundation
import Testing

/// The dashboard's feed: Server-Sent Event framing and the panels' values over a series store.
struct DashboardFeedTests {
    @Test func eventsAreFramedAsEventSourceReadsThem() {
        #expect(ServerSentEvent(event: "sample", data: #"{"a":1}"#).text == "event: sample\ndata: {\"a\":1}\n\n")
        // A line break in the data becomes one data line each.
        #expect(ServerSentEvent(event: "x", data: "a\nb").text == "event: x\ndata: a\ndata: b\n\n")
        #expect(ServerSentEvent(event: "stats", json: ["b": 2, "a": 1]).data == #"{"a":1,"b":2}"#)
    }

    /// Two routes' request counters growing at 2/s and 0.5/s for two minutes of 5 s scrapes.
    static func store() -> SeriesStore {
        let store = SeriesStore()
        for step in 0...24 {
            let time = Int64(step) * 5000
            store.appendScrape(
                [
                    (Labels(["__name__": "http_requests_total", "route": "/api/generate", "status": "200"]), Double(step) * 10),
                    (Labels(["__name__": "http_requests_total", "route": "/api/tags", "status": "200"]), Double(step) * 2.5),
                    (Labels(["__name__": "process_resident_memory_bytes"]), 50_000_000),
                ],
                timestampMs: time,
                target: "self"
            )
        }
        return store
    }

    @Test func panelValuesAreThePanelsQueriesNamedByTheirLegend() throws {
        let feed = DashboardFeed(store: Self.store(), interval: 5, window: 60, monitoring: false)
        let values = feed.values(at: 120)
        let requests = try #require(values["requests"])
        #expect(requests.map(\.name) == ["/api/generate", "/api/tags"])
        #expect(abs((requests[0].value ?? 0) - 2) < 1e-9)
        #expect(abs((requests[1].value ?? 0) - 0.5) < 1e-9)
        #expect(values["memory"]?.first { $0.name == "resident" }?.value == 50_000_000)
        // No 5xx series at all: the errors panel has nothing rather than a made-up zero.
        #expect(values["errors"]?.isEmpty == true)
    }

    @Test func histogramPanelsSayTheyNeedMonitoringWhenItIsOff() {
        let off = DashboardFeed(store: SeriesStore(), interval: 5, window: 60, monitoring: false)
        #expect(off.panels.first { $0.id == "latency" }?.note?.contains("--enable-performance-monitoring") == true)
        #expect(off.panels.first { $0.id == "requests" }?.note == nil)
        let on = DashboardFeed(store: SeriesStore(), interval: 5, window: 60, monitoring: true)
        #expect(on.panels.allSatisfy { $0.note == nil })
        #expect(on.panelsEvent().data.contains(#""monitoring":true"#))
    }

    @Test func aRangeHasOnePointPerIntervalWithGapsBeforeASeriesExisted() throws {
        let feed = DashboardFeed(store: Self.store(), interval: 5, window: 60, monitoring: false)
        let events = feed.rangeEvents(now: 120)
        #expect(events.count == feed.panels.count)
        let requests = try #require(events.first { $0.data.contains(#""panel":"requests""#) })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(requests.data.utf8)) as? [String: Any])
        let series = try #require(object["series"] as? [[String: Any]])
        let points = try #require(series.first?["points"] as? [[Any]])
        // 60 s at 5 s: 13 times from 60 to 120.
        #expect(points.count == 13)
        #expect((points.first?.first as? Double) == 60)
        #expect((points.last?.first as? Double) == 120)
    }

    /// An hour's window at 1 s would be 3,600 evaluations per page: it is cut to 360 points (one
    /// every 10 s), starts at the oldest sample held (0 s here, two minutes of data), ends at the
    /// step before `now`, and pages that connect within one step get the same evaluation.
    @Test func aLongWindowIsCutTo360PointsFromTheOldestSample() throws {
        let feed = DashboardFeed(store: Self.store(), interval: 1, window: 3600, monitoring: false)
        #expect(feed.rangeStep == 10)
        #expect(feed.panelsEvent().data.contains(#""range_step_seconds":10"#))
        let events = feed.rangeEvents(now: 125)
        let requests = try #require(events.first { $0.data.contains(#""panel":"requests""#) })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(requests.data.utf8)) as? [String: Any])
        let series = try #require(object["series"] as? [[String: Any]])
        let points = try #require(series.first?["points"] as? [[Any]])
        // 0, 10, ..., 120: 13 points, not 3,601.
        #expect(points.count == 13)
        #expect((points.first?.first as? Double) == 0)
        #expect((points.last?.first as? Double) == 120)
        #expect(feed.rangeEvents(now: 129.9) == events)
    }
}
