import Foundation
import OllamaAPI
import PerfReport
import Synchronization
import Telemetry

/// Samples this process's CPU, memory and network bytes at a fixed interval into the report's timeline.
///
/// `cpu` is the fraction of one core used since the previous reading (user + system, so 2.0 is
/// two cores flat out); `rss_bytes`, `threads` and `open_fds` are read at that moment;
/// `net_rx_bytes_per_second` and `net_tx_bytes_per_second` are the bytes the process read and
/// wrote per second since the previous reading (``IOCounters``). The whole `bench` process is
/// measured: gateway, simulated nodes and load generator together.
final class ResourceSampler: Sendable {
    private let interval: Duration
    private let startedAt = ContinuousClock.now
    private let state = Mutex(State())
    private struct State {
        var points: [TimelinePoint] = []
        var last: (at: ContinuousClock.Instant, cpu: Double, io: IOCounters?)?
        var task: Task<Void, Never>?
    }

    init(interval: Duration) {
        self.interval = interval
    }

    /// Takes a first reading and starts sampling in the background.
    func start() {
        sample()
        let task = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                sample()
            }
        }
        state.withLock { $0.task = task }
    }

    /// Stops sampling after a last reading; returns every reading.
    func stop() -> [TimelinePoint] {
        state.withLock { $0.task?.cancel() }
        sample()
        return state.withLock { $0.points }
    }

    /// The readings so far.
    var points: [TimelinePoint] { state.withLock { $0.points } }

    /// CPU seconds this process has used so far (user + system), or `nil` if /proc is unreadable.
    static func cpuSeconds() -> Double? {
        (try? ProcessStats.read())?.cpuSeconds
    }

    private func sample() {
        guard let stats = try? ProcessStats.read() else { return }
        let io = IOCounters.readSelf()
        let now = ContinuousClock.now
        state.withLock { state in
            var values: [String: Double] = [
                "rss_bytes": Double(stats.residentBytes), "threads": Double(stats.threads),
                "open_fds": Double(stats.openFDs),
            ]
            if let last = state.last {
                let wall = (now - last.at).inSeconds
                if wall > 0 {
                    values["cpu"] = max(0, stats.cpuSeconds - last.cpu) / wall
                    if let io, let before = last.io {
                        values.merge(io.rates(since: before, seconds: wall)) { $1 }
                    }
                }
            }
            state.last = (now, stats.cpuSeconds, io)
            state.points.append(TimelinePoint(t: (now - startedAt).inSeconds, values: values))
        }
    }
}
