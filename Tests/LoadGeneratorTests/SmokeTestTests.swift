import AsyncHTTPClient
import LoadGenerator
import NodeSimulator
import TestHTTP
import Testing

/// `smoke` against a live node: every check passes; a wrong model or no server fails clearly.
@Suite(.timeLimit(.minutes(3)))
struct SmokeTestTests {
    @Test func aHealthyNodePassesEveryCheck() async throws {
        try await withSimulator { client, _ in
            // SLOs far above anything a working node takes: this test is about the checks, not a loaded machine's speed
            // (aMissedSLOFailsItsCheck has an SLO no request can meet).
            let checks = await SmokeTest(
                client: HTTPClient.shared,
                url: client.base,
                model: "llama3.2",
                latencySLO: .seconds(300),
                ttftSLO: .seconds(300)
            ).run()
            #expect(
                checks.map(\.name) == [
                    "liveness", "version", "models", "generate", "generate stream", "chat", "chat stream", "openai models", "metrics",
                ]
            )
            #expect(checks.allSatisfy { $0.passed }, "\(checks.filter { !$0.passed }.map(\.line))")
            #expect(checks.last?.detail.contains("skipped") == true)
            let junit = checks.junit()
            #expect(junit.contains(#"tests="9" failures="0""#))
        }
    }

    @Test func aMissedSLOFailsItsCheck() async throws {
        try await withSimulator { client, _ in
            let checks = await SmokeTest(
                client: HTTPClient.shared,
                url: client.base,
                model: "llama3.2",
                latencySLO: .nanoseconds(1),
                ttftSLO: .nanoseconds(1)
            ).run()
            let generate = try #require(checks.first { $0.name == "generate" })
            #expect(!generate.passed)
            #expect(generate.detail.contains("(SLO 0 ms)"), "\(generate.detail)")
            let stream = try #require(checks.first { $0.name == "generate stream" })
            #expect(stream.detail.hasPrefix("first token after"), "\(stream.detail)")
            #expect(checks.first { $0.name == "liveness" }?.passed == true)
        }
    }

    @Test func aMissingModelFailsTheModelAndInferenceChecks() async throws {
        try await withSimulator { client, _ in
            let checks = await SmokeTest(client: HTTPClient.shared, url: client.base, model: "nope").run()
            let failed = checks.filter { !$0.passed }.map(\.name)
            #expect(failed == ["models", "generate", "generate stream", "chat", "chat stream"])
            #expect(checks.first { $0.name == "models" }?.detail.contains("\"nope\" is not listed") == true)
            #expect(checks.junit().contains(#"failures="5""#))
        }
    }

    @Test func noServerFailsEveryCheckWithoutHanging() async {
        let checks = await SmokeTest(client: HTTPClient.shared, url: "http://127.0.0.1:1", model: nil, timeout: .seconds(1)).run()
        #expect(checks.allSatisfy { !$0.passed })
        #expect(checks.first { $0.name == "generate" }?.detail == "no model to try")
    }
}

/// `--sweep`: the rates it offers and the rate it reports.
struct SweepTests {
    static func step(rate: Double?, goodput: Double) -> Sweep.Step {
        let met = Int(goodput * 100)
        let results = (0..<100).map { index in
            RequestResult(intendedStart: Double(index), ttft: index < met ? 0.1 : 5, endToEnd: index < met ? 1 : 9)
        }
        return Sweep.Step(rate: rate, results: results, summary: LoadSummary(results: results, elapsed: 10, slo: SLO(ttft: .seconds(0.5))))
    }

    @Test func ratesAreEvenFractionsOfTheFlatOutRate() {
        #expect(Sweep(steps: 4).rates(maximum: 100) == [25, 50, 75, 100])
        #expect(Sweep(steps: 4).rates(maximum: 0) == [])
    }

    @Test func theHighestPassingStepWins() {
        let sweep = Sweep(steps: 3, goodputTarget: 0.95)
        let steps = [
            Self.step(rate: nil, goodput: 0.2), Self.step(rate: 10, goodput: 1), Self.step(rate: 20, goodput: 0.96),
            Self.step(rate: 30, goodput: 0.5),
        ]
        #expect(sweep.best(steps) == 20)
        #expect(sweep.best([Self.step(rate: 10, goodput: 0.9)]) == nil)
    }

    @Test func aSweepAgainstASimulatorReportsEveryStep() async throws {
        try await withSimulator { client, _ in
            let runner = try LoadRunner(
                target: LoadTarget(url: client.base, model: "llama3.2"),
                prompt: { _ in ("hi", 4) }
            )
            let steps = await runner.sweep(
                Sweep(steps: 2, concurrency: 4),
                step: .milliseconds(500),
                slo: SLO(e2e: .seconds(5)),
                warmup: 0,
                maxInFlight: 64,
                seed: 1
            )
            #expect(steps.count == 3)
            #expect(steps[0].rate == nil)
            #expect(steps[0].summary.requestThroughput > 0)
            // Each paced step reports its rate and a goodput; how high that goodput is depends on
            // how busy the shared machine is in a 0.5 s step, so only its presence is asserted.
            let paced = Array(steps.dropFirst())
            #expect(paced.allSatisfy { $0.summary.requests > 0 && $0.summary.goodput != nil })
            #expect((paced[0].rate ?? 0) > 0 && (paced[0].rate ?? 0) < (paced[1].rate ?? 0))
        }
    }
}
