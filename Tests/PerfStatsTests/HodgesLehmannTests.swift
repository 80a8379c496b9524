import PerfStats
import Testing

struct HodgesLehmannTests {
    /// The median of all pairwise differences, by sorting: the definition.
    static func bruteForce(_ x: [Double], _ y: [Double]) -> Double {
        let differences = y.flatMap { b in x.map { b - $0 } }.sorted()
        let count = differences.count
        return count % 2 == 1 ? differences[count / 2] : (differences[count / 2 - 1] + differences[count / 2]) / 2
    }

    @Test func knownShift() throws {
        #expect(try Stats.hodgesLehmannShift([1, 2, 3], [11, 12, 13]) == 10)
        #expect(try Stats.hodgesLehmannShift([1, 2], [2, 4]) == 1.5)
        #expect(try Stats.hodgesLehmannShift([5], [5]) == 0)
    }

    @Test(arguments: 0..<40)
    func selectionAgreesWithSorting(seed: Int) throws {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // Coarse values make ties common, the hard case for partitioning.
            return Double((state >> 33) % 50)
        }
        let x = (0..<(1 + seed % 13)).map { _ in next() }
        let y = (0..<(1 + (seed * 7) % 11)).map { _ in next() + 3 }
        #expect(try Stats.hodgesLehmannShift(x, y) == Self.bruteForce(x, y))
    }

    @Test func outliersBarelyMoveIt() throws {
        let base: [Double] = [100, 101, 99, 100, 102, 98, 100, 101, 99, 100]
        var current = base.map { $0 + 10 }
        current[0] = 10_000
        #expect(try Stats.hodgesLehmannShift(base, current) == 10)
    }

    @Test func emptyOrNonFiniteSamplesAreRejected() {
        #expect(throws: StatsError.self) { try Stats.hodgesLehmannShift([], [1]) }
        #expect(throws: StatsError.self) { try Stats.hodgesLehmannShift([1], [.nan]) }
    }
}
