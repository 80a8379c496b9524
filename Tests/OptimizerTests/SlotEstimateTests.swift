import Optimizer
import Testing

/// The node's slots learned from whether requests waited for one, by requests in flight.
@Suite struct SlotEstimateTests {
    static func estimate(_ points: [(inFlight: Int, waited: Bool, times: Int)]) -> SlotEstimate {
        var estimate = SlotEstimate()
        for point in points {
            for _ in 0..<point.times { estimate.record(inFlight: point.inFlight, waited: point.waited) }
        }
        return estimate
    }

    @Test func theSlotsAreTheMostInFlightThatDidNotWaitAndFullTheFewestThatDid() {
        // At 4 in flight 1 of 4 waited (EWMA 0.2, under a quarter): not over the slots yet.
        let estimate = Self.estimate([(1, false, 5), (2, false, 5), (3, false, 4), (4, false, 3), (4, true, 1), (5, true, 3), (6, true, 9)])
        #expect(estimate.slots == 4)
        #expect(estimate.full == 5)
    }

    @Test func aCountNeedsThreeRequestsToSayAnything() {
        let estimate = Self.estimate([(1, false, 3), (2, false, 2), (3, true, 2)])
        #expect(estimate.slots == 1)
        #expect(estimate.full == nil)
        #expect(SlotEstimate().slots == nil)
    }

    @Test func theShareOfWaitsIsAnEWMASoANodeWithFewerSlotsIsRelearned() throws {
        // 4 in flight ran at once 10 times; then the node restarted with 3 slots and they wait.
        var estimate = Self.estimate([(3, false, 10), (4, false, 10)])
        #expect(estimate.slots == 4)
        estimate.record(inFlight: 4, waited: true)
        // 0.2 of the weight: still under a quarter.
        let share = try #require(estimate.shareByInFlight[4])
        #expect(abs(share.waited - 0.2) < 1e-9)
        #expect(estimate.slots == 4)
        // 1 - 0.8^2 = 0.36.
        estimate.record(inFlight: 4, waited: true)
        #expect(estimate.slots == 3)
        #expect(estimate.full == 4)
    }

    @Test func countsUnderOneAreIgnored() {
        var estimate = SlotEstimate(minimumRequests: 1)
        estimate.record(inFlight: 0, waited: false)
        #expect(estimate.shareByInFlight.isEmpty)
    }

    /// 10 ms + a tenth of the prompt's time + one and a half tokens' decode is network and clocks.
    @Test func aWaitCountsOnlyOverTheAllowance() {
        // Allowance 0.01 + 0.1·0.2 + 1.5·0.02 = 0.06 s.
        #expect(!SlotEstimate.waited(slotWait: .milliseconds(60), promptEval: .milliseconds(200), timePerOutputToken: .milliseconds(20)))
        #expect(SlotEstimate.waited(slotWait: .milliseconds(61), promptEval: .milliseconds(200), timePerOutputToken: .milliseconds(20)))
        #expect(SlotEstimate.waited(slotWait: .milliseconds(11), promptEval: .zero, timePerOutputToken: nil))
    }
}
