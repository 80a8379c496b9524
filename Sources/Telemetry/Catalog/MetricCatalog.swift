/// Every metric OllamaMax exports, and the only place one is defined.
///
/// docs/metrics.md is generated from this list (a test fails when they differ); dashboards and
/// alert rules are checked against it. Families of tier `detailed` exist only with
/// `--enable-performance-monitoring`.
public enum MetricCatalog {
    /// Buckets for HTTP handling time: sub-millisecond proxying up to long non-streamed answers.
    static let httpBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]
    /// Buckets for time to first token: a warm model answers in tens of milliseconds, a cold load takes seconds.
    static let ttftBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 30, 60]
    /// Buckets for the gap between tokens: 1 ms (fast GPU) to 1 s (an overloaded CPU).
    static let interTokenBuckets = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1]
    /// Buckets for a whole LLM request: up to the 10-minute response timeout.
    static let llmDurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600]
    static let speedBuckets: [Double] = [1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000]
    static let queueBuckets = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30]

    // MARK: HTTP

    public static let httpRequests = MetricDefinition(
        "http_requests_total",
        .counter,
        unit: "requests",
        labels: ["method", "route", "status"],
        help: "HTTP requests answered, by method, route template and status code."
    )
    public static let httpRequestDuration = MetricDefinition(
        "http_request_duration_seconds",
        .histogram,
        unit: "seconds",
        labels: ["method", "route"],
        help: "Time from a request's arrival to the last byte of its answer.",
        buckets: httpBuckets,
        tier: .detailed
    )
    public static let httpRequestsInFlight = MetricDefinition(
        "http_requests_in_flight",
        .gauge,
        unit: "",
        help: "Requests being handled now, streaming answers included."
    )
    public static let httpRequestSize = MetricDefinition(
        "http_request_size_bytes_total",
        .counter,
        unit: "bytes",
        labels: ["method", "route"],
        help: "Request body bytes received from clients."
    )
    public static let httpResponseSize = MetricDefinition(
        "http_response_size_bytes_total",
        .counter,
        unit: "bytes",
        labels: ["method", "route"],
        help: "Response body bytes sent to clients."
    )

    // MARK: LLM

    public static let llmRequests = MetricDefinition(
        "ollamamax_llm_requests_total",
        .counter,
        unit: "requests",
        labels: ["node", "model", "outcome"],
        help:
            "Inference requests relayed from a node, by outcome: success, failure, cancelled (the client left), client_error (a 4xx, or a node's 500 for an option of the wrong type)."
    )
    public static let timeToFirstToken = MetricDefinition(
        "ollamamax_time_to_first_token_seconds",
        .histogram,
        unit: "seconds",
        labels: ["node", "model"],
        help:
            "Time from a streamed request's arrival to its first token chunk from the node (a content-delta event on /v1/messages and /v1/responses).",
        buckets: ttftBuckets,
        tier: .detailed
    )
    public static let interTokenLatency = MetricDefinition(
        "ollamamax_inter_token_latency_seconds",
        .histogram,
        unit: "seconds",
        labels: ["node", "model"],
        help: "Gap between consecutive token chunks of a streamed answer.",
        buckets: interTokenBuckets,
        tier: .detailed
    )
    public static let timePerOutputToken = MetricDefinition(
        "ollamamax_time_per_output_token_seconds",
        .histogram,
        unit: "seconds",
        labels: ["node", "model"],
        help:
            "Per streamed request, the time from its first to its last chunk over its output tokens minus one (decode time per token as the client sees it).",
        buckets: interTokenBuckets,
        tier: .detailed
    )
    public static let llmRequestDuration = MetricDefinition(
        "ollamamax_llm_request_duration_seconds",
        .histogram,
        unit: "seconds",
        labels: ["node", "model"],
        help: "End-to-end time of an inference request, queueing and retries included.",
        buckets: llmDurationBuckets,
        tier: .detailed
    )
    public static let promptTokens = MetricDefinition(
        "ollamamax_prompt_tokens_total",
        .counter,
        unit: "tokens",
        labels: ["node", "model"],
        help: "Prompt tokens evaluated, from the nodes' own counts (prompt_eval_count, prompt_tokens)."
    )
    public static let outputTokens = MetricDefinition(
        "ollamamax_output_tokens_total",
        .counter,
        unit: "tokens",
        labels: ["node", "model"],
        help: "Tokens generated, from the nodes' own counts (eval_count, completion_tokens)."
    )
    public static let generationSpeed = MetricDefinition(
        "ollamamax_generation_speed_tokens_per_second",
        .histogram,
        unit: "tokens_per_second",
        labels: ["node", "model"],
        help: "Decode speed the node reported for a request (eval_count / eval_duration).",
        buckets: speedBuckets,
        tier: .detailed
    )
    public static let queueWait = MetricDefinition(
        "ollamamax_queue_wait_seconds",
        .histogram,
        unit: "seconds",
        help: "Time a request waited for a node with room (admission and routing).",
        buckets: queueBuckets,
        tier: .detailed
    )
    public static let queueDepth = MetricDefinition(
        "ollamamax_queue_depth",
        .gauge,
        unit: "",
        help: "Requests waiting in the gateway queue for a node."
    )
    public static let retries = MetricDefinition(
        "ollamamax_retries_total",
        .counter,
        unit: "",
        labels: ["node"],
        help: "Attempts that failed on a node before any byte reached the client, so the request was tried again."
    )
    public static let failovers = MetricDefinition(
        "ollamamax_failovers_total",
        .counter,
        unit: "",
        labels: ["node"],
        help: "Requests a node served after another node had failed them."
    )
    public static let rejections = MetricDefinition(
        "ollamamax_rejections_total",
        .counter,
        unit: "",
        labels: ["reason"],
        help: "Requests refused without a node: queue_full, queue_timeout, no_healthy_node, unknown_model, exhausted."
    )

    // MARK: API keys

    public static let keyRequests = MetricDefinition(
        "ollamamax_key_requests_total",
        .counter,
        unit: "requests",
        labels: ["key"],
        help: "Requests admitted per API key, by the key's name from the key file (never the key)."
    )
    public static let keyTokens = MetricDefinition(
        "ollamamax_key_tokens_total",
        .counter,
        unit: "tokens",
        labels: ["key", "kind"],
        help: "Tokens of the answers per API key name, by kind: prompt or output; what tokens-per-minute limits count."
    )
    public static let keyRejections = MetricDefinition(
        "ollamamax_key_rejections_total",
        .counter,
        unit: "",
        labels: ["key", "reason"],
        help: "Requests refused per API key name, by reason: rate_limited (a 429 over the key's limits) or forbidden (a 403 for the key's role)."
    )
    public static let authFailures = MetricDefinition(
        "ollamamax_auth_failures_total",
        .counter,
        unit: "",
        help: "Requests refused with 401: no API key, or one that matches no key."
    )

    // MARK: Nodes

    public static let nodeState = MetricDefinition(
        "ollamamax_node_state",
        .gauge,
        unit: "",
        labels: ["node", "state"],
        help: "1 for the node's current health state (healthy, degraded, unhealthy), 0 for the others."
    )
    public static let nodeCircuitState = MetricDefinition(
        "ollamamax_node_circuit_state",
        .gauge,
        unit: "",
        labels: ["node", "state"],
        help: "1 for the node's circuit-breaker state (closed, open, half_open), 0 for the others."
    )
    public static let nodeInFlight = MetricDefinition(
        "ollamamax_node_in_flight",
        .gauge,
        unit: "",
        labels: ["node"],
        help: "Requests the gateway has on the node now."
    )
    public static let nodeModels = MetricDefinition(
        "ollamamax_node_models",
        .gauge,
        unit: "",
        labels: ["node"],
        help: "Models the node lists in /api/tags."
    )
    public static let nodeResidentModels = MetricDefinition(
        "ollamamax_node_resident_models",
        .gauge,
        unit: "",
        labels: ["node"],
        help: "Models loaded in the node's memory (/api/ps)."
    )
    public static let nodeProbeLatency = MetricDefinition(
        "ollamamax_node_probe_latency_seconds",
        .gauge,
        unit: "seconds",
        labels: ["node"],
        help: "Duration of the node's last health probe; absent while it does not answer."
    )
    public static let nodeTTFTEstimate = MetricDefinition(
        "ollamamax_node_ttft_estimate_seconds",
        .gauge,
        unit: "seconds",
        labels: ["node"],
        help: "The moving average of time to first byte that latency-weighted routing uses."
    )

    // MARK: Process and runtime

    public static let processCPU = MetricDefinition(
        "process_cpu_seconds_total",
        .counter,
        unit: "seconds",
        help: "User and system CPU time of the process."
    )
    public static let processResident = MetricDefinition(
        "process_resident_memory_bytes",
        .gauge,
        unit: "bytes",
        help: "Resident set size of the process."
    )
    public static let processVirtual = MetricDefinition(
        "process_virtual_memory_bytes",
        .gauge,
        unit: "bytes",
        help: "Virtual memory size of the process."
    )
    public static let processOpenFDs = MetricDefinition(
        "process_open_fds",
        .gauge,
        unit: "",
        help: "Open file descriptors."
    )
    public static let processMaxFDs = MetricDefinition(
        "process_max_fds",
        .gauge,
        unit: "",
        help: "The soft limit on open file descriptors."
    )
    public static let processStartTime = MetricDefinition(
        "process_start_time_seconds",
        .gauge,
        unit: "seconds",
        help: "Start time of the process, seconds since the Unix epoch."
    )
    public static let processThreads = MetricDefinition(
        "process_threads",
        .gauge,
        unit: "",
        help: "Operating-system threads of the process."
    )
    public static let processHeap = MetricDefinition(
        "process_heap_bytes",
        .gauge,
        unit: "bytes",
        labels: ["kind"],
        help: "glibc malloc statistics (mallinfo2): in_use, free, releasable, arena, mmap; kinds overlap, do not sum them."
    )
    public static let networkReceive = MetricDefinition(
        "ollamamax_network_receive_bytes_total",
        .counter,
        unit: "bytes",
        labels: ["peer"],
        help: "Body bytes the gateway received, by peer: client (request bodies) or node (answer bodies); HTTP heads are not counted."
    )
    public static let networkTransmit = MetricDefinition(
        "ollamamax_network_transmit_bytes_total",
        .counter,
        unit: "bytes",
        labels: ["peer"],
        help: "Body bytes the gateway sent, by peer: client (answer bodies) or node (request bodies); HTTP heads are not counted."
    )
    public static let activeTasks = MetricDefinition(
        "ollamamax_active_tasks",
        .gauge,
        unit: "",
        help: "Request-handling tasks alive now (the counterpart of go_goroutines)."
    )
    public static let buildInfo = MetricDefinition(
        "ollamamax_build_info",
        .gauge,
        unit: "",
        labels: ["version", "monitoring"],
        help: "Always 1; labels carry the version and whether performance monitoring is on."
    )

    /// Every family, in the order docs/metrics.md lists them.
    public static let all: [MetricDefinition] =
        [
            httpRequests, httpRequestDuration, httpRequestsInFlight, httpRequestSize, httpResponseSize,
            llmRequests, timeToFirstToken, interTokenLatency, timePerOutputToken, llmRequestDuration, promptTokens, outputTokens, generationSpeed,
            queueWait, queueDepth, retries, failovers, rejections,
            keyRequests, keyTokens, keyRejections, authFailures,
            nodeState, nodeCircuitState, nodeInFlight, nodeModels, nodeResidentModels, nodeProbeLatency, nodeTTFTEstimate,
            processCPU, processResident, processVirtual, processOpenFDs, processMaxFDs, processStartTime, processThreads,
            processHeap, networkReceive, networkTransmit, activeTasks, buildInfo,
        ] + optimizer + alerting

    /// The family named `name`, if the catalog has it.
    public static func definition(named name: String) -> MetricDefinition? {
        byName[name]
    }

    private static let byName = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
}
