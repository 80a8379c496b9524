import Foundation
import PerfStats
import Testing

/// The median interval picks the order statistics go-moremath's QuantileCI picks.
struct MedianConfidenceTests {
    @Test("orders match the exact-binomial reference", arguments: try Fixtures.medianIntervals())
    func ordersMatchReference(_ fixture: Fixtures.MedianIntervalCase) throws {
        let samples = (1...fixture.n).map(Double.init).reversed()
        let interval = try Stats.medianConfidenceInterval(Array(samples), confidence: fixture.confidence)
        #expect(interval.lowOrder == fixture.lowOrder)
        #expect(interval.highOrder == fixture.highOrder)
        #expect(isClose(interval.confidence, fixture.achievedConfidence, relative: 1e-12))
        #expect(interval.confidence >= fixture.confidence)
        if interval.isBounded {
            // Samples are 1…n, so each bound equals its order.
            #expect(interval.low == Double(fixture.lowOrder) && interval.high == Double(fixture.highOrder))
        } else {
            #expect(interval.low == nil && interval.high == nil)
        }
    }

    @Test func sixSamplesAreTheFirstBoundedIntervalAt95Percent() throws {
        // benchstat's assumption_test: {-10, 2, 3, 4, 5, 6} gives [-10, 6] at 1 − 0.03125.
        let interval = try Stats.medianConfidenceInterval([-10, 2, 3, 4, 5, 6])
        #expect(interval.median == 3.5)
        #expect(interval.low == -10 && interval.high == 6)
        #expect(interval.confidence == 1 - 0.03125)

        let five = try Stats.medianConfidenceInterval([1, 2, 3, 4, 5])
        #expect(five.low == nil && five.high == nil && five.confidence == 1)
        #expect(five.lowOrder == 0 && five.highOrder == 6)
    }

    @Test func ninetyNinePercentNeedsEightSamples() throws {
        let six = try Stats.medianConfidenceInterval([-10, 2, 3, 4, 5, 6], confidence: 0.99)
        #expect(!six.isBounded)
        #expect(Stats.minimumSamplesForMedianInterval(confidence: 0.99) == 8)
        #expect(Stats.minimumSamplesForMedianInterval(confidence: 0.95) == 6)
        #expect(Stats.minimumSamplesForMedianInterval(confidence: 1) == nil)
    }

    @Test func twentySamplesGiveTheClassicSixthAndFifteenthOrders() throws {
        // Textbook: for n = 20 the 95% interval is X(6)…X(15), coverage 1 − 2·P(K ≤ 5) ≈ 0.9586.
        let interval = try Stats.medianConfidenceInterval((1...20).map(Double.init))
        #expect(interval.lowOrder == 6 && interval.highOrder == 15)
        #expect(abs(interval.confidence - 0.958610534667969) < 1e-12)
    }

    @Test func intervalRoundTripsThroughJSONWithUnboundedSides() throws {
        let interval = try Stats.medianConfidenceInterval([1, 2, 3])
        let data = try JSONEncoder().encode(interval)
        #expect(try JSONDecoder().decode(MedianConfidenceInterval.self, from: data) == interval)
    }

    @Test func confidenceOutsideTheOpenUnitIntervalIsRejected() {
        #expect(throws: StatsError.self) { try Stats.medianConfidenceInterval([1, 2, 3], confidence: 1) }
        #expect(throws: StatsError.self) { try Stats.medianConfidenceInterval([1, 2, 3], confidence: 0) }
        #expect(throws: StatsError.self) { try Stats.medianConfidenceInterval([1, 2, 3], confidence: .nan) }
    }
}
