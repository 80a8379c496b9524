import Foundation
import Logging
import OllamaAPI
import ServiceLifecycle
import Telemetry

/// The slow half of the optimizer: every `--optimization-interval` it measures (the adaptive
/// limits, the answer times, each node's traffic, the resident set) and sets the slow knobs by
/// ``IntervalRules``: the gateway queue's size and timeout, each node's idle connections and
/// their keep-alive, and a `malloc_trim(0)` after a spike. Every change is logged at info with its
/// reason and kept in ``IntervalLog`` for `GET /ollamamax/optimizer`. Not run at level `off`.
struct IntervalService: Service {
    let pool: NodePool
    let upstreams: UpstreamPools
    let queue: QueueKnobs
    let log: IntervalLog
    let rules: IntervalRules
    let interval: Duration
    let logger: Logger

    /// Between rounds the service samples the resident set (for the interval's minimum) and
    /// closes expired idle connections this often.
    var sampleEvery: Duration { min(interval, .seconds(10)) }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var before = Self.requests(pool)
            var least = Self.residentBytes()
            var elapsed = Duration.zero
            while !Task.isCancelled {
                try await Task.sleep(for: sampleEvery)
                elapsed += sampleEvery
                if let now = Self.residentBytes() { least = min(least ?? now, now) }
                await upstreams.prune()
                guard elapsed >= interval else { continue }
                let requests = Self.requests(pool)
                await round(requests: requests, before: before, minimumResidentBytes: least)
                (before, least, elapsed) = (requests, Self.residentBytes(), .zero)
            }
        }
    }

    /// One round: measure, decide, apply, record.
    func round(requests: [String: Int], before: [String: Int], minimumResidentBytes: Int?) async {
        let measured = IntervalMeasurements(
            pairs: pool.optimizerSnapshot().pairs,
            nodes: pool.endpoints.map(\.id),
            requests: requests,
            before: before,
            residentBytes: Self.residentBytes(),
            minimumResidentBytes: minimumResidentBytes
        )
        let current = log.current.knobs
        let next: IntervalKnobs
        var changes: [IntervalChange]
        (next, changes) = rules.next(current, measured)
        queue.set(size: next.queueSize, timeout: .milliseconds(Int64((next.queueTimeoutSeconds * 1000).rounded())))
        upstreams.knobs.set(next.nodes)
        await upstreams.prune()
        for index in changes.indices where changes[index].knob == .mallocTrim {
            let trimmed = Self.trim()
            if let after = Self.residentBytes() {
                changes[index].to = Double(after)
                changes[index].reason += "; \(trimmed ? "memory returned" : "nothing to return"), now \(IntervalRules.mebibytes(after))"
            }
        }
        guard !changes.isEmpty else { return }
        log.record(knobs: next, changes: changes, at: Date())
        for change in changes {
            logger.info(
                "optimizer: \(change.reason)",
                metadata: [
                    "decision": .string(change.knob.rawValue), "node": .string(change.node ?? "-"),
                    "from": .string(change.from.map { IntervalRules.number($0) } ?? "-"),
                    "to": .string(change.to.map { IntervalRules.number($0) } ?? "-"),
                ]
            )
        }
    }

    /// Each node's requests served so far.
    static func requests(_ pool: NodePool) -> [String: Int] {
        Dictionary(pool.status().map { ($0.node.id, $0.requests) }, uniquingKeysWith: { first, _ in first })
    }

    /// The resident set now; nil where it cannot be read.
    static func residentBytes() -> Int? {
        try? ProcessStats.read().residentBytes
    }

    /// Returns free heap memory to the system (`malloc_trim(0)`); true when some was.
    static func trim() -> Bool {
        HeapStats.trim()
    }
}
