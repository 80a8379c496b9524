import Foundation
import OllamaAPI

/// The slow knobs the interval service sets (`--optimization-interval`, docs/optimizer.md
/// "Watching it"): the gateway queue and each node's idle upstream connections.
public struct IntervalKnobs: Sendable, Hashable, Codable {
    /// The most requests the gateway queue holds.
    public var queueSize: Int
    /// How long a request may wait in the queue, in seconds.
    public var queueTimeoutSeconds: Double
    /// Each node's idle connections, by node id.
    public var nodes: [String: NodeKnobs]

    public init(queueSize: Int, queueTimeoutSeconds: Double, nodes: [String: NodeKnobs] = [:]) {
        self.queueSize = queueSize
        self.queueTimeoutSeconds = queueTimeoutSeconds
        self.nodes = nodes
    }
}

/// One node's idle upstream connections.
public struct NodeKnobs: Sendable, Hashable, Codable {
    /// The most idle connections kept to the node on one event loop (its pool size).
    public var poolSize: Int
    /// How long an idle connection stays open, in seconds; nil: until the node closes it.
    public var keepAliveSeconds: Double?

    public init(poolSize: Int, keepAliveSeconds: Double? = nil) {
        self.poolSize = poolSize
        self.keepAliveSeconds = keepAliveSeconds
    }
}

/// What the interval service measured over one interval: the input of ``IntervalRules``.
public struct IntervalMeasurements: Sendable, Hashable {
    /// One node: the concurrency its adaptive limits allow, and its traffic.
    public struct Node: Sendable, Hashable {
        public var id: String
        /// The sum of the node's adaptive limits over its models, at most its static limit; 0
        /// when no model has a limit yet.
        public var limit: Int
        /// Requests the node served during the interval.
        public var requests: Int

        public init(id: String, limit: Int, requests: Int) {
            self.id = id
            self.limit = limit
            self.requests = requests
        }
    }

    public var nodes: [Node]
    /// The slowest (node, model) pair's mean answer time, admission to release; nil before any.
    public var answerSeconds: Double?
    /// The process's resident set size now, and the least seen during the interval.
    public var residentBytes: Int?
    public var minimumResidentBytes: Int?

    public init(nodes: [Node], answerSeconds: Double?, residentBytes: Int? = nil, minimumResidentBytes: Int? = nil) {
        self.nodes = nodes
        self.answerSeconds = answerSeconds
        self.residentBytes = residentBytes
        self.minimumResidentBytes = minimumResidentBytes
    }
}

/// Which slow knob a change moved (its raw value is the decision kind in the log).
public enum IntervalKnob: String, Sendable, Hashable, Codable, CaseIterable {
    case queueSize = "queue_size"
    case queueTimeout = "queue_timeout"
    case poolSize = "pool_size"
    case keepAlive = "keep_alive"
    case mallocTrim = "malloc_trim"
}

/// One change of one knob, with the measurement behind it.
public struct IntervalChange: Sendable, Hashable, Codable {
    public var knob: IntervalKnob
    /// The node whose connections changed; nil for the queue and the allocator.
    public var node: String?
    /// The value before and after (seconds for durations); nil: none (`malloc_trim`, or keep-alive unbounded).
    public var from: Double?
    public var to: Double?
    /// One sentence with the numbers.
    public var reason: String

    public init(knob: IntervalKnob, node: String? = nil, from: Double?, to: Double?, reason: String) {
        self.knob = knob
        self.node = node
        self.from = from
        self.to = to
        self.reason = reason
    }
}

/// The slow knobs' rules: given the knobs and one interval's measurements, the next knobs and
/// every change with its reason. Pure; ``IntervalService`` measures and applies.
///
/// - The queue timeout is `queueAnswers` times the slowest pair's mean answer time, within
///   [`minimumQueueTimeout`, the operator's `queue_timeout`]; it moves only by 10% or more. A
///   burst of up to `queueAnswers` requests per slot drains within it.
/// - The queue holds what the nodes finish within that timeout at their adaptive limits
///   (slots × timeout / answer time, at least one per slot), never more than the operator's
///   `queue_size`: a request further back would time out in the queue anyway. Sustained
///   overload is cut per model, at once, by the pool (``PoolState/modelQueueIsFull(_:timeout:)``).
/// - A node's pool size (idle connections per event loop) is its summed adaptive limit, within
///   [`minimumPoolSize`, `maximumPoolSize`]: more idle sockets than requests in flight are waste.
/// - A node that served requests keeps idle connections `activeKeepAlive`; one that served none
///   for a whole interval keeps them only `idleKeepAlive`.
/// - `malloc_trim(0)` when the resident set is more than `trimRatio` times the interval's minimum.
public struct IntervalRules: Sendable, Hashable {
    /// The operator's queue size and timeout: the knobs' ceilings.
    public var queueCeiling: Int
    public var queueTimeoutCeiling: Duration
    /// Answer times a request may wait in the queue.
    public var queueAnswers: Double = 10
    public var minimumQueueTimeout: Duration = .seconds(1)
    public var minimumPoolSize = 2
    public var maximumPoolSize = 256
    public var activeKeepAlive: Duration
    public var idleKeepAlive: Duration = .seconds(30)
    public var trimRatio = 1.5

    /// - Parameters:
    ///   - queueCeiling: the configured `queue_size`.
    ///   - queueTimeoutCeiling: the configured `queue_timeout`.
    ///   - interval: the service's period; an active node's idle connections live two of them.
    public init(queueCeiling: Int, queueTimeoutCeiling: Duration, interval: Duration) {
        self.queueCeiling = queueCeiling
        self.queueTimeoutCeiling = queueTimeoutCeiling
        activeKeepAlive = interval * 2
    }

    /// The knobs before the first interval: the operator's queue, today's connections.
    public func initial(nodes: [String]) -> IntervalKnobs {
        IntervalKnobs(
            queueSize: queueCeiling,
            queueTimeoutSeconds: queueTimeoutCeiling.inSeconds,
            nodes: Dictionary(uniqueKeysWithValues: nodes.map { ($0, NodeKnobs(poolSize: maximumPoolSize)) })
        )
    }

    /// The knobs after `measured`, and every change with its reason (a `malloc_trim` change: trim the heap now).
    public func next(_ knobs: IntervalKnobs, _ measured: IntervalMeasurements) -> (knobs: IntervalKnobs, changes: [IntervalChange]) {
        var next = knobs
        var changes: [IntervalChange] = []
        if let answer = measured.answerSeconds, answer > 0 {
            let target = (min(max(answer * queueAnswers, minimumQueueTimeout.inSeconds), queueTimeoutCeiling.inSeconds) * 10).rounded() / 10
            if abs(target - knobs.queueTimeoutSeconds) >= 0.1 * knobs.queueTimeoutSeconds {
                next.queueTimeoutSeconds = target
                changes.append(
                    IntervalChange(
                        knob: .queueTimeout,
                        from: knobs.queueTimeoutSeconds,
                        to: target,
                        reason: "queue timeout \(Self.number(knobs.queueTimeoutSeconds))s -> \(Self.number(target))s: "
                            + "the slowest mean answer takes \(Self.number(answer * 1000))ms, x\(Self.number(queueAnswers)), "
                            + "within [\(Self.number(minimumQueueTimeout.inSeconds))s, the configured \(Self.number(queueTimeoutCeiling.inSeconds))s]"
                    )
                )
            }
        }
        let slots = measured.nodes.reduce(0) { $0 + $1.limit }
        if slots > 0, let answer = measured.answerSeconds, answer > 0 {
            let perSlot = max(1, Int((next.queueTimeoutSeconds / answer).rounded(.down)))
            let target = min(queueCeiling, slots * perSlot)
            if target != knobs.queueSize {
                next.queueSize = target
                changes.append(
                    IntervalChange(
                        knob: .queueSize,
                        from: Double(knobs.queueSize),
                        to: Double(target),
                        reason: "queue size \(knobs.queueSize) -> \(target): the adaptive limits sum to \(slots) slots, "
                            + "each finishes \(perSlot) answers in the \(Self.number(next.queueTimeoutSeconds))s queue timeout, "
                            + "at most the configured \(queueCeiling)"
                    )
                )
            }
        }
        for node in measured.nodes {
            let current = knobs.nodes[node.id] ?? NodeKnobs(poolSize: maximumPoolSize)
            var updated = current
            if node.limit > 0 {
                updated.poolSize = min(max(node.limit, minimumPoolSize), maximumPoolSize)
                if updated.poolSize != current.poolSize {
                    changes.append(
                        IntervalChange(
                            knob: .poolSize,
                            node: node.id,
                            from: Double(current.poolSize),
                            to: Double(updated.poolSize),
                            reason: "\(node.id): pool size \(current.poolSize) -> \(updated.poolSize) idle connections per event loop: "
                                + "its adaptive limits sum to \(node.limit), within [\(minimumPoolSize), \(maximumPoolSize)]"
                        )
                    )
                }
            }
            let keepAlive = (node.requests > 0 ? activeKeepAlive : idleKeepAlive).inSeconds
            updated.keepAliveSeconds = keepAlive
            if current.keepAliveSeconds != keepAlive {
                let before = current.keepAliveSeconds.map { "\(Self.number($0))s" } ?? "unbounded"
                changes.append(
                    IntervalChange(
                        knob: .keepAlive,
                        node: node.id,
                        from: current.keepAliveSeconds,
                        to: keepAlive,
                        reason: "\(node.id): idle connections kept \(before) -> \(Self.number(keepAlive))s: "
                            + (node.requests > 0
                                ? "it served \(node.requests) requests this interval"
                                : "it served no request this interval")
                    )
                )
            }
            next.nodes[node.id] = updated
        }
        if let resident = measured.residentBytes, let least = measured.minimumResidentBytes, least > 0,
            Double(resident) > trimRatio * Double(least)
        {
            changes.append(
                IntervalChange(
                    knob: .mallocTrim,
                    from: Double(resident),
                    to: nil,
                    reason: "malloc_trim(0): the resident set \(Self.mebibytes(resident)) is "
                        + "\(Self.number(Double(resident) / Double(least)))x this interval's minimum \(Self.mebibytes(least)) (over \(Self.number(trimRatio))x)"
                )
            )
        }
        return (next, changes)
    }

    /// `value` with at most one decimal, without a trailing `.0`.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    static func mebibytes(_ bytes: Int) -> String {
        "\(number(Double(bytes) / 1_048_576)) MiB"
    }
}
