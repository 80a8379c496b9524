import Foundation
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

/// Contention and speed changes over HTTP: what a client of the node sees. Lower bounds on the
/// wall clock only; exact values through the reported `eval_duration`.
@Suite(.timeLimit(.minutes(3)))
struct ContentionHTTPTests {
    /// 40 tokens at 200 tokens/s, no jitter: 0.2 s of decoding alone.
    static let request = #"{"model":"qwen2.5:0.5b","prompt":"same prompt","stream":false,"options":{"num_predict":40}}"#

    static func node(_ contention: Contention, numParallel: Int = 4) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration.testing
        configuration.limits.numParallel = numParallel
        configuration.models = configuration.models.map { model in
            var changed = model
            changed.decodeTokensPerSecond = 200
            changed.contention = contention
            return changed
        }
        return configuration
    }

    /// `eval_duration` of a whole answer, in seconds, and the answer's wall-clock time.
    static func generate(_ client: TestClient) async throws -> (eval: Double, wall: Double) {
        let start = ContinuousClock.now
        let answer = try await client.post("/api/generate", request)
        let wall = (ContinuousClock.now - start) / .seconds(1)
        #expect(answer.status == 200, "\(answer.text)")
        let json = try answer.json()
        #expect(json["eval_count"] == 40)
        return (Double(json["eval_duration"]?.intValue ?? 0) / 1e9, wall)
    }

    @Test func concurrentStreamsOnAGPUNodeEachDecodeSlowerThanOneAlone() async throws {
        try await withSimulator(Self.node(.gpu)) { client, _ in
            let alone = try await Self.generate(client)
            #expect(abs(alone.eval - 0.2) < 1e-6)
            let together = try await withThrowingTaskGroup(of: (eval: Double, wall: Double).self) { group in
                for _ in 0..<4 { group.addTask { try await Self.generate(client) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for run in together {
                // Each shared some tokens with others, so its gaps stretched by k / s(k) > 1; what it
                // reports was really slept.
                #expect(run.eval > alone.eval + 1e-6, "\(together) vs \(alone)")
                #expect(run.eval <= 0.2 * 4 / 1.79 + 1e-6, "\(together)")
                #expect(run.wall >= run.eval)
            }
        }
    }

    @Test func withoutContentionConcurrentRequestsKeepTodaysExactTiming() async throws {
        try await withSimulator(Self.node(.none)) { client, _ in
            let together = try await withThrowingTaskGroup(of: (eval: Double, wall: Double).self) { group in
                for _ in 0..<4 { group.addTask { try await Self.generate(client) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(together.allSatisfy { abs($0.eval - 0.2) < 1e-6 && $0.wall >= $0.eval }, "\(together)")
        }
    }

    @Test func theCapacityRouteChangesTheNodesSpeed() async throws {
        try await withSimulator(Self.node(.none)) { client, simulator in
            #expect(try await Self.factor(client) == 1)
            let before = try await Self.generate(client)
            let changed = try await client.post("/simulator/capacity", #"{"factor": 3}"#)
            #expect(changed.status == 200)
            #expect(try changed.json()["factor"]?.doubleValue == 3)
            #expect(try await Self.factor(client) == 3)
            #expect(simulator.load.factor == 3)
            let after = try await Self.generate(client)
            #expect(abs(after.eval - 3 * before.eval) < 1e-6, "\(after) vs \(before)")
            #expect(after.wall >= after.eval)
            #expect(try await client.post("/simulator/capacity", #"{"factor": 1}"#).status == 200)
            #expect(abs(try await Self.generate(client).eval - before.eval) < 1e-6)
        }
    }

    @Test func badCapacityValuesAreRefusedNamingTheField() async throws {
        try await withSimulator(Self.node(.none)) { client, _ in
            let cases: [(String, String)] = [
                (#"{"factor": 0}"#, "factor: must be a positive number (3 = three times slower, 1 = the configured speed), got 0.0"),
                (#"{"factor": -2}"#, "factor: must be a positive number (3 = three times slower, 1 = the configured speed), got -2.0"),
                (#"{}"#, #"factor is required: send {"factor": 3} to make the node three times slower"#),
                (
                    #"{"factor": "fast"}"#,
                    "json: cannot unmarshal string into Go struct field CapacityRequest.factor of type float64"
                ),
                ("", "missing request body"),
            ]
            for (body, message) in cases {
                let answer = try await client.post("/simulator/capacity", body)
                #expect(answer.status == 400, "\(body)")
                #expect(try answer.json() == ["error": .string(message)], "\(body): \(answer.text)")
            }
            #expect(try await Self.factor(client) == 1)
        }
    }

    @Test func aScheduledSlowdownAppliesFromItsTime() async throws {
        var configuration = Self.node(.none)
        configuration.faults.slowdowns = [Slowdown(after: .zero, factor: 2), Slowdown(after: .seconds(3600), factor: 5)]
        try await withSimulator(configuration) { client, _ in
            #expect(try await Self.factor(client) == 2)
            let run = try await Self.generate(client)
            #expect(abs(run.eval - 0.4) < 1e-6, "\(run)")
            #expect(run.wall >= run.eval)
        }
    }

    @Test func nothingTheNodeAnswersRevealsNumParallel() async throws {
        func answers(_ numParallel: Int) async throws -> [String: JSONValue] {
            try await withSimulator(Self.node(.gpu, numParallel: numParallel)) { client, _ in
                let generated = try await client.post("/api/generate", Self.request).json()
                var ps = try await client.get("/api/ps").json()
                ps = Self.dropping(["expires_at"], from: .object(ps)).objectValue ?? [:]
                let durations = ["total_duration", "load_duration", "created_at", "prompt_eval_duration", "eval_duration"]
                return [
                    "ps": .object(ps),
                    "tags": .object(try await client.get("/api/tags").json()),
                    "show": .object(try await client.post("/api/show", #"{"model":"qwen2.5:0.5b"}"#).json()),
                    "version": .object(try await client.get("/api/version").json()),
                    "models": .object(try await client.get("/v1/models").json()),
                    "generate": Self.dropping(durations, from: .object(generated)),
                ]
            }
        }
        let one = try await answers(1)
        let eight = try await answers(8)
        #expect(one == eight)
        #expect(!"\(one)".lowercased().contains("parallel"))
    }

    /// The factor `GET /simulator/capacity` answers.
    static func factor(_ client: TestClient) async throws -> Double? {
        let answer = try await client.get("/simulator/capacity")
        #expect(answer.status == 200)
        return try answer.json()["factor"]?.doubleValue
    }

    /// `value` without the keys that change from run to run (times).
    static func dropping(_ keys: [String], from value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var kept: JSONObject = [:]
            for (key, child) in object where !keys.contains(key) { kept[key] = dropping(keys, from: child) }
            return .object(kept)
        case .array(let items): return .array(items.map { dropping(keys, from: $0) })
        default: return value
        }
    }
}
