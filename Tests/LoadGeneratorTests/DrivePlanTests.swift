import Testing

@testable import LoadGenerator

/// How a run is shared among the event loops: nothing lost, nothing doubled, caps kept.
struct DrivePlanTests {
    @Test func closedLoopClientsAreSharedEvenlyAndNoPartIsEmpty() {
        let clients = DrivePlan.closed(clients: 5, deadline: nil, limit: 10, fixedPrompt: false).split(into: 2)
        #expect(clients.map(\.clients) == [3, 2])
        let one = DrivePlan.closed(clients: 1, deadline: nil, limit: nil, fixedPrompt: true).split(into: 4)
        #expect(one.map(\.clients) == [1])
    }

    @Test func openLoopSendsAreDealtInTurnWithTheirIndicesAndTheCapIsShared() {
        let offsets = (0..<7).map { Double($0) / 10 }
        let parts = DrivePlan.open(indices: Array(0..<7), offsets: offsets, maxInFlight: 5).split(into: 2)
        #expect(parts.count == 2)
        guard case .open(let first, let firstOffsets, let firstCap) = parts[0],
            case .open(let second, _, let secondCap) = parts[1]
        else {
            Issue.record("an open plan split into something else: \(parts)")
            return
        }
        #expect(first == [0, 2, 4, 6] && second == [1, 3, 5])
        #expect(firstOffsets == [0, 0.2, 0.4, 0.6])
        #expect(firstCap + secondCap == 5 && firstCap == 3)
        // A cap below the number of loops uses fewer loops, so the total cap holds.
        let narrow = DrivePlan.open(indices: Array(0..<7), offsets: offsets, maxInFlight: 1).split(into: 2)
        #expect(narrow.count == 1)
        // An empty schedule still makes one (empty) part, which ends at once.
        #expect(DrivePlan.open(indices: [], offsets: [], maxInFlight: 8).split(into: 2).count == 1)
    }
}

extension DrivePlan {
    fileprivate var clients: Int? {
        if case .closed(let clients, _, _, _) = self { return clients }
        return nil
    }
}
