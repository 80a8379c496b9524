/// How a node shed or lost a request under load.
public enum DropKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The node answered 503 or 429.
    case overloaded
    /// The request timed out at the node.
    case timeout
    /// The connection was reset.
    case reset
}

/// What one finished request tells its (node, model) limiter.
public enum LimitSignal: Sendable, Hashable {
    /// A request that produced tokens: its time to first token and, when it produced more than
    /// one token, its time per output token. Never total latency, which grows with answer length.
    /// `waitedForSlot`: whether it waited for a slot on the node, when the node said (Ollama's
    /// `load_duration` and `prompt_eval_duration`): a window with TTFT inflation and no such
    /// wait is prefills sharing the node, not a queue a lower limit removes.
    case success(ttft: Duration, timePerOutputToken: Duration?, waitedForSlot: Bool? = nil)
    /// The node shed or lost the request: an immediate cut (``AdaptiveLimit``'s AIMD layer).
    case dropped(DropKind)
    /// Says nothing about the node's load: a client cancel, a 4xx, no usable timing.
    case ignored
}
