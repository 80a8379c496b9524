import Optimizer
import Testing

@Suite struct DecisionLogTests {
    static func entry(_ number: Int) -> DecisionLog.Entry {
        DecisionLog.Entry(
            node: "node-\(number)",
            model: "llama3",
            decision: LimitDecision(seconds: Double(number), kind: .increase, from: number, to: number + 1, reason: "test \(number)")
        )
    }

    @Test func aFullLogDropsTheOldestAndListsNewestLast() {
        var log = DecisionLog(capacity: 3)
        for number in 1...5 { log.append(Self.entry(number)) }
        #expect(log.recent.map(\.node) == ["node-3", "node-4", "node-5"])
    }

    @Test func itKeepsTheLastHundredByDefault() {
        var log = DecisionLog()
        #expect(log.recent.isEmpty)
        for number in 1...150 { log.append(Self.entry(number)) }
        #expect(log.recent.count == 100)
        #expect(log.recent.first?.decision.seconds == 51)
        #expect(log.recent.last?.decision.seconds == 150)
    }

    @Test func decisionKindsAreTheMetricLabels() {
        #expect(DecisionKind.allCases.map(\.rawValue) == ["increase", "decrease", "drop_cut"])
    }
}
