import AsyncHTTPClient
import Foundation
import NIOCore
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

/// Queueing like Ollama, and seeded fault injection.
@Suite(.timeLimit(.minutes(3)))
struct CapacityAndFaultTests {
    @Test func aFullQueueAnswers503AtOnce() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.limits.numParallel = 1
        configuration.limits.maxQueue = 1
        configuration.models[1].decodeTokensPerSecond = 5
        try await withSimulator(configuration) { client, simulator in
            // One request holds the only slot (5 tokens/s, 500 tokens), a second waits in the queue.
            // Streaming, so each ends at its next token once its client is cancelled below.
            let slow = #"{"model":"qwen2.5:0.5b","prompt":"x","options":{"num_predict":500}}"#
            let holder = Task { try await client.post("/api/generate", slow, timeout: .seconds(300)) }
            await yieldUntil("the first request holds the model") { await simulator.scheduler.residents().first?.active == 1 }
            let waiter = Task { try await client.post("/api/generate", slow, timeout: .seconds(300)) }
            await yieldUntil("the second request is queued") { await simulator.scheduler.pendingCount() >= 1 }
            let refused = try await client.post("/api/generate", slow)
            #expect(refused.status == 503)
            #expect(try refused.json()["error"] == "server busy, please try again.  maximum pending requests exceeded")
            let openAI = try await client.post("/v1/completions", #"{"model":"qwen2.5:0.5b","prompt":"x"}"#)
            #expect(openAI.status == 503)
            #expect(try openAI.decode(OpenAIErrorResponse.self).error.type == "api_error")
            // The two admitted requests are still running; cancelling their clients ends them.
            holder.cancel()
            waiter.cancel()
            _ = try? await holder.value
            _ = try? await waiter.value
        }
    }

    @Test func errorRateOneFailsEveryInferenceButNotProbes() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.faults.errorRate = 1
        try await withSimulator(configuration) { client, _ in
            let failed = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"x"}"#)
            #expect(failed.status == 500)
            #expect(try failed.json()["error"] == "simulated failure: the model runner crashed")
            #expect(try await client.get("/").status == 200)
            #expect(try await client.get("/api/tags").status == 200)
        }
    }

    @Test func midStreamFailureEndsTheStreamWithAnErrorLine() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.faults.midStreamFailureRate = 1
        try await withSimulator(configuration) { client, _ in
            let result = try await client.post(
                "/api/generate",
                #"{"model":"llama3.2","prompt":"x","options":{"num_predict":10}}"#
            )
            #expect(result.status == 200)
            let lines = try result.lines()
            #expect(lines.count == 6)
            #expect(lines.dropLast().allSatisfy { $0["done"] == false })
            #expect(lines.last?["error"]?.stringValue?.contains("simulated failure") == true)
            let whole = try await client.post(
                "/api/chat",
                #"{"model":"llama3.2","stream":false,"messages":[{"role":"user","content":"x"}]}"#
            )
            #expect(whole.status == 500)
            let sse = try await client.post(
                "/v1/chat/completions",
                #"{"model":"llama3.2","stream":true,"max_tokens":4,"messages":[{"role":"user","content":"x"}]}"#
            ).events()
            #expect(sse.last?.contains("simulated failure") == true)
            #expect(!sse.contains("[DONE]"))
        }
    }

    @Test func midStreamDropClosesTheConnection() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.faults.midStreamFailureRate = 1
        configuration.faults.midStreamFailureMode = .dropConnection
        try await withSimulator(configuration) { client, _ in
            do {
                let result = try await client.post(
                    "/api/generate",
                    #"{"model":"llama3.2","prompt":"x","options":{"num_predict":10}}"#
                )
                Issue.record("a dropped connection must fail the read, got \(result.status): \(result.text)")
            } catch {
                // The body ended without its final chunk: the client sees a broken connection.
            }
            let version = try await client.get("/api/version")
            #expect(version.status == 200)
        }
    }

    @Test func hangingRequestsNeverAnswer() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.faults.hangRate = 1
        try await withSimulator(configuration) { client, _ in
            do {
                let result = try await client.post(
                    "/api/generate",
                    #"{"model":"llama3.2","prompt":"x"}"#,
                    timeout: .milliseconds(300)
                )
                Issue.record("a hanging request must not answer, got \(result.status)")
            } catch let error as HTTPClientError {
                #expect(error == .deadlineExceeded)
            }
            let tags = try await client.get("/api/tags")
            #expect(tags.status == 200)
        }
    }

    @Test func faultDrawsRepeatForTheSameSeed() {
        let configuration = FaultConfiguration(
            errorRate: 0.2,
            midStreamFailureRate: 0.1,
            latencySpikeRate: 0.3,
            hangRate: 0.05,
            seed: 99
        )
        let first = (1...2000).map { FaultInjector.decide(configuration, requestIndex: $0) }
        let second = (1...2000).map { FaultInjector.decide(configuration, requestIndex: $0) }
        #expect(first == second)
        var other = configuration
        other.seed = 100
        #expect((1...2000).map { FaultInjector.decide(other, requestIndex: $0) } != first)
        // The shares follow the rates (binomial, n = 2000: these bounds are over 5 standard deviations wide).
        let errors = first.filter(\.failBeforeStart).count
        let spikes = first.filter { $0.extraDelay > .zero }.count
        #expect((300...500).contains(errors))
        #expect((490...710).contains(spikes))
        #expect(FaultInjector.decide(FaultConfiguration(), requestIndex: 1) == .none)
    }

    @Test func latencySpikesDelayTheFirstToken() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.faults.latencySpikeRate = 1
        configuration.faults.latencySpike = .milliseconds(200)
        try await withSimulator(configuration) { client, _ in
            let result = try await client.post(
                "/api/generate",
                #"{"model":"llama3.2","prompt":"x","stream":false,"options":{"num_predict":2}}"#
            ).json()
            // The spike is part of the total but not of the model's own durations.
            let total = try #require(result["total_duration"]?.intValue)
            #expect(total >= 200_000_000)
            #expect(result["eval_duration"] == 1_000_000)
        }
    }
}
