import Testing

@testable import Gateway

/// The slow knobs' rules (``IntervalRules``): pure, table-driven, exact values.
struct IntervalRulesTests {
    /// The configured queue (256, 30 s), the default 5-minute interval.
    static let rules = IntervalRules(queueCeiling: 256, queueTimeoutCeiling: .seconds(30), interval: .seconds(300))
    static let mebibyte = 1_048_576

    @Test func theFirstRoundSizesTheQueueAndTheConnectionsFromTheLimitsAndTheAnswerTime() {
        let knobs = Self.rules.initial(nodes: ["a", "b"])
        #expect(
            knobs == IntervalKnobs(queueSize: 256, queueTimeoutSeconds: 30, nodes: ["a": NodeKnobs(poolSize: 256), "b": NodeKnobs(poolSize: 256)])
        )
        let measured = IntervalMeasurements(
            nodes: [.init(id: "a", limit: 6, requests: 10), .init(id: "b", limit: 0, requests: 0)],
            answerSeconds: 0.5
        )
        let (next, changes) = Self.rules.next(knobs, measured)
        // 0.5 s x 10 = 5 s; 6 slots x 10 answers in 5 s = 60 queued; a: 6 connections, kept 2 x 300 s; b: no limit yet, kept 30 s.
        #expect(
            next
                == IntervalKnobs(
                    queueSize: 60,
                    queueTimeoutSeconds: 5,
                    nodes: ["a": NodeKnobs(poolSize: 6, keepAliveSeconds: 600), "b": NodeKnobs(poolSize: 256, keepAliveSeconds: 30)]
                )
        )
        #expect(
            changes == [
                IntervalChange(
                    knob: .queueTimeout,
                    from: 30,
                    to: 5,
                    reason: "queue timeout 30s -> 5s: the slowest mean answer takes 500ms, x10, within [1s, the configured 30s]"
                ),
                IntervalChange(
                    knob: .queueSize,
                    from: 256,
                    to: 60,
                    reason: "queue size 256 -> 60: the adaptive limits sum to 6 slots, each finishes 10 answers in the 5s queue timeout, "
                        + "at most the configured 256"
                ),
                IntervalChange(
                    knob: .poolSize,
                    node: "a",
                    from: 256,
                    to: 6,
                    reason: "a: pool size 256 -> 6 idle connections per event loop: its adaptive limits sum to 6, within [2, 256]"
                ),
                IntervalChange(
                    knob: .keepAlive,
                    node: "a",
                    from: nil,
                    to: 600,
                    reason: "a: idle connections kept unbounded -> 600s: it served 10 requests this interval"
                ),
                IntervalChange(
                    knob: .keepAlive,
                    node: "b",
                    from: nil,
                    to: 30,
                    reason: "b: idle connections kept unbounded -> 30s: it served no request this interval"
                ),
            ]
        )
        // The same measurements again: nothing to change.
        #expect(Self.rules.next(next, measured).changes.isEmpty)
    }

    @Test(
        arguments: [
            // (current timeout, answer time, the timeout after): 10 answers, within [1 s, 30 s], moved only by 10% or more.
            (5.0, 0.52, 5.0),  // 5.2 s is 4% away: kept
            (5.0, 0.6, 6.0),  // 6 s is 20% away
            (5.0, 0.01, 1.0),  // 0.1 s: the 1 s floor
            (5.0, 5.0, 30.0),  // 50 s: the configured 30 s
            (30.0, 3.2, 30.0),  // 32 s: the configured 30 s, unchanged
            (5.0, 0.4468, 4.5),  // 4.468 s, to a tenth of a second
        ]
    )
    func theQueueTimeoutIsTenAnswersWithinItsBoundsAndMovesOnlyByTenPercentOrMore(current: Double, answer: Double, after: Double) {
        let knobs = IntervalKnobs(queueSize: 12, queueTimeoutSeconds: current)
        let (next, changes) = Self.rules.next(knobs, IntervalMeasurements(nodes: [], answerSeconds: answer))
        #expect(next.queueTimeoutSeconds == after)
        #expect(changes.map(\.knob) == (after == current ? [] : [.queueTimeout]))
    }

    @Test(
        arguments: [
            // (the nodes' summed limits, the answer time, the queue size after): what the slots
            // finish in the timeout (2 s answers: 20 s, 10 each; 20 s answers: the configured
            // 30 s, 1 each), at most the configured 256; unchanged without limits or answers.
            ([6], 2.0, 60), ([3, 4, 5], 2.0, 120), ([100, 100], 2.0, 256), ([0, 0], 2.0, 40), ([6], 20.0, 6), ([6], 0.0, 40),
        ]
    )
    func theQueueHoldsWhatTheSlotsFinishWithinTheTimeoutAtMostTheConfiguredSize(limits: [Int], answer: Double, after: Int) {
        let knobs = IntervalKnobs(queueSize: 40, queueTimeoutSeconds: 30)
        let nodes = limits.enumerated().map { IntervalMeasurements.Node(id: "n\($0.offset)", limit: $0.element, requests: 1) }
        let measured = IntervalMeasurements(nodes: nodes, answerSeconds: answer > 0 ? answer : nil)
        #expect(Self.rules.next(knobs, measured).knobs.queueSize == after)
    }

    @Test(arguments: [(1, 2), (2, 2), (7, 7), (300, 256)])
    func aNodesPoolSizeIsItsSummedLimitWithinTwoAnd256(limit: Int, poolSize: Int) {
        let knobs = IntervalKnobs(queueSize: 1, queueTimeoutSeconds: 30, nodes: ["a": NodeKnobs(poolSize: 256, keepAliveSeconds: 600)])
        let measured = IntervalMeasurements(nodes: [.init(id: "a", limit: limit, requests: 1)], answerSeconds: nil)
        #expect(Self.rules.next(knobs, measured).knobs.nodes["a"] == NodeKnobs(poolSize: poolSize, keepAliveSeconds: 600))
    }

    @Test func aNodeIdleForAWholeIntervalKeepsItsConnectionsBrieflyAndGetsThemBackWithTraffic() {
        var knobs = IntervalKnobs(queueSize: 1, queueTimeoutSeconds: 30, nodes: ["a": NodeKnobs(poolSize: 4, keepAliveSeconds: 600)])
        knobs = Self.rules.next(knobs, IntervalMeasurements(nodes: [.init(id: "a", limit: 4, requests: 0)], answerSeconds: nil)).knobs
        #expect(knobs.nodes["a"] == NodeKnobs(poolSize: 4, keepAliveSeconds: 30))
        let (next, changes) = Self.rules.next(knobs, IntervalMeasurements(nodes: [.init(id: "a", limit: 4, requests: 3)], answerSeconds: nil))
        #expect(next.nodes["a"] == NodeKnobs(poolSize: 4, keepAliveSeconds: 600))
        #expect(changes.map(\.reason) == ["a: idle connections kept 30s -> 600s: it served 3 requests this interval"])
    }

    @Test(
        arguments: [
            // (least resident set this interval, now, in MiB; trimmed?): more than 1.5 x the minimum.
            (300, 460, true), (300, 450, false), (300, 440, false), (100, 1000, true),
        ]
    )
    func theHeapIsTrimmedWhenTheResidentSetIsOverOneAndAHalfTimesTheIntervalsMinimum(least: Int, now: Int, trimmed: Bool) {
        let measured = IntervalMeasurements(
            nodes: [],
            answerSeconds: nil,
            residentBytes: now * Self.mebibyte,
            minimumResidentBytes: least * Self.mebibyte
        )
        let changes = Self.rules.next(IntervalKnobs(queueSize: 1, queueTimeoutSeconds: 30), measured).changes
        #expect(changes.map(\.knob) == (trimmed ? [.mallocTrim] : []))
        if least == 300 && trimmed {
            #expect(changes.first?.reason == "malloc_trim(0): the resident set 460 MiB is 1.5x this interval's minimum 300 MiB (over 1.5x)")
        }
    }

    @Test func theMeasurementsSumEachNodesPairsUnderItsStaticLimitAndTakeTheSlowestAnswer() {
        let pairs = [
            OptimizerSnapshot.Pair(node: "a", model: "m1", limit: 5, ceiling: 8, inFlight: 0, requestSeconds: 0.2),
            OptimizerSnapshot.Pair(node: "a", model: "m2", limit: 6, ceiling: 8, inFlight: 0, requestSeconds: 0.4),
            OptimizerSnapshot.Pair(node: "b", model: "m1", limit: 3, ceiling: 8, inFlight: 0),
        ]
        let measured = IntervalMeasurements(
            pairs: pairs,
            nodes: ["a", "b", "c"],
            requests: ["a": 30, "b": 7, "c": 2],
            before: ["a": 10, "c": 2],
            residentBytes: 9,
            minimumResidentBytes: 8
        )
        #expect(
            measured
                == IntervalMeasurements(
                    nodes: [.init(id: "a", limit: 8, requests: 20), .init(id: "b", limit: 3, requests: 7), .init(id: "c", limit: 0, requests: 0)],
                    answerSeconds: 0.4,
                    residentBytes: 9,
                    minimumResidentBytes: 8
                )
        )
    }
}
