import LoadGenerator
import NodeSimulator
import Optimizer

/// How an optimizer scenario compares optimization levels: the same nodes, the same open-loop
/// load (same rate, same seed) and the same speed change, played once per ``Variant`` in every
/// repetition, so `off` and `balanced` are measured side by side in one run.
///
/// The load is a share of the nodes' summed capacity (``OptimizerComparison/capacity(of:)``);
/// requests count toward goodput when their time to first token meets ``slo``.
public struct OptimizerComparison: Sendable, Hashable {
    /// The configurations played in each repetition, in order; the first is the baseline of the ratios.
    public var variants: [Variant]
    /// Offered load as a share of the nodes' summed capacity before any slowdown (0.8 = 80%).
    public var loadFactor: Double
    /// One variant's measured run lasts `--duration` times this.
    public var durationFactor: Double
    /// The goodput bound: a request counts when it succeeded within this TTFT.
    public var slo: SLO
    /// A node that gets slower halfway through the measured run, if any.
    public var slowdown: PlannedSlowdown?
    /// Every variant's gateway `queue_timeout` (the clients' deadline); nil: the default 30 s.
    public var queueTimeout: Duration?

    /// One configuration of the gateway in the comparison.
    public struct Variant: Sendable, Hashable {
        /// The second level of the benchmark name, e.g. `off-default`, `off-static-4`, `balanced`.
        public var name: String
        /// The optimizer's level.
        public var level: OptimizationLevel
        /// Every node's `max_in_flight`: the static limit at `off`, the ceiling otherwise.
        public var maxInFlight: Int
        /// Gateways in front of the nodes; the load is split among them round robin.
        public var replicas: Int
        /// Whether the replicas count each other's requests in flight (`--peer`).
        public var peering: Bool
        /// Whether the load goes through nginx in round robin over the replicas (one address,
        /// as deployed) instead of a Poisson share to each (``NginxBalancer``).
        public var balancer: Bool

        /// - Parameters:
        ///   - name: the benchmark name's variant part.
        ///   - level: the optimizer's level.
        ///   - maxInFlight: every node's `max_in_flight` (8 is the documented default).
        ///   - replicas: gateways in front of the same nodes.
        ///   - peering: whether they count each other's requests in flight.
        ///   - balancer: whether nginx spreads the load over them (round robin).
        public init(
            name: String,
            level: OptimizationLevel,
            maxInFlight: Int = Self.defaultMaxInFlight,
            replicas: Int = 1,
            peering: Bool = false,
            balancer: Bool = false
        ) {
            self.name = name
            self.level = level
            self.maxInFlight = maxInFlight
            self.replicas = replicas
            self.peering = peering
            self.balancer = balancer
        }

        /// The gateway's documented default `max_in_flight` per node (docs/gateway.md).
        public static let defaultMaxInFlight = 8
    }

    /// One node that becomes `factor` times slower at `atShare` of the measured run.
    public struct PlannedSlowdown: Sendable, Hashable {
        /// Index of the node (`node-<index>`).
        public var node: Int
        /// What every rate of the node is divided by from then on.
        public var factor: Double
        /// When, as a share of the measured run (0.5 = halfway).
        public var atShare: Double

        public init(node: Int, factor: Double, atShare: Double = 0.5) {
            self.node = node
            self.factor = factor
            self.atShare = atShare
        }
    }

    /// - Parameters:
    ///   - variants: the configurations played in each repetition; the first is the ratios' baseline.
    ///   - loadFactor: offered load as a share of the summed capacity.
    ///   - durationFactor: a run lasts `--duration` times this.
    ///   - slo: the TTFT bound of goodput.
    ///   - queueTimeout: every variant's `queue_timeout`; nil: the gateway's default.
    ///   - slowdown: a node that gets slower during the run.
    public init(
        variants: [Variant],
        loadFactor: Double,
        durationFactor: Double = 1,
        slo: SLO,
        queueTimeout: Duration? = nil,
        slowdown: PlannedSlowdown? = nil
    ) {
        self.variants = variants
        self.loadFactor = loadFactor
        self.durationFactor = durationFactor
        self.slo = slo
        self.queueTimeout = queueTimeout
        self.slowdown = slowdown
    }

    /// The variant every ratio is taken against (the first).
    public var baseline: Variant { variants[0] }
}

extension OptimizerComparison {
    /// Output tokens of the answers on average: each is 16 to 48 tokens long, drawn per prompt.
    ///
    /// Answers of one length would finish together and the next requests would start together,
    /// their prompts sharing the prefill rate in lockstep (TTFT doubled at two in flight with
    /// no request queued); real answers differ in length, which keeps the starts apart.
    static let outputTokens = 32
    /// The shortest and longest answer.
    static let outputTokenRange = 16...48
    /// Prompt words of every request.
    static let promptWords = 32
    /// Prefill rate of the simulated model, tokens/s: the prompt of 44 tokens takes 88 ms.
    static let prefillTokensPerSecond = 500.0
    /// Decode rate of one request alone, tokens/s: 32 tokens take 160 ms, 358 ms with 4 decoding at once.
    static let decodeTokensPerSecond = 200.0

    /// The optimizer scenarios' node: one model (`llama3.2`, 5% jitter per token) answering
    /// ``outputTokenRange`` tokens, loaded at once, with llama.cpp's GPU batching curve, `numParallel`
    /// slots (which the gateway is not told: it keeps its default `num_parallel` 4) and Ollama's
    /// default queue of 512.
    public static func node(numParallel: Int) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.models = SimulatedModel.defaults.filter { $0.name == "llama3.2:latest" }.map { model in
            var tuned = model
            tuned.loadTime = .zero
            tuned.prefillTokensPerSecond = prefillTokensPerSecond
            tuned.decodeTokensPerSecond = decodeTokensPerSecond
            tuned.minOutputTokens = outputTokenRange.lowerBound
            tuned.maxOutputTokens = outputTokenRange.upperBound
            tuned.contention = .gpu
            return tuned
        }
        configuration.limits.numParallel = numParallel
        configuration.limits.maxQueue = 512
        return configuration
    }

    /// The prompt tokens the node counts for one of the scenario's prompts (chat template included).
    static var promptTokens: Int {
        let prompt = SyntheticPrompts(seed: 1, promptTokens: promptWords, outputTokens: outputTokens).prompt(0)
        return Tokenizer.count(messages: [(role: "user", content: prompt)])
    }

    /// A node's capacity in requests per second with all its slots busy: `numParallel` requests
    /// each taking the prefill time plus ``outputTokens`` (the mean) decoded at the batched
    /// rate `r · s(N) / N` (``Contention``). A steady-state estimate: concurrent prefills share
    /// the prefill rate too, which this leaves out (prefill is ~1/6 of a request here).
    public static func capacity(of node: SimulatorConfiguration) -> Double {
        guard let model = node.models.first else { return 0 }
        let slots = node.limits.numParallel
        let prefill = Double(promptTokens) / model.prefillTokensPerSecond
        let perRequestRate = model.decodeTokensPerSecond * model.contention.speedup(slots) / Double(slots)
        let decode = Double(outputTokens) / perRequestRate
        return Double(slots) / (prefill + decode)
    }

    /// The time a request's prompt takes on `node` alone, seconds: the floor of its TTFT.
    public static func prefillSeconds(of node: SimulatorConfiguration) -> Double {
        Double(promptTokens) / (node.models.first?.prefillTokensPerSecond ?? 1)
    }
}
