import Foundation
import Optimizer

/// What the optimizer knows and did, at one moment: the level, every (node, model) pair's
/// adaptive limit with the signals behind it, and the recent decisions. A value, for
/// `GET /ollamamax/optimizer`, the status column and `optimize`.
public struct OptimizerSnapshot: Sendable, Hashable, Codable {
    /// The limiter's preset; `off` has no pairs and no decisions.
    public var level: OptimizationLevel
    /// Every pair the gateway has sent a request to, by node (configured order) then model.
    public var pairs: [Pair]
    /// The recent decisions, oldest first (at most the ``DecisionLog``'s capacity).
    public var decisions: [Decision]
    /// Decisions since the gateway started, by kind (``DecisionKind`` raw value): the
    /// `ollamamax_optimizer_decisions_total` counter.
    public var decisionCounts: [String: Int]

    /// One (node, model) pair's limit and the signals it was learned from.
    public struct Pair: Sendable, Hashable, Codable {
        public var node: String
        public var model: String
        /// Requests the pair may have in flight now.
        public var limit: Int
        /// The static limit the adaptive one never exceeds (the node's `max_in_flight`).
        public var ceiling: Int
        /// Requests the pair has in flight now.
        public var inFlight: Int
        /// The last gradient (long-term over sampled latency, clamped), nil before the first window.
        public var gradient: Double?
        /// Time to first token of the last window, seconds.
        public var sampleLatencySeconds: Double?
        /// The long-term time to first token the sample is compared with, seconds.
        public var longLatencySeconds: Double?
        /// Drops since the gateway started (503/429, timeouts, resets).
        public var drops: Int
        /// Drops by kind (``DropKind`` raw value): the `ollamamax_optimizer_drops_total` counter.
        public var dropsByKind: [String: Int]
        /// The node's parallel slots for the model as learned: the most requests in flight seen
        /// to get a slot at once (``SlotEstimate/slots``) where the node reports its times, else
        /// where more requests in flight stop paying (``ParallelismEstimate/knee``); nil before a
        /// measured request. A lower bound while the limit has not gone past it.
        public var learnedParallelism: Int?
        /// The share of requests that waited for a slot on the node, by requests in flight at
        /// their admission (the JSON keys are the counts): what ``learnedParallelism`` is read
        /// from where the node reports its times.
        public var slotWaitShareByInFlight: [String: Double]?
        /// The pair's output tokens per second by requests in flight (the JSON keys are the
        /// counts), the curve ``learnedParallelism`` is read from.
        public var tokensPerSecondByInFlight: [String: Double]?
        /// What a cold load adds to a request's time to first token, seconds (``LoadCost/cost``):
        /// the model-aware rule's price of a cold node; nil until a cold and a warm request were seen.
        public var coldLoadSeconds: Double?
        /// The average time to first token of requests that found the model not loaded, seconds.
        public var coldTTFTSeconds: Double?
        /// The average time to first token of requests that found it loaded, seconds.
        public var warmTTFTSeconds: Double?
        /// How long a warm request holds a slot, seconds (EWMA from admission to release).
        public var requestSeconds: Double?

        public init(
            node: String,
            model: String,
            limit: Int,
            ceiling: Int,
            inFlight: Int,
            gradient: Double? = nil,
            sampleLatencySeconds: Double? = nil,
            longLatencySeconds: Double? = nil,
            drops: Int = 0,
            dropsByKind: [String: Int] = [:],
            learnedParallelism: Int? = nil,
            slotWaitShareByInFlight: [String: Double]? = nil,
            tokensPerSecondByInFlight: [String: Double]? = nil,
            coldLoadSeconds: Double? = nil,
            coldTTFTSeconds: Double? = nil,
            warmTTFTSeconds: Double? = nil,
            requestSeconds: Double? = nil
        ) {
            self.node = node
            self.model = model
            self.limit = limit
            self.ceiling = ceiling
            self.inFlight = inFlight
            self.gradient = gradient
            self.sampleLatencySeconds = sampleLatencySeconds
            self.longLatencySeconds = longLatencySeconds
            self.drops = drops
            self.dropsByKind = dropsByKind
            self.learnedParallelism = learnedParallelism
            self.slotWaitShareByInFlight = slotWaitShareByInFlight
            self.tokensPerSecondByInFlight = tokensPerSecondByInFlight
            self.coldLoadSeconds = coldLoadSeconds
            self.coldTTFTSeconds = coldTTFTSeconds
            self.warmTTFTSeconds = warmTTFTSeconds
            self.requestSeconds = requestSeconds
        }
    }

    /// One change of a pair's limit, and why.
    public struct Decision: Sendable, Hashable, Codable {
        /// When, ISO 8601 with milliseconds (UTC).
        public var time: String
        public var node: String
        public var model: String
        /// ``DecisionKind`` raw value: `increase`, `decrease`, `drop_cut`, ...
        public var kind: String
        public var from: Int
        public var to: Int
        /// One sentence with the numbers.
        public var reason: String
        public var gradient: Double?
        public var sampleLatencySeconds: Double?
        public var longLatencySeconds: Double?

        public init(
            time: String,
            node: String,
            model: String,
            kind: String,
            from: Int,
            to: Int,
            reason: String,
            gradient: Double? = nil,
            sampleLatencySeconds: Double? = nil,
            longLatencySeconds: Double? = nil
        ) {
            self.time = time
            self.node = node
            self.model = model
            self.kind = kind
            self.from = from
            self.to = to
            self.reason = reason
            self.gradient = gradient
            self.sampleLatencySeconds = sampleLatencySeconds
            self.longLatencySeconds = longLatencySeconds
        }
    }

    public init(level: OptimizationLevel, pairs: [Pair] = [], decisions: [Decision] = [], decisionCounts: [String: Int] = [:]) {
        self.level = level
        self.pairs = pairs
        self.decisions = decisions
        self.decisionCounts = decisionCounts
    }
}
