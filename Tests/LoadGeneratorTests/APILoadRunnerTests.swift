import Foundation
import LoadGenerator
import NodeSimulator
import TestHTTP
import Testing

/// `load --api anthropic|responses` against a simulated node whose timing is known exactly:
/// TTFT from the first content delta, one gap per token after it, counts from the answer's usage.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct APILoadRunnerTests {
    static func runner(_ base: String, api: LoadTarget.API, model: String = "llama3.2", stream: Bool = true) throws -> LoadRunner {
        try LoadRunner(
            target: LoadTarget(url: base, model: model, api: api, endpoint: .chat, stream: stream),
            prompt: { index in ("tell me about request \(index) in a few words", 20) }
        )
    }

    @Test(arguments: [LoadTarget.API.anthropic, .responses])
    func measuredTimingMatchesTheSimulatorsTruth(api: LoadTarget.API) async throws {
        try await withSimulator(LoadRunnerTests.knownTiming()) { client, _ in
            let (results, _) = try await Self.runner(client.base, api: api).run(
                .init(mode: .closed(concurrency: 1), duration: nil, requests: 8, warmup: 1)
            )
            #expect(results.count == 8)
            #expect(results.allSatisfy { $0.error == nil }, "\(results.map { "\($0.error.map(\.rawValue) ?? "ok") \($0.errorMessage ?? "")" })")
            #expect(results.allSatisfy { $0.outputTokens == 20 }, "\(results.map(\.outputTokens))")
            #expect(results.allSatisfy { ($0.promptTokens ?? 0) > 0 }, "\(results.map(\.promptTokens))")
            #expect(results.flatMap(\.gaps).count == 8 * 19)
            // Truth, as for the other APIs (LoadRunnerTests): the first token `prompt / 2000 + 10 ms`
            // after the send, the last one 19 tokens of 10 ms later; a measurement can be late, never early.
            let tolerance = 0.001
            for result in results {
                let firstToken = Double(result.promptTokens ?? 0) / 2000 + 0.010
                #expect((result.ttft ?? 0) >= firstToken - tolerance, "TTFT \(result.ttft ?? -1) before the truth \(firstToken)")
                let lastToken = (result.ttft ?? 0) + result.gaps.reduce(0, +)
                #expect(lastToken >= firstToken + 19 * 0.010 - tolerance, "last token at \(lastToken), truth \(firstToken + 0.19)")
            }
            #expect(results.allSatisfy { ($0.ttft ?? 0) + $0.gaps.reduce(0, +) <= $0.endToEnd + 1e-9 })
        }
    }

    @Test(arguments: [LoadTarget.API.anthropic, .responses])
    func aNonStreamedAnswerCountsItsUsage(api: LoadTarget.API) async throws {
        try await withSimulator(LoadRunnerTests.knownTiming(decode: 2000)) { client, _ in
            let (results, _) = try await Self.runner(client.base, api: api, stream: false).run(
                .init(mode: .closed(concurrency: 2), duration: nil, requests: 4)
            )
            #expect(results.allSatisfy { $0.error == nil && $0.ttft == nil && $0.gaps.isEmpty }, "\(results)")
            #expect(results.allSatisfy { $0.outputTokens == 20 && ($0.promptTokens ?? 0) > 0 }, "\(results.map(\.outputTokens))")
        }
    }

    @Test(arguments: [LoadTarget.API.anthropic, .responses])
    func anUnknownModelIsA4xxWithTheServersMessage(api: LoadTarget.API) async throws {
        try await withSimulator(LoadRunnerTests.knownTiming(decode: 2000)) { client, _ in
            let (results, _) = try await Self.runner(client.base, api: api, model: "no-such-model").run(
                .init(mode: .closed(concurrency: 1), duration: nil, requests: 2)
            )
            #expect(results.map(\.error) == [.http4xx, .http4xx])
            #expect(results.map(\.status) == [404, 404])
            #expect(results.allSatisfy { $0.errorMessage?.contains("no-such-model") == true }, "\(results.map(\.errorMessage))")
        }
    }

    @Test(arguments: [LoadTarget.API.anthropic, .responses])
    func anErrorEventInsideTheStreamIsABadResponseWithItsMessage(api: LoadTarget.API) async throws {
        var configuration = LoadRunnerTests.knownTiming(decode: 2000)
        configuration.faults.midStreamFailureRate = 1
        configuration.faults.midStreamFailureMode = .errorLine
        try await withSimulator(configuration) { client, _ in
            let (results, _) = try await Self.runner(client.base, api: api).run(.init(mode: .closed(concurrency: 2), duration: nil, requests: 4))
            #expect(results.allSatisfy { $0.error == .badResponse }, "\(results.map(\.error))")
            #expect(results.allSatisfy { !($0.errorMessage ?? "").isEmpty }, "\(results.map(\.errorMessage))")
        }
    }

    @Test func twoServersSideBySideOnTheMessagesAPI() async throws {
        let configuration = LoadRunnerTests.knownTiming(decode: 2000)
        try await withSimulator(configuration) { first, _ in
            try await withSimulator(configuration) { second, _ in
                let lanes = try [first, second].map { try Self.runner($0.base, api: .anthropic) }
                let (runs, _) = try await SideBySide(lanes: lanes).run(
                    .init(mode: .open(try OpenLoopSchedule(rate: 50)), duration: nil, requests: 6, warmup: 1)
                )
                #expect(runs.map(\.count) == [6, 6])
                #expect(runs.joined().allSatisfy { $0.error == nil && $0.outputTokens == 20 && $0.gaps.count == 19 })
                let summaries = runs.map { LoadSummary(results: $0, elapsed: 1) }
                let added = AddedLatency(summaries[1], over: summaries[0])
                #expect(added.itlP99 != nil && added.ttftP99 != nil)
                let table = AddedLatency.table(names: [first.base, second.base], summaries: summaries)
                #expect(table.contains("itl p99"))
            }
        }
    }
}
