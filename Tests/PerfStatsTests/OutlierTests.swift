import PerfStats
import Testing

/// Outliers are flagged the way hyperfine flags them.
struct OutlierTests {
    @Test func farSampleIsFlagged() throws {
        // median 10, MAD 1: 30 is 20 MADs out, 24 is 14 (below 14.826).
        let samples: [Double] = [9, 10, 11, 10, 9, 11, 24, 30]
        #expect(try Stats.outlierIndices(samples) == [7])
        #expect(try Stats.outlierIndices(samples, threshold: 10) == [6, 7])
    }

    @Test func zeroMADFlagsEveryDifferentSample() throws {
        #expect(try Stats.outlierIndices([5, 5, 5, 5, 6]) == [4])
        #expect(try Stats.outlierIndices([5, 5, 5]) == [])
    }

    @Test func defaultThresholdIsHyperfines() {
        #expect(Stats.outlierThreshold == 14.826)
    }
}
