import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OllamaAPI
import PerfReport
import Synchronization

/// Samples a target's own `GET /metrics` at a fixed interval while a load run lasts, into a
/// resource timeline keyed as `bench` keys its own (``ProcessReading/timelineValues(since:seconds:)``).
///
/// Only a target that serves process metrics (the OllamaMax gateway does; Ollama, OpenAI servers
/// and the node simulator do not) can be sampled: ``read()`` tells. A scrape that fails during
/// the run leaves a gap in the timeline, never an invented point.
public struct TargetSampler: Sendable {
    /// The scraped URL: the target's base URL + `/metrics`.
    public let metricsURL: String
    /// Time between two readings.
    public let interval: Duration
    /// Whether the target is on this machine (a loopback host), so its CPU and memory can be
    /// judged against this machine's cores and RAM.
    public let onThisMachine: Bool
    let client: HTTPClient
    /// The key each scrape sends (a `metrics` or `admin` key), if any.
    let credential: GatewayCredential?

    /// A sampler of the server at base URL `url` (as given to `load`), every `interval`.
    /// - Parameters:
    ///   - credential: the key to send with each scrape, for a gateway with API keys.
    /// - Throws: ``LoadError`` when `url` is not a valid base URL.
    public init(url: String, interval: Duration, client: HTTPClient = .shared, credential: GatewayCredential? = nil) throws(LoadError) {
        let address = try LoadAddress(url: url)
        metricsURL = LoadTarget.normalized(url) + "/metrics"
        self.interval = interval
        onThisMachine = address.isLoopback
        self.client = client
        self.credential = credential
    }

    /// One scrape: the target's process figures, or `nil` when it does not answer 200 with
    /// process metrics within the interval (at least a second).
    public func read() async -> ProcessReading? {
        do {
            let timeout = Swift.max(interval, .seconds(1))
            var request = HTTPClientRequest(url: metricsURL)
            if let credential { request.headers.add(name: "Authorization", value: credential.authorization) }
            let response = try await client.execute(request, timeout: timeout.timeAmount)
            let body = try await response.body.collect(upTo: 16 << 20)
            guard response.status.code == 200 else { return nil }
            return ProcessReading(metricsText: String(decoding: body.readableBytesView, as: UTF8.self))
        } catch {
            return nil
        }
    }

    /// Runs `work` while reading the target every ``interval``, from a first reading before it
    /// to a last one after it; sampling stops when `work` returns.
    /// - Returns: `work`'s result and the timeline, `t` in seconds since the first reading was asked for.
    public func sampling<T: Sendable>(_ work: () async -> T) async -> (result: T, timeline: [TimelinePoint]) {
        let series = Series()
        await series.take(self)
        let loop = Task { [self] in
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                await series.take(self)
            }
        }
        let result = await work()
        loop.cancel()
        await loop.value
        await series.take(self)
        return (result, series.points)
    }

    /// Readings turned into points, each rate taken over the gap since the previous reading.
    final class Series: Sendable {
        private let start = ContinuousClock.now
        private let state = Mutex(State())
        private struct State {
            var points: [TimelinePoint] = []
            var last: (reading: ProcessReading, at: Duration)?
        }

        /// The points so far.
        var points: [TimelinePoint] { state.withLock { $0.points } }

        /// Reads the target once; a failed scrape adds nothing.
        func take(_ sampler: TargetSampler) async {
            guard let reading = await sampler.read() else { return }
            add(reading, at: ContinuousClock.now - start)
        }

        /// Adds `reading`, taken `at` after the start, as a point.
        func add(_ reading: ProcessReading, at: Duration) {
            state.withLock { state in
                let seconds = state.last.map { (at - $0.at).inSeconds } ?? 0
                state.points.append(
                    TimelinePoint(t: at.inSeconds, values: reading.timelineValues(since: state.last?.reading, seconds: seconds))
                )
                state.last = (reading, at)
            }
        }
    }
}
