import Foundation
import PerfStats

/// Live numbers of a run, handed to its progress callback every second.
public struct LoadProgress: Sendable, Hashable {
    /// Seconds since the measured run began.
    public var elapsed: Double
    /// Requests finished so far, failures included.
    public var completed: Int
    /// Requests that failed so far.
    public var failed: Int
    /// Times to first token of the latest requests (at most 1,000 per server), in seconds.
    public var recentTTFT: [Double]

    /// Progress numbers, as the runner gathers them.
    public init(elapsed: Double, completed: Int, failed: Int, recentTTFT: [Double]) {
        self.elapsed = elapsed
        self.completed = completed
        self.failed = failed
        self.recentTTFT = recentTTFT
    }

    /// The progress line: `   5.0s       42 done       8.4 req/s  p95 TTFT 120ms  0 errors`.
    ///
    /// The p95 is PerfStats' percentile of ``recentTTFT`` (`-` before any first token).
    public func line() -> String {
        let p95 = recentTTFT.isEmpty ? "-" : String(format: "%.0fms", Stats.percentile(recentTTFT.sorted(), 95) * 1000)
        let rate = elapsed > 0 ? Double(completed) / elapsed : 0
        return String(format: "%6.1fs  %7d done  %8.1f req/s  p95 TTFT %@  %d errors", elapsed, completed, rate, p95, failed)
    }

    /// What to write to standard error for this update: on a terminal the line redrawn in place;
    /// elsewhere (a CI log) one line every 5 seconds of the run, and nothing in between.
    public func rendered(onTerminal: Bool) -> String? {
        if onTerminal { return "\r\u{1B}[K" + line() }
        return Int(elapsed.rounded()) % 5 == 0 ? line() + "\n" : nil
    }
}
