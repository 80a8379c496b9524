import AsyncHTTPClient
import Foundation
import Synchronization

/// Runs a fault soak (docs/load-testing.md, "Fault soak"): starts the children, streams through
/// the gateway, kills a node every interval, samples the gateway's RSS, and judges the goals.
/// Bounded: clients start requests for `duration`, in-flight requests get at most twice the client
/// timeout (plus 10 s) to finish, then are cancelled; every child is stopped before it returns.
public enum SoakRunner {
    /// Runs the soak. `progress` gets one line per sample (and a line per node kill); `interrupted`
    /// is polled and ends the soak early (Ctrl-C).
    public static func run(
        _ configuration: SoakConfiguration,
        progress: @escaping @Sendable (String) -> Void,
        interrupted: @escaping @Sendable () -> Bool
    ) async throws(SoakError) -> SoakSummary {
        let problems = configuration.problems()
        guard problems.isEmpty else { throw .settings(problems) }
        do {
            try FileManager.default.createDirectory(at: configuration.workDirectory, withIntermediateDirectories: true)
        } catch {
            throw .childFailed("soak", "cannot create its work directory \(configuration.workDirectory.path): \(error)")
        }
        let cluster = try await SoakCluster.start(configuration)
        progress(
            "soak: gateway \(cluster.gatewayURL) (pid \(cluster.gateway.pid)) over \(configuration.nodes) simulated nodes; logs in "
                + configuration.workDirectory.path
        )
        let client = SoakClient.httpClient(configuration)
        let summary = await drive(configuration, cluster: cluster, client: client, progress: progress, interrupted: interrupted)
        try? await client.shutdown()
        await cluster.stop()
        return summary
    }

    private static func drive(
        _ configuration: SoakConfiguration,
        cluster: SoakCluster,
        client: HTTPClient,
        progress: @escaping @Sendable (String) -> Void,
        interrupted: @escaping @Sendable () -> Bool
    ) async -> SoakSummary {
        let tally = SoakTally()
        let state = SoakState()
        let streams = SoakClient(client: client, gatewayURL: cluster.gatewayURL, configuration: configuration, tally: tally)
        var samples: [SoakSummary.RSSSample] = []
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<configuration.streams {
                group.addTask { await streams.loop { state.stopping.load(ordering: .relaxed) } }
            }
            group.addTask {
                var next = start + configuration.killInterval
                while !state.stopping.load(ordering: .relaxed) {
                    guard ContinuousClock.now >= next else {
                        try? await Task.sleep(for: .milliseconds(100))
                        continue
                    }
                    let index = state.kills.load(ordering: .relaxed) % configuration.nodes
                    do throws(SoakError) {
                        try await cluster.killAndRestart(node: index)
                        let count = state.kills.add(1, ordering: .relaxed).newValue
                        progress("soak: \(seconds(since: start)) node \(index) killed (SIGKILL) and restarted on its port (kill \(count))")
                    } catch {
                        state.failure.withLock { $0 = error.description }
                        state.stopping.store(true, ordering: .relaxed)
                    }
                    next += configuration.killInterval
                }
            }
            var tick = 1
            while !state.stopping.load(ordering: .relaxed) && !interrupted() {
                let target = min(start + configuration.sampleInterval * tick, start + configuration.duration)
                if ContinuousClock.now < target {
                    try? await Task.sleep(for: min(.milliseconds(100), target - ContinuousClock.now))
                    continue
                }
                let elapsed = (ContinuousClock.now - start).inSeconds
                let rss = cluster.gateway.residentBytes()
                if let rss { samples.append(.init(seconds: elapsed, bytes: rss)) }
                progress(line(elapsed: elapsed, rss: rss, counts: tally.snapshot, kills: state.kills.load(ordering: .relaxed)))
                if target >= start + configuration.duration { break }
                tick += 1
            }
            state.stopping.store(true, ordering: .relaxed)
            // In-flight requests end by themselves within the client timeout; cancel any that do not.
            let drain = ContinuousClock.now + configuration.clientTimeout * 2 + .seconds(10)
            while ContinuousClock.now < drain && !interrupted() {
                let counts = tally.snapshot
                if counts.finished >= counts.started { break }
                try? await Task.sleep(for: .milliseconds(100))
            }
            group.cancelAll()
        }
        if let failure = state.failure.withLock({ $0 }) { progress(failure) }
        let wasInterrupted = interrupted() || state.failure.withLock { $0 } != nil
        return SoakSummary(
            duration: configuration.duration,
            streams: configuration.streams,
            killInterval: configuration.killInterval,
            clientTimeout: configuration.clientTimeout,
            counts: tally.snapshot,
            samples: samples,
            nodeKills: state.kills.load(ordering: .relaxed),
            interrupted: wasInterrupted
        )
    }

    /// What the soak's tasks share: the stop flag, the kills so far, and a failed restart.
    private final class SoakState: Sendable {
        let stopping = Atomic<Bool>(false)
        let kills = Atomic<Int>(0)
        let failure = Mutex<String?>(nil)
    }

    private static func seconds(since start: ContinuousClock.Instant) -> String {
        String(format: "%5.0fs", (ContinuousClock.now - start).inSeconds)
    }

    /// One progress line: elapsed time, the gateway's RSS, and the counts so far.
    static func line(elapsed: Double, rss: Int?, counts: SoakCounts, kills: Int) -> String {
        let memory = rss.map { String(format: "%.1f MiB", Double($0) / 1_048_576) } ?? "unreadable"
        return String(format: "soak: %5.0fs", elapsed) + "  gateway RSS \(memory)  completed \(counts[.completed])"
            + "  clean errors \(counts[.cleanError])  hangs \(counts[.hang])  resets \(counts[.reset])"
            + "  malformed lines \(counts.malformedLines)  in flight \(counts.started - counts.finished)  node kills \(kills)"
    }
}
