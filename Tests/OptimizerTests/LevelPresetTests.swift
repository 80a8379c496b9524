import Optimizer
import Testing

@Suite struct LevelPresetTests {
    @Test func offHasNoParametersAndTheOtherLevelsHaveDistinctOnes() {
        #expect(OptimizationLevel.off.parameters == nil)
        let presets = [OptimizationLevel.conservative, .balanced, .aggressive].compactMap(\.parameters)
        #expect(presets.count == 3)
        #expect(Set(presets).count == 3)
    }

    /// The levels order every knob the same way: conservative moves slowest and sheds earliest.
    @Test func theLevelsAreOrderedFromCautiousToBold() throws {
        let c = LimiterParameters.conservative
        let b = LimiterParameters.balanced
        let a = LimiterParameters.aggressive
        #expect(c.smoothing < b.smoothing && b.smoothing < a.smoothing)
        #expect(c.queueSize <= b.queueSize && b.queueSize < a.queueSize)
        #expect(c.rttTolerance < b.rttTolerance && b.rttTolerance < a.rttTolerance)
        #expect(c.tpotTolerance < b.tpotTolerance && b.tpotTolerance < a.tpotTolerance)
        #expect(c.backoffRatio < b.backoffRatio && b.backoffRatio < a.backoffRatio)
        #expect(c.longWindow > b.longWindow && b.longWindow > a.longWindow)
        #expect(c.maxWindow > b.maxWindow && b.maxWindow > a.maxWindow)
        #expect(c.queueWaitShare < b.queueWaitShare && b.queueWaitShare == a.queueWaitShare)
        #expect(try #require(OptimizationLevel.balanced.parameters) == b)
    }

    @Test func everyPresetIsWithinItsDocumentedRanges() {
        for p in [LimiterParameters.conservative, .balanced, .aggressive] {
            #expect(p.minLimit >= 1 && p.initialLimit >= p.minLimit)
            #expect(p.smoothing > 0 && p.smoothing <= 1)
            #expect(p.backoffRatio >= 0.5 && p.backoffRatio < 1)
            #expect(p.rttTolerance >= 1 && p.tpotTolerance >= p.rttTolerance)
            #expect(p.percentile > 0 && p.percentile <= 1)
            #expect(p.minWindow <= p.maxWindow)
            #expect(p.queueWaitShare > 0 && p.queueWaitShare <= 1)
        }
    }
}
