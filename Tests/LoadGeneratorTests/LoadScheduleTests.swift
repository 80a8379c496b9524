import Testing

@testable import LoadGenerator

@Suite struct LoadScheduleTests {
    @Test func constantArrivalsAreExactMultiplesOfTheInterval() throws {
        let schedule = try OpenLoopSchedule(rate: 4)
        #expect(schedule.sendOffsets(duration: nil, requests: 4) == [0, 0.25, 0.5, 0.75])
    }

    @Test func durationBoundExcludesTheEndTime() throws {
        let schedule = try OpenLoopSchedule(rate: 2)
        #expect(schedule.sendOffsets(duration: .seconds(2), requests: nil) == [0, 0.5, 1.0, 1.5])
    }

    @Test func theTighterOfTwoBoundsWins() throws {
        let schedule = try OpenLoopSchedule(rate: 10)
        #expect(schedule.sendOffsets(duration: .seconds(1), requests: 3).count == 3)
        #expect(schedule.sendOffsets(duration: .seconds(1), requests: 100).count == 10)
    }

    @Test func noBoundGivesNoOffsets() throws {
        #expect(try OpenLoopSchedule(rate: 10).sendOffsets(duration: nil, requests: nil) == [])
    }

    @Test func nonPositiveRateIsRejected() {
        #expect(throws: LoadError.self) { try OpenLoopSchedule(rate: 0) }
        do {
            _ = try OpenLoopSchedule(rate: -1)
        } catch {
            #expect(error.description == "rate is -1.0 requests/s (need a finite number > 0)")
        }
    }

    @Test func poissonMeanGapMatchesTheRate() throws {
        let schedule = try OpenLoopSchedule(rate: 5, arrivals: .poisson, seed: 42)
        let offsets = schedule.sendOffsets(duration: nil, requests: 10_000)
        #expect(offsets.count == 10_000)
        #expect(offsets.first == 0)
        #expect(zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 })
        let meanGap = offsets[offsets.count - 1] / Double(offsets.count - 1)
        #expect(abs(meanGap - 0.2) / 0.2 < 0.03)
    }

    @Test func poissonIsRepeatableForASeedAndDiffersAcrossSeeds() throws {
        let a = try OpenLoopSchedule(rate: 3, arrivals: .poisson, seed: 7).sendOffsets(duration: .seconds(10), requests: nil)
        let b = try OpenLoopSchedule(rate: 3, arrivals: .poisson, seed: 7).sendOffsets(duration: .seconds(10), requests: nil)
        let c = try OpenLoopSchedule(rate: 3, arrivals: .poisson, seed: 8).sendOffsets(duration: .seconds(10), requests: nil)
        #expect(a == b)
        #expect(a != c)
        #expect(a.allSatisfy { $0 < 10 })
    }

    @Test func flatRampEqualsAConstantSchedule() throws {
        #expect(try RampSchedule(from: 2, to: 2, duration: .seconds(2)).sendOffsets() == [0, 0.5, 1.0, 1.5])
    }

    @Test func rampFromZeroSendsAtSquareRootsWhenCountIsTSquared() throws {
        // from 0 to 4 over 2 s: N(t) = t², so the k-th send is at √k.
        let offsets = try RampSchedule(from: 0, to: 4, duration: .seconds(2)).sendOffsets()
        let expected = [0, 1, 2.0.squareRoot(), 3.0.squareRoot()]
        #expect(offsets.count == expected.count)
        #expect(zip(offsets, expected).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func rampCountIsTheAreaUnderTheRate() throws {
        for (from, to, duration) in [(1.0, 3.0, 10.0), (0.5, 7.25, 13.0), (9.0, 1.0, 6.5), (4.0, 0.0, 2.0)] {
            let offsets = try RampSchedule(from: from, to: to, duration: .seconds(duration)).sendOffsets()
            let expected = (from + to) / 2 * duration
            #expect(abs(Double(offsets.count) - expected) <= 1, "\(from)→\(to) over \(duration)")
            #expect(zip(offsets, offsets.dropFirst()).allSatisfy { $0 < $1 })
            #expect(offsets.allSatisfy { $0 < duration })
        }
    }

    @Test func rampRisingRateShortensTheGaps() throws {
        let offsets = try RampSchedule(from: 1, to: 10, duration: .seconds(20)).sendOffsets()
        let gaps = zip(offsets, offsets.dropFirst()).map { $1 - $0 }
        #expect(zip(gaps, gaps.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test func poissonRampIsRepeatableAndNearTheExpectedCount() throws {
        let ramp = try RampSchedule(from: 0, to: 100, duration: .seconds(20), arrivals: .poisson, seed: 3)
        let offsets = ramp.sendOffsets()
        #expect(offsets == ramp.sendOffsets())
        #expect(abs(Double(offsets.count) - 1000) < 100)
    }

    @Test func invalidRampsAreRejected() {
        #expect(throws: LoadError.self) { try RampSchedule(from: 0, to: 0, duration: .seconds(5)) }
        #expect(throws: LoadError.self) { try RampSchedule(from: -1, to: 2, duration: .seconds(5)) }
        #expect(throws: LoadError.self) { try RampSchedule(from: 1, to: 2, duration: .seconds(0)) }
    }
}
