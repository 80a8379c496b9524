import Gateway
import Testing

/// `model-aware`'s learned cold-load rule, as a table: a cold node only when the warm nodes'
/// expected wait exceeds the cold load's learned cost; with nothing learned, the static rule.
struct ColdLoadRoutingTests {
    static let model = "llama3.2:latest"

    /// A warm node with its adaptive limit of 4 full: a request takes `seconds` on it.
    static func warm(seconds: Double? = 2, state: NodeState = .healthy, limit: Int? = 4) -> NodeSnapshot {
        NodeSnapshot(
            id: "warm",
            state: state,
            models: [model],
            resident: [model],
            inFlight: 4,
            inFlightByModel: [model: 4],
            limit: 16,
            limitByModel: limit.map { [model: $0] } ?? [:],
            requestSecondsByModel: seconds.map { [model: $0] } ?? [:]
        )
    }

    /// An idle node that lists the model without it loaded; `cost` is its learned cold load.
    static func cold(_ id: String = "cold", cost: Double?) -> NodeSnapshot {
        NodeSnapshot(
            id: id,
            models: [model],
            limit: 16,
            limitByModel: [model: 1],
            coldLoadSecondsByModel: cost.map { [model: $0] } ?? [:]
        )
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var nodes: [NodeSnapshot]
        var waiting = 0
        var excluding: Set<String> = []
        /// The node chosen; nil: the request waits in the gateway queue for a warm slot.
        var expected: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // Wait for the warm node: one slot's turn (2 s / 4 = 0.5 s) is under a 5 s load.
        Case(name: "a short warm wait beats a costly load", nodes: [warm(), cold(cost: 5)], expected: nil),
        // A cheap load beats the same wait.
        Case(name: "a cheap load beats a warm wait", nodes: [warm(), cold(cost: 0.3)], expected: "cold"),
        // Equal: waiting costs no memory on another node.
        Case(name: "a tie waits", nodes: [warm(), cold(cost: 0.5)], expected: nil),
        // 9 requests ahead: (9 + 1) × 2 s / 4 = 5 s, over a 4 s load.
        Case(name: "a long queue makes the load worth it", nodes: [warm(), cold(cost: 4)], waiting: 9, expected: "cold"),
        Case(name: "a queue shorter than the load waits", nodes: [warm(), cold(cost: 6)], waiting: 9, expected: nil),
        // A node with no cost of its own is priced by the model's cheapest cost elsewhere.
        Case(
            name: "another node's cost prices a node that has none",
            nodes: [warm(), cold("cold", cost: nil), cold("elsewhere", cost: 5)].map { node in
                var node = node
                if node.id == "elsewhere" { node.models = [] }  // learned before; lists the model no more
                return node
            },
            expected: nil
        ),
        Case(name: "the cheapest cold candidate is compared", nodes: [warm(), cold("a", cost: 9), cold("b", cost: 0.2)], expected: "b"),
        // Nothing learned: the static rule (an idle cold node takes it), as at level off.
        Case(name: "no cost learned loads as before", nodes: [warm(), cold(cost: nil)], expected: "cold"),
        Case(name: "no request time learned loads as before", nodes: [warm(seconds: nil), cold(cost: 5)], expected: "cold"),
        Case(name: "a warm node without an adaptive limit loads as before", nodes: [warm(limit: nil), cold(cost: 5)], expected: "cold"),
        // Warm nodes that cannot take the request do not hold it back.
        Case(name: "an unhealthy warm node is no reason to wait", nodes: [warm(state: .unhealthy), cold(cost: 5)], expected: "cold"),
        Case(name: "a degraded warm node is no reason to wait for", nodes: [warm(state: .degraded), cold(cost: 5)], expected: "cold"),
        Case(name: "an excluded warm node is no reason to wait", nodes: [warm(), cold(cost: 5)], excluding: ["warm"], expected: "cold"),
    ]

    @Test(arguments: cases)
    func aColdNodeOnlyWhenTheWarmWaitExceedsTheLearnedCost(_ test: Case) {
        let chosen = RoutingStrategy.modelAware.choose(
            model: Self.model,
            nodes: test.nodes,
            excluding: test.excluding,
            turn: 0,
            waiting: { test.waiting }
        )
        #expect(chosen == test.expected)
    }

    @Test func aWarmNodeWithRoomIsTakenWhateverTheCost() {
        var warm = Self.warm()
        warm.inFlightByModel = [Self.model: 3]
        warm.inFlight = 3
        #expect(RoutingStrategy.modelAware.choose(model: Self.model, nodes: [warm, Self.cold(cost: 0)], turn: 0) == "warm")
    }

    @Test func theExpectedWaitIsOneSlotsTurnPerRequest() {
        let warm = Self.warm()
        #expect(warm.expectedWait(for: Self.model, waiting: 0) == 0.5)
        #expect(warm.expectedWait(for: Self.model, waiting: 3) == 2)
        var room = warm
        room.inFlightByModel = [Self.model: 1]
        #expect(room.expectedWait(for: Self.model, waiting: 7) == 0)
        #expect(Self.warm(seconds: nil).expectedWait(for: Self.model, waiting: 0) == nil)
        #expect(Self.warm(state: .unhealthy).expectedWait(for: Self.model, waiting: 0) == nil)
    }

    @Test func otherStrategiesIgnoreTheCost() {
        // Only model-aware weighs a cold load; least-outstanding takes the node with room.
        let nodes = [Self.warm(), Self.cold(cost: 100)]
        #expect(RoutingStrategy.leastOutstanding.choose(model: Self.model, nodes: nodes, turn: 0) == "cold")
    }
}
