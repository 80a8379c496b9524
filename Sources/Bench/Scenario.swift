import LoadGenerator
import NodeSimulator

/// One end-to-end benchmark: a topology of simulated nodes behind the gateway and the load that
/// drives it. Scenarios are values; ``BenchRunner`` plays any of them.
public struct Scenario: Sendable, Hashable {
    /// The name on the command line (`--scenario`) and the first level of the benchmark names.
    public var name: String
    /// One line for `bench --list` and the docs.
    public var summary: String
    /// What the load asks for.
    public var load: Load
    /// How the nodes are laid out for a node count `n` (`--nodes`); `nil` keeps ``fixedNodes``.
    public var scalesWithNodes: Bool
    /// Node count when the scenario does not scale with `--nodes`.
    public var fixedNodes: Int
    /// The node configuration for node `index` of `count`.
    public var node: @Sendable (_ index: Int, _ count: Int) -> SimulatorConfiguration
    /// Also run the same load straight at node 0, so the gateway's overhead is a ratio measured in one run.
    public var measureDirect: Bool
    /// Report the share of requests the gateway sent to node 0 (the fastest, in `routing`).
    public var reportFirstNodeShare: Bool
    /// Optimization levels played side by side under an open-loop load (the optimizer
    /// scenarios); nil for a closed-loop scenario of one gateway configuration.
    public var comparison: OptimizerComparison?

    /// The load of one repetition.
    public struct Load: Sendable, Hashable {
        /// Stream the answers (needed for TTFT and inter-token gaps).
        public var stream: Bool
        /// Closed-loop clients per node (the run uses `clientsPerNode × nodes`).
        public var clientsPerNode: Int
        /// Output tokens each request asks for.
        public var outputTokens: Int
        /// Prompt length in words.
        public var promptTokens: Int
        /// The API the requests speak; each asks for its ``LoadTarget/API/defaultEndpoint``
        /// (`/api/generate` for Ollama, `/v1/messages` for Anthropic, `/v1/responses` for Responses).
        public var api: LoadTarget.API

        /// - Parameters:
        ///   - stream: stream the answers.
        ///   - clientsPerNode: closed-loop clients per node.
        ///   - outputTokens: output tokens each request asks for.
        ///   - promptTokens: prompt length in words.
        ///   - api: the API the requests speak.
        public init(stream: Bool, clientsPerNode: Int, outputTokens: Int, promptTokens: Int = 16, api: LoadTarget.API = .ollama) {
            self.stream = stream
            self.clientsPerNode = clientsPerNode
            self.outputTokens = outputTokens
            self.promptTokens = promptTokens
            self.api = api
        }
    }

    public init(
        name: String,
        summary: String,
        load: Load,
        scalesWithNodes: Bool = false,
        fixedNodes: Int = 1,
        measureDirect: Bool = false,
        reportFirstNodeShare: Bool = false,
        comparison: OptimizerComparison? = nil,
        node: @escaping @Sendable (_ index: Int, _ count: Int) -> SimulatorConfiguration
    ) {
        self.name = name
        self.summary = summary
        self.load = load
        self.scalesWithNodes = scalesWithNodes
        self.fixedNodes = fixedNodes
        self.node = node
        self.measureDirect = measureDirect
        self.reportFirstNodeShare = reportFirstNodeShare
        self.comparison = comparison
    }

    public static func == (lhs: Scenario, rhs: Scenario) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

extension Scenario {
    /// The model every scenario asks for.
    static let model = "llama3.2"

    /// Every built-in scenario, in the order `bench` runs them.
    public static let all: [Scenario] = [capacity, throughput, streaming, streamingAnthropic, streamingResponses, failover, routing]

    /// Every scenario `--scenario` can name: the default set, then the longer ones run only
    /// when named (``optimizer``).
    public static let known: [Scenario] = all + optimizer

    /// The scenarios named in `names` (the default set when empty), in the order given.
    /// - Throws: ``BenchError`` naming an unknown scenario and listing the known ones.
    public static func named(_ names: [String]) throws(BenchError) -> [Scenario] {
        if names.isEmpty { return all }
        var chosen: [Scenario] = []
        for name in names {
            guard let scenario = known.first(where: { $0.name == name }) else {
                throw .unknownScenario(name, known: known.map(\.name))
            }
            if !chosen.contains(scenario) { chosen.append(scenario) }
        }
        return chosen
    }

    /// The gateway's own capacity: small non-streaming `/api/generate` requests (4 tokens) flat
    /// out through one node whose model costs (almost) no modelled time, as
    /// scripts/bench-gateway.sh's fast node. 64 closed-loop clients (wrk's `-c 64` there) keep
    /// the gateway saturated, so its `throughput` is what the gateway serves at most on this
    /// machine (next to the load generator and the node in the same process): what the seed's
    /// "> 1,000 requests/s" and the throughput KPI judge.
    public static let capacity = Scenario(
        name: "capacity",
        summary: "the gateway's own capacity: tiny non-streaming requests, 64 clients, one instant node",
        load: Load(stream: false, clientsPerNode: 64, outputTokens: 4, promptTokens: 8)
    ) { _, _ in
        var configuration = node(decodeTokensPerSecond: 1_000_000, numParallel: 1024)
        configuration.models = configuration.models.map { model in
            var instant = model
            instant.prefillTokensPerSecond = 1_000_000_000
            return instant
        }
        configuration.limits.maxQueue = 8192
        return configuration
    }

    /// Non-streaming `/api/generate` flat out over `n` nodes of bounded capacity (4 slots, ~25 ms
    /// a request): gateway throughput should grow linearly with the nodes until the gateway
    /// itself is the limit, which is what `--nodes 1,2,4` shows.
    public static let throughput = Scenario(
        name: "throughput",
        summary: "non-streaming /api/generate, closed loop, capacity-bound nodes; scales with --nodes",
        load: Load(stream: false, clientsPerNode: 8, outputTokens: 8),
        scalesWithNodes: true
    ) { _, _ in
        node(decodeTokensPerSecond: 400, numParallel: 4)
    }

    /// Streaming `/api/generate` through the gateway and straight at the node, alternately:
    /// TTFT and inter-token gaps as ratios gateway / direct.
    public static let streaming = Scenario(
        name: "streaming",
        summary: "streaming /api/generate; TTFT and inter-token gaps through the gateway vs direct",
        load: Load(stream: true, clientsPerNode: 4, outputTokens: 32),
        measureDirect: true
    ) { _, _ in
        node(decodeTokensPerSecond: 200, numParallel: 4)
    }

    /// `streaming`'s load over the Anthropic Messages API (`/v1/messages`), TTFT and gaps
    /// counted from the first content delta: where a cost of that route's relay path would
    /// show. Through the gateway only (the node's timing has no jitter, so a change is the
    /// gateway's): measuring direct too would double its time in every run, and the gateway
    /// against the node side by side is `load --url NODE --url GATEWAY --api anthropic`.
    public static let streamingAnthropic = Scenario(
        name: "streaming-anthropic",
        summary: "streaming /v1/messages (Anthropic Messages), 4 clients, 32 tokens: TTFT and inter-token gaps through the gateway",
        load: Load(stream: true, clientsPerNode: 4, outputTokens: 32, api: .anthropic)
    ) { _, _ in
        node(decodeTokensPerSecond: 200, numParallel: 4)
    }

    /// `streaming-anthropic` over the OpenAI Responses API (`/v1/responses`).
    public static let streamingResponses = Scenario(
        name: "streaming-responses",
        summary: "streaming /v1/responses (OpenAI Responses), 4 clients, 32 tokens: TTFT and inter-token gaps through the gateway",
        load: Load(stream: true, clientsPerNode: 4, outputTokens: 32, api: .responses)
    ) { _, _ in
        node(decodeTokensPerSecond: 200, numParallel: 4)
    }

    /// Three nodes, one of which answers every inference with 500: the gateway must retry on
    /// the others and open its circuit, so clients see (almost) no errors.
    public static let failover = Scenario(
        name: "failover",
        summary: "three nodes, one failing every request with 500; client-visible errors and latency",
        load: Load(stream: false, clientsPerNode: 2, outputTokens: 8),
        fixedNodes: 3
    ) { index, _ in
        var configuration = node(decodeTokensPerSecond: 400, numParallel: 4)
        if index == 0 { configuration.faults.errorRate = 1 }
        return configuration
    }

    /// Three nodes at full, half and quarter speed, streaming: how well routing prefers the
    /// fast node (its share of requests) and what clients see.
    public static let routing = Scenario(
        name: "routing",
        summary: "three streaming nodes at 1x, 1/2x and 1/4x speed; TTFT and the fast node's share",
        load: Load(stream: true, clientsPerNode: 2, outputTokens: 16),
        fixedNodes: 3,
        reportFirstNodeShare: true
    ) { index, _ in
        node(decodeTokensPerSecond: 400, numParallel: 4).scaledSpeed(by: Double(1 << index))
    }

    /// A node with one jitter-free completion model (`llama3.2`), loaded at once.
    static func node(decodeTokensPerSecond: Double, numParallel: Int) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.models = SimulatedModel.defaults.filter { $0.name == "llama3.2:latest" }.map { model in
            var fast = model
            fast.loadTime = .zero
            fast.jitter = 0
            fast.decodeTokensPerSecond = decodeTokensPerSecond
            fast.prefillTokensPerSecond = 100_000
            return fast
        }
        configuration.limits.numParallel = numParallel
        configuration.limits.maxQueue = 4096
        return configuration
    }
}
