import Optimizer
import Testing

/// How the gateway feeds ``ParallelismEstimate``: the mean concurrency a request ran under, from
/// the time integral of the pair's requests in flight, and one point per request by Little's law.
@Suite struct LearnedThroughputTests {
    @Test func theIntegralAddsRequestsInFlightTimesTheirTime() {
        var busy = InFlightIntegral()
        #expect(busy.area(at: .seconds(5)) == 0)
        busy.set(2, now: .seconds(1))
        #expect(busy.area(at: .seconds(2)) == 2)  // 2 requests for 1 s
        busy.set(4, now: .seconds(2))
        #expect(busy.area(at: .seconds(4)) == 10)  // 2 + 4 × 2
        busy.set(0, now: .seconds(4))
        #expect(busy.area(at: .seconds(9)) == 10)
        #expect(busy.inFlight == 0)
    }

    @Test func aReadingGivesTheMeanAndSpreadOfTheCountBetween() throws {
        var busy = InFlightIntegral()
        busy.set(4, now: .seconds(0))
        let start = busy.reading(at: .seconds(1))
        busy.set(8, now: .seconds(2))
        // 1 s at 4, 1 s at 8: mean 6, standard deviation 2.
        let load = try #require(busy.reading(at: .seconds(3)).inFlight(since: start, seconds: 2))
        #expect(load.mean == 6)
        #expect(load.deviation == 2)
        #expect(busy.reading(at: .seconds(3)).inFlight(since: start, seconds: 0) == nil)
    }

    @Test func aClockGoingBackAddsNothing() {
        var busy = InFlightIntegral()
        busy.set(3, now: .seconds(10))
        #expect(busy.area(at: .seconds(9)) == 0)
        busy.set(1, now: .seconds(9))
        #expect(busy.area(at: .seconds(11)) == 1)  // from 10 s on, one request
    }

    @Test func aRequestIsAPointByLittlesLaw() {
        var estimate = ParallelismEstimate()
        // 100 tokens in 2 s while 3.8 requests were in flight on average: 190 t/s at 4.
        estimate.record(outputTokens: 100, seconds: 2, meanInFlight: 3.8)
        #expect(estimate.throughputByInFlight == [4: 190])
        // Nothing to learn from: no tokens, no time, nothing in flight.
        estimate.record(outputTokens: 0, seconds: 2, meanInFlight: 2)
        estimate.record(outputTokens: 10, seconds: 0, meanInFlight: 2)
        estimate.record(outputTokens: 10, seconds: 1, meanInFlight: 0.4)
        estimate.record(outputTokens: 10, seconds: .infinity, meanInFlight: 2)
        #expect(estimate.throughputByInFlight == [4: 190])
    }

    @Test(arguments: [1, 2, 4, 8])
    func requestsQueuedPastTheSlotsShowTheKnee(slots: Int) {
        // A node with `slots` parallel slots on the GPU curve (llama.cpp batched-bench): each of
        // k decoding requests runs at r·s(k)/k; requests past the slots wait a whole answer per
        // round in the node's queue. Closed loop: `clients` requests always in flight.
        let speedup: [Double] = [1, 1.22, 1.505, 1.79, 2.18, 2.57, 2.96, 3.35, 3.66, 3.97, 4.28, 4.59]
        let tokens = 40
        let rate = 100.0
        var estimate = ParallelismEstimate()
        for clients in 1...(slots + 3) {
            let decoding = min(clients, slots)
            let decode = Double(tokens) / (rate * speedup[decoding - 1] / Double(decoding))
            // Past the slots, a request waits for (clients - slots) / slots answers ahead of it.
            let seconds = decode * Double(clients) / Double(decoding)
            for _ in 0..<5 { estimate.record(outputTokens: tokens, seconds: seconds, meanInFlight: Double(clients)) }
        }
        #expect(estimate.knee == slots)
    }
}
