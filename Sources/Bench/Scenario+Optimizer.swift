import LoadGenerator
import NodeSimulator
import Optimizer

extension Scenario {
    /// The optimizer's scenarios (issue 21): each plays `off` and an adaptive level side by side
    /// over the same nodes and open-loop load. Not in the default set: each repetition runs every
    /// variant for seconds (docs/benchmarks.md has the command and the results).
    public static let optimizer: [Scenario] = [
        optimizerCapacityChange, optimizerUnknownCapacity, optimizerSteady, optimizerOverload, optimizerTwoReplicas,
        optimizerTwoReplicasOverload,
    ]

    /// The TTFT bound of the optimizer scenarios' goodput: 0.5 s.
    ///
    /// The node's prefill of a prompt takes 88 ms alone (``OptimizerComparison/prefillSeconds(of:)``),
    /// up to 0.35 s when a burst starts four at once (concurrent prefills share the rate), and
    /// 0.26 s on a node slowed 3x: a request that gets a slot at once meets 0.5 s. One that
    /// waits for a slot waits for an answer to finish, 0.36 s of decoding at 4 slots and over
    /// 1 s on the slowed node, and misses it unless the wait is short: the bound separates
    /// "served" from "queued at the node", which is what a limit decides.
    public static let optimizerSLO = SLO(ttft: .milliseconds(500))

    /// The gateway's `queue_timeout` in the optimizer scenarios, every variant alike: half the
    /// SLO, what an operator whose clients want a first token within 0.5 s configures (a
    /// request that waited longer would miss it after its prefill). `balanced` refuses at once
    /// a request expected to wait longer; `off` lets it wait and answers 503 when it ends.
    public static let optimizerQueueTimeout = Duration.milliseconds(250)

    /// The optimizer scenarios' load description (the open-loop rate comes from the comparison).
    static let optimizerLoad = Load(
        stream: true,
        clientsPerNode: 0,
        outputTokens: OptimizerComparison.outputTokens,
        promptTokens: OptimizerComparison.promptWords
    )

    /// Three 4-slot GPU nodes; node 0 becomes 3x slower halfway. 80% of the original capacity,
    /// offered open-loop: `off` at the default `max_in_flight` 8, `off` at 3, 4 and 6 (the
    /// sweep for the best static value), `balanced` and `aggressive`.
    public static let optimizerCapacityChange = overFourSlotNodes(
        "optimizer-capacity-change",
        summary: "3 GPU nodes, node-0 3x slower halfway, 80% load: goodput of off (max_in_flight 8, 3, 4, 6) vs balanced, aggressive",
        variants: [
            .init(name: "off-default", level: .off),
            .init(name: "off-static-3", level: .off, maxInFlight: 3),
            .init(name: "off-static-4", level: .off, maxInFlight: 4),
            .init(name: "off-static-6", level: .off, maxInFlight: 6),
            .init(name: "balanced", level: .balanced),
            .init(name: "aggressive", level: .aggressive),
        ],
        loadFactor: 0.8,
        durationFactor: 1.5,
        slowdown: .init(node: 0, factor: 3)
    )

    /// Three GPU nodes with 2, 4 and 8 slots the gateway is not told (it assumes its default 4,
    /// `max_in_flight` 8), 80% load: the limits `balanced` converges to against the slots.
    public static let optimizerUnknownCapacity = Scenario(
        name: "optimizer-unknown-capacity",
        summary: "3 GPU nodes with 2, 4, 8 hidden slots, 80% load: learned limits vs the truth, goodput vs off",
        load: optimizerLoad,
        fixedNodes: 3,
        comparison: OptimizerComparison(
            variants: [.init(name: "off-default", level: .off), .init(name: "balanced", level: .balanced)],
            loadFactor: 0.8,
            durationFactor: 1.5,
            slo: optimizerSLO,
            queueTimeout: optimizerQueueTimeout
        )
    ) { index, _ in
        OptimizerComparison.node(numParallel: 2 << index)
    }

    /// Three 4-slot GPU nodes at half their capacity: the optimizer must cost nothing.
    public static let optimizerSteady = overFourSlotNodes(
        "optimizer-steady",
        summary: "3 GPU nodes, 50% load: throughput and TTFT p95 of balanced vs off",
        variants: [.init(name: "off-default", level: .off), .init(name: "balanced", level: .balanced)],
        loadFactor: 0.5
    )

    /// Three 4-slot GPU nodes offered twice their capacity: what share is shed fast and how well
    /// the admitted requests are served.
    public static let optimizerOverload = overFourSlotNodes(
        "optimizer-overload",
        summary: "3 GPU nodes, 200% load: goodput of admitted requests and the share shed fast, balanced vs off",
        variants: [.init(name: "off-default", level: .off), .init(name: "balanced", level: .balanced)],
        loadFactor: 2
    )

    /// Two gateways over the same three 4-slot nodes, each offered half of 80% of their
    /// capacity, neither knowing of the other: how many requests each node holds at once
    /// (`peak_over_slots`) and the goodput against one gateway at the same total load, with the
    /// static limits (which each replica applies in full), with `balanced`, and with `balanced`
    /// replicas that count each other's requests in flight (`--peer`).
    public static let optimizerTwoReplicas = overFourSlotNodes(
        "optimizer-two-replicas",
        summary:
            "2 gateways over 3 GPU nodes, 80% load split between them: node peaks and goodput vs 1 gateway, off vs balanced, with and without --peer",
        variants: [
            .init(name: "off-default", level: .off),
            .init(name: "off-default-2-replicas", level: .off, replicas: 2),
            .init(name: "balanced", level: .balanced),
            .init(name: "balanced-2-replicas", level: .balanced, replicas: 2),
            .init(name: "balanced-2-replicas-peers", level: .balanced, replicas: 2, peering: true),
        ],
        loadFactor: 0.8,
        // Each replica learns from half the requests: a longer warm-up (and run) than one gateway needs.
        durationFactor: 2
    )

    /// Two gateways over the same three 4-slot nodes offered 150% of their capacity together:
    /// whether the nodes stay at their slots (plus a burst) when both gateways have more
    /// requests than the nodes take, with static limits and with `balanced`, each with and
    /// without `--peer`, and behind nginx in round robin (the `-nginx` variants, which need
    /// nginx installed); one `balanced` gateway at the same total load for the goodput.
    public static let optimizerTwoReplicasOverload = overFourSlotNodes(
        "optimizer-two-replicas-overload",
        summary:
            "2 gateways over 3 GPU nodes, 150% load split between them or by nginx: node peaks and goodput, off vs balanced, with and without --peer",
        variants: [
            .init(name: "off-default-2-replicas", level: .off, replicas: 2),
            .init(name: "off-default-2-replicas-peers", level: .off, replicas: 2, peering: true),
            .init(name: "balanced", level: .balanced),
            .init(name: "balanced-2-replicas", level: .balanced, replicas: 2),
            .init(name: "balanced-2-replicas-peers", level: .balanced, replicas: 2, peering: true),
            .init(name: "off-default-2-replicas-nginx", level: .off, replicas: 2, balancer: true),
            .init(name: "balanced-2-replicas-nginx", level: .balanced, replicas: 2, balancer: true),
        ],
        loadFactor: 1.5,
        durationFactor: 2
    )

    /// A scenario over three 4-slot GPU nodes (the gateway not told their slots): `variants`
    /// side by side at `loadFactor` of the nodes' capacity, with the optimizer scenarios' SLO.
    static func overFourSlotNodes(
        _ name: String,
        summary: String,
        variants: [OptimizerComparison.Variant],
        loadFactor: Double,
        durationFactor: Double = 1,
        slowdown: OptimizerComparison.PlannedSlowdown? = nil
    ) -> Scenario {
        Scenario(
            name: name,
            summary: summary,
            load: optimizerLoad,
            fixedNodes: 3,
            comparison: OptimizerComparison(
                variants: variants,
                loadFactor: loadFactor,
                durationFactor: durationFactor,
                slo: optimizerSLO,
                queueTimeout: optimizerQueueTimeout,
                slowdown: slowdown
            )
        ) { _, _ in
            OptimizerComparison.node(numParallel: 4)
        }
    }
}
