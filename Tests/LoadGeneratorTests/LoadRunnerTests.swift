import AsyncHTTPClient
import Foundation
import LoadGenerator
import NodeSimulator
import Synchronization
import TestHTTP
import Testing

/// The load generator against a simulated node whose timing is known exactly.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct LoadRunnerTests {
    /// One model, no jitter, no load time: the first token comes `prompt/prefill + 1/decode`
    /// after the request, then one token every `1/decode` seconds.
    static func knownTiming(decode: Double = 100, prefill: Double = 2000) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration.testing
        configuration.models = configuration.models.filter { $0.name == "llama3.2:latest" }.map { model in
            var timed = model
            timed.decodeTokensPerSecond = decode
            timed.prefillTokensPerSecond = prefill
            timed.minOutputTokens = 20
            timed.maxOutputTokens = 20
            return timed
        }
        configuration.limits.numParallel = 8
        return configuration
    }

    static func runner(_ client: TestClient, stream: Bool = true) throws -> LoadRunner {
        try LoadRunner(
            target: LoadTarget(url: client.base, model: "llama3.2", stream: stream),
            prompt: { index in ("tell me about request \(index) in a few words", 20) }
        )
    }

    @Test func measuredTimingMatchesTheSimulatorsTruth() async throws {
        try await withSimulator(Self.knownTiming()) { client, _ in
            let (results, _) = try await Self.runner(client).run(.init(mode: .closed(concurrency: 1), duration: nil, requests: 12, warmup: 1))
            #expect(results.count == 12)
            #expect(results.allSatisfy { $0.error == nil }, "\(results.compactMap(\.error))")
            #expect(results.allSatisfy { $0.outputTokens == 20 })
            let gaps = results.flatMap(\.gaps)
            #expect(gaps.count == 12 * 19)
            // Truth: the first token `prompt_eval_count / 2000 + 10 ms` after the send, the last one
            // 19 tokens of 10 ms later. A measurement can be late (a loaded machine) but never early,
            // so only lower bounds are asserted: no upper bound on wall time can hold on a busy CI
            // machine. The first token plus every gap is when the last token arrived.
            let tolerance = 0.001
            for result in results {
                let firstToken = Double(result.promptTokens ?? 0) / 2000 + 0.010
                #expect((result.ttft ?? 0) >= firstToken - tolerance, "TTFT \(result.ttft ?? -1) before the truth \(firstToken)")
                let lastToken = (result.ttft ?? 0) + result.gaps.reduce(0, +)
                #expect(lastToken >= firstToken + 19 * 0.010 - tolerance, "last token at \(lastToken), truth \(firstToken + 0.19)")
            }
            // The first token, the gaps and the final line fit inside the request's own time.
            #expect(results.allSatisfy { ($0.ttft ?? 0) + $0.gaps.reduce(0, +) <= $0.endToEnd + 1e-9 })
        }
    }

    @Test func openLoopLatencyCountsFromThePlannedSendTime() async throws {
        try await withSimulator(Self.knownTiming(decode: 2000)) { client, _ in
            let schedule = try OpenLoopSchedule(rate: 50, arrivals: .constant)
            let (results, _) = try await Self.runner(client).run(.init(mode: .open(schedule), duration: nil, requests: 20))
            #expect(results.count == 20)
            let planned = results.map(\.intendedStart).sorted()
            for (index, start) in planned.enumerated() { #expect(abs(start - Double(index) / 50) < 1e-9) }
            #expect(results.allSatisfy { $0.actualStart >= $0.intendedStart && $0.endToEnd >= ($0.ttft ?? 0) })
        }
    }

    @Test func failuresAreCountedByKind() async throws {
        let unreachable = try LoadRunner(
            target: LoadTarget(url: "http://127.0.0.1:1", model: "m", timeout: .seconds(5)),
            prompt: { _ in ("x", 1) }
        )
        let (refused, _) = await unreachable.run(.init(mode: .closed(concurrency: 2), duration: nil, requests: 4))
        #expect(refused.count == 4)
        #expect(refused.allSatisfy { $0.error == .connect })
        try await withSimulator(Self.knownTiming()) { client, _ in
            let missing = try LoadRunner(
                target: LoadTarget(url: client.base, model: "no-such-model"),
                prompt: { _ in ("x", 1) }
            )
            let (results, _) = await missing.run(.init(mode: .closed(concurrency: 1), duration: nil, requests: 2))
            #expect(results.map(\.error) == [.http4xx, .http4xx])
            #expect(results.map(\.status) == [404, 404])
        }
    }

    @Test func everyClientSendsOneRequestEvenWhenTheDurationIsOverBeforeItStarts() async throws {
        // A zero duration is over before any client starts, as a short run on a loaded machine can be.
        try await withSimulator(Self.knownTiming(decode: 2000)) { client, _ in
            let (results, _) = try await Self.runner(client).run(.init(mode: .closed(concurrency: 3), duration: .seconds(0), requests: nil))
            #expect(results.count == 3)
            #expect(results.allSatisfy { $0.error == nil }, "\(results.compactMap(\.error))")
        }
    }

    @Test func aStopEndsTheRunWithWhatFinished() async throws {
        try await withSimulator(Self.knownTiming(decode: 2000)) { client, _ in
            let (results, _) = try await Self.runner(client).run(
                .init(mode: .closed(concurrency: 2), duration: .seconds(60), requests: nil),
                stop: { true }
            )
            #expect(results.isEmpty)
        }
    }
}

/// How the open loop paces, caps and ends its sends.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct LoadPacingTests {
    @Test func theInFlightCapHoldsAndLateSendsReportTheirLag() async throws {
        // 200 ms answers planned 10 ms apart: with two in flight, sends fall behind the plan.
        try await withSimulator(LoadRunnerTests.knownTiming(decode: 100)) { client, _ in
            let schedule = try OpenLoopSchedule(rate: 100)
            let (results, _) = try await LoadRunnerTests.runner(client).run(
                .init(mode: .open(schedule), duration: nil, requests: 6, maxInFlight: 2)
            )
            #expect(results.count == 6)
            #expect(results.allSatisfy { $0.error == nil }, "\(results.compactMap(\.error))")
            // A request occupies [actualStart, intendedStart + endToEnd]; no instant has three.
            let spans = results.map { ($0.actualStart, $0.intendedStart + $0.endToEnd) }
            for (start, _) in spans {
                #expect(spans.filter { $0.0 <= start && start < $0.1 }.count <= 2)
            }
            let lags = results.map { $0.actualStart - $0.intendedStart }.sorted()
            #expect(lags.last! > 0.1, "the last sends waited for a free slot: lags \(lags)")
        }
    }

    @Test func aStopMidRunEndsTheOpenLoopWithWhatFinished() async throws {
        try await withSimulator(LoadRunnerTests.knownTiming(decode: 2000)) { client, _ in
            let sent = Atomic<Int>(0)
            let runner = try LoadRunner(
                target: LoadTarget(url: client.base, model: "llama3.2", stream: false),
                prompt: { _ in
                    sent.add(1, ordering: .relaxed)
                    return ("hi", 2)
                }
            )
            // Planned: 20 a second for a minute. The stop comes after the fifth send.
            let (results, _) = await runner.run(
                .init(mode: .open(try OpenLoopSchedule(rate: 20)), duration: .seconds(60), requests: nil),
                stop: { sent.load(ordering: .relaxed) >= 5 }
            )
            #expect(results.count >= 5 && results.count < 1200)
            #expect(results.count == sent.load(ordering: .relaxed))
            #expect(results.allSatisfy { $0.error == nil }, "\(results.compactMap(\.error))")
        }
    }

    @Test func cancellingTheRunEndsRequestsInFlightAsCancelled() async throws {
        try await withSimulator(LoadFaultTests.faulty { $0.hangRate = 1 }) { client, _ in
            let (sends, sent) = AsyncStream.makeStream(of: Void.self)
            let runner = try LoadRunner(
                target: LoadTarget(url: client.base, model: "llama3.2", timeout: .seconds(60)),
                prompt: { _ in
                    sent.yield()
                    return ("hi", 2)
                }
            )
            let run = Task { await runner.run(.init(mode: .closed(concurrency: 2), duration: nil, requests: 2)).results }
            var iterator = sends.makeAsyncIterator()
            _ = await iterator.next()
            _ = await iterator.next()
            run.cancel()
            let results = await run.value
            #expect(results.map(\.error) == [.cancelled, .cancelled])
        }
    }
}

/// Faults a real server can have, counted by kind and never hanging the run.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct LoadFaultTests {
    static func faulty(_ configure: (inout FaultConfiguration) -> Void) -> SimulatorConfiguration {
        var configuration = LoadRunnerTests.knownTiming(decode: 2000)
        configure(&configuration.faults)
        return configuration
    }

    static func run(_ client: TestClient, timeout: Duration = .seconds(30)) async throws -> [RequestResult] {
        let runner = try LoadRunner(
            target: LoadTarget(url: client.base, model: "llama3.2", timeout: timeout),
            prompt: { _ in ("hi", 20) }
        )
        return await runner.run(.init(mode: .closed(concurrency: 2), duration: nil, requests: 4)).results
    }

    @Test func aHangingServerIsATimeout() async throws {
        try await withSimulator(Self.faulty { $0.hangRate = 1 }) { client, _ in
            // 2 s, not less: the budget covers the connect too, and on a machine busy with the
            // whole suite a connect has taken over 500 ms (counted as `connect`, not `timeout`).
            let results = try await Self.run(client, timeout: .seconds(2))
            #expect(results.map(\.error) == [.timeout, .timeout, .timeout, .timeout])
        }
    }

    @Test func aStreamThatStopsMidwayIsBroken() async throws {
        try await withSimulator(
            Self.faulty {
                $0.midStreamFailureRate = 1
                $0.midStreamFailureMode = .dropConnection
            }
        ) { client, _ in
            let results = try await Self.run(client)
            #expect(results.allSatisfy { $0.error == .streamBroken }, "\(results.map(\.error))")
        }
    }

    @Test func anErrorLineInsideTheStreamIsABadResponse() async throws {
        try await withSimulator(
            Self.faulty {
                $0.midStreamFailureRate = 1
                $0.midStreamFailureMode = .errorLine
            }
        ) { client, _ in
            let results = try await Self.run(client)
            #expect(results.allSatisfy { $0.error == .badResponse }, "\(results.map(\.error))")
        }
    }

    @Test func serverErrorsAre5xx() async throws {
        try await withSimulator(Self.faulty { $0.errorRate = 1 }) { client, _ in
            let results = try await Self.run(client)
            #expect(results.allSatisfy { $0.error == .http5xx }, "\(results.map(\.error))")
        }
    }
}
