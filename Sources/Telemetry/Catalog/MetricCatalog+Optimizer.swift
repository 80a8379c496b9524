extension MetricCatalog {
    // MARK: Optimizer (the adaptive limits per node and model, docs/optimizer.md)

    public static let optimizerLimit = MetricDefinition(
        "ollamamax_optimizer_limit",
        .gauge,
        unit: "",
        labels: ["node", "model"],
        help: "Requests the gateway may have in flight on the node for the model now: its adaptive limit, under the static max_in_flight."
    )
    public static let optimizerGradient = MetricDefinition(
        "ollamamax_optimizer_gradient",
        .gauge,
        unit: "",
        labels: ["node", "model"],
        help: "The limiter's last gradient: tolerated long-term time to first token over the window's, clamped; below 1 the limit falls."
    )
    public static let optimizerLatency = MetricDefinition(
        "ollamamax_optimizer_latency_seconds",
        .gauge,
        unit: "seconds",
        labels: ["node", "model", "kind"],
        help: "The time to first token the limiter compares, by kind: sample (the last window) or long (the long-term average)."
    )
    public static let optimizerDrops = MetricDefinition(
        "ollamamax_optimizer_drops_total",
        .counter,
        unit: "",
        labels: ["node", "model", "kind"],
        help: "Requests the node shed or lost, which cut its limit, by kind: overloaded (503 or 429), timeout, reset."
    )
    public static let optimizerDecisions = MetricDefinition(
        "ollamamax_optimizer_decisions_total",
        .counter,
        unit: "",
        labels: ["kind"],
        help: "Changes of an adaptive limit, by kind (the decision log at /ollamamax/optimizer has each with its reason)."
    )
    public static let optimizerLearnedParallelism = MetricDefinition(
        "ollamamax_optimizer_learned_parallelism",
        .gauge,
        unit: "",
        labels: ["node", "model"],
        help:
            "The node's parallel slots for the model (its OLLAMA_NUM_PARALLEL), learned: the most requests in flight seen to get a slot at once (Ollama's load and prompt times tell), else the fewest in flight whose output tokens per second are within 10% of the best seen."
    )
    public static let optimizerColdLoad = MetricDefinition(
        "ollamamax_optimizer_cold_load_seconds",
        .gauge,
        unit: "seconds",
        labels: ["node", "model"],
        help:
            "What loading the model adds to a request's time to first token on the node, learned from cold and warm requests: the cost model-aware routing weighs a cold node by."
    )

    /// The optimizer's families, in the order docs/metrics.md lists them.
    static let optimizer: [MetricDefinition] = [
        optimizerLimit, optimizerGradient, optimizerLatency, optimizerDrops, optimizerDecisions,
        optimizerLearnedParallelism, optimizerColdLoad,
    ]
}
