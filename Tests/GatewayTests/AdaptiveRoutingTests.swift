import Testing

@testable import Gateway

/// Routing over adaptive limits: a node is full for a model at its adaptive limit, the
/// least-loaded choices compare the share of that limit in use, and without adaptive limits
/// nothing changes.
struct AdaptiveRoutingTests {
    static let model = "llama3.2:latest"

    static func node(_ id: String, inFlight: Int, limit: Int? = nil, resident: Bool = true) -> NodeSnapshot {
        NodeSnapshot(
            id: id,
            models: [model],
            resident: resident ? [model] : [],
            inFlight: inFlight,
            inFlightByModel: inFlight > 0 ? [model: inFlight] : [:],
            limit: 8,
            limitByModel: limit.map { [model: $0] } ?? [:],
            numParallel: 4
        )
    }

    @Test(arguments: RoutingStrategy.allCases)
    func aNodeAtItsAdaptiveLimitTakesNoMoreOfThatModel(strategy: RoutingStrategy) {
        // Below its static limit of 8, but at its learned limit of 2.
        let full = Self.node("full", inFlight: 2, limit: 2)
        #expect(!full.hasRoom(for: Self.model))
        #expect(full.hasRoom(for: "other:latest"))
        #expect(strategy.choose(model: Self.model, nodes: [full], turn: 0) == nil)
        let roomy = Self.node("roomy", inFlight: 5, limit: 6)
        for turn in 0..<4 { #expect(strategy.choose(model: Self.model, nodes: [full, roomy], turn: UInt64(turn)) == "roomy") }
    }

    @Test(arguments: [RoutingStrategy.leastOutstanding, .modelAware])
    func theLeastLoadedNodeIsTheOneWithTheMostRoomUnderItsLimit(strategy: RoutingStrategy) {
        // 3 of 4 is busier than 4 of 8, though it has fewer in flight.
        let small = Self.node("small", inFlight: 3, limit: 4)
        let big = Self.node("big", inFlight: 4, limit: 8)
        for turn in 0..<4 { #expect(strategy.choose(model: Self.model, nodes: [small, big], turn: UInt64(turn)) == "big") }
    }

    @Test func aWarmSlotIsOneUnderTheAdaptiveLimitInsteadOfNumParallel() {
        #expect(Self.node("a", inFlight: 5, limit: 6).hasWarmSlot(Self.model))
        #expect(!Self.node("a", inFlight: 4).hasWarmSlot(Self.model))
        #expect(!Self.node("a", inFlight: 2, limit: 2).hasWarmSlot(Self.model))
    }

    @Test func withoutAdaptiveLimitsTheStaticRulesHold() {
        let node = Self.node("a", inFlight: 7)
        #expect(node.hasRoom(for: Self.model))
        #expect(node.load(for: Self.model) == 7)
        #expect(!Self.node("a", inFlight: 8).hasRoom(for: Self.model))
        // Fewest in flight wins, whatever the limits' sizes.
        let few = Self.node("few", inFlight: 3)
        let many = Self.node("many", inFlight: 4)
        #expect(RoutingStrategy.leastOutstanding.choose(model: Self.model, nodes: [many, few], turn: 0) == "few")
    }
}
