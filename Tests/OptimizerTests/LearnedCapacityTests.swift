import Optimizer
import Testing

/// What the optimizer learns besides the limit: the parallel slots that pay and the cost of a cold load.
@Suite struct LearnedCapacityTests {
    @Test func theKneeOfAGPUCurveIsWhereItStillGrows() {
        // llama.cpp batched-bench, 7B F16 on a GPU (docs reference): aggregate decode t/s by batch.
        var estimate = ParallelismEstimate()
        for (batch, tokens) in [(1, 41.6), (2, 50.9), (4, 74.4), (8, 139.4), (16, 242.2)] {
            estimate.record(inFlight: batch, tokensPerSecond: tokens)
        }
        #expect(estimate.knee == 16)  // nothing else within 10% of 242.2
    }

    @Test func theKneeOfACPUCurveIsAtTwo() {
        // Same tool on a c5.4xlarge CPU: 10.6, 12.1, 12.5, 12.7 t/s. Within 10% of 12.7 is >= 11.43: 2 first.
        var estimate = ParallelismEstimate()
        for (batch, tokens) in [(1, 10.6), (2, 12.1), (3, 12.5), (4, 12.7)] {
            estimate.record(inFlight: batch, tokensPerSecond: tokens)
        }
        #expect(estimate.knee == 2)
    }

    @Test func aNodeWithFourSlotsStopsPayingAtFour() {
        var estimate = ParallelismEstimate()
        #expect(estimate.knee == nil)
        for (inFlight, tokens) in [(1, 20.0), (2, 40), (3, 60), (4, 80), (5, 80), (6, 79), (0, 500), (7, 0)] {
            estimate.record(inFlight: inFlight, tokensPerSecond: tokens)
        }
        #expect(estimate.throughputByInFlight.count == 6)  // nothing in flight or no tokens: skipped
        #expect(estimate.knee == 4)
    }

    @Test func eachInFlightCountKeepsAnEWMA() {
        var estimate = ParallelismEstimate()
        estimate.record(inFlight: 4, tokensPerSecond: 80)
        estimate.record(inFlight: 4, tokensPerSecond: 60)
        #expect(estimate.throughputByInFlight[4] == 74)  // 80 + 0.3·(60 - 80)
    }

    @Test func aColdLoadCostsItsTTFTOverTheWarmOne() {
        var cost = LoadCost()
        #expect(cost.cost == nil)
        cost.record(ttft: .milliseconds(5_200), cold: true)
        #expect(cost.cost == nil)
        cost.record(ttft: .milliseconds(200), cold: false)
        #expect(cost.cost == .seconds(5))
        cost.record(ttft: .milliseconds(3_200), cold: true)  // 5.2 + 0.2·(3.2 - 5.2) = 4.8
        #expect(Self.close(cost.coldTTFT, 4.8))
        #expect(Self.close(cost.cost, 4.6))
        cost.record(ttft: .zero, cold: true)  // no timing: skipped
        #expect(Self.close(cost.coldTTFT, 4.8))
    }

    /// Within a nanosecond: the EWMA runs on `Double` seconds.
    static func close(_ duration: Duration?, _ seconds: Double) -> Bool {
        guard let duration else { return false }
        let difference = duration - .seconds(seconds)
        return difference < .nanoseconds(1) && difference > .nanoseconds(-1)
    }

    @Test func aColdLoadFasterThanAWarmAnswerCostsNothing() {
        var cost = LoadCost()
        cost.record(ttft: .milliseconds(100), cold: true)
        cost.record(ttft: .milliseconds(300), cold: false)
        #expect(cost.cost == .zero)
    }
}
