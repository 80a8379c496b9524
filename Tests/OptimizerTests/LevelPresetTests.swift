import Optimizer
import Testing

@Suite struct LevelPresetTests {
    @Test func offHasNoParametersAndTheOtherLevelsHaveDistinctOnes() {
        #expect(OptimizationLevel.off.parameters == nil)
        let presets = [OptimizationLevel.conservative, .balanced, .aggressive].compactMap(\.parameters)
        #expect(presets.count == 3)
        #expect(Set(presets).count == 3)
    }
}
