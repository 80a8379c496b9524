import Dispatch
import PerfReport
import Synchronization

extension Comparer {
    /// Reads the baseline and the current report at once, one per core: for large reports,
    /// parsing is most of a comparison's time.
    /// - Throws: the ``ReportError`` of the first report that cannot be read (the baseline's
    ///   when both fail).
    public static func load(
        baseline: String,
        current: String,
        format: InputFormat = .auto
    ) throws(ReportError) -> (baseline: PerformanceReport, current: PerformanceReport) {
        let paths = [baseline, current]
        let results = Mutex<[Result<PerformanceReport, ReportError>?]>([nil, nil])
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let result = Result { () throws(ReportError) -> PerformanceReport in
                try PerformanceReport.load(path: paths[index], format: format)
            }
            results.withLock { $0[index] = result }
        }
        // concurrentPerform returns after both iterations, so both slots are filled.
        let (first, second) = results.withLock { ($0[0], $0[1]) }
        let base = try (first ?? Result { () throws(ReportError) in try PerformanceReport.load(path: baseline, format: format) }).get()
        let now = try (second ?? Result { () throws(ReportError) in try PerformanceReport.load(path: current, format: format) }).get()
        return (base, now)
    }
}
