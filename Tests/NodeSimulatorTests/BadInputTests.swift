import Foundation
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

/// Bad requests get the status codes and `{"error": ...}` bodies a real Ollama gives.
@Suite(.timeLimit(.minutes(3)))
struct BadInputTests {
    static let inferencePaths = ["/api/generate", "/api/chat", "/api/embed", "/api/embeddings", "/api/show", "/api/pull"]

    @Test func emptyBodiesAreMissingRequestBodies() async throws {
        try await withSimulator { client, _ in
            for path in Self.inferencePaths {
                let result = try await client.post(path, "")
                #expect(result.status == 400, "\(path)")
                #expect(try result.json()["error"] == "missing request body", "\(path)")
            }
        }
    }

    @Test func malformedJSONGetsGoSyntaxErrors() async throws {
        try await withSimulator { client, _ in
            for path in Self.inferencePaths {
                let garbage = try await client.post(path, "hello")
                #expect(garbage.status == 400)
                #expect(try garbage.json()["error"] == "invalid character 'h' looking for beginning of value")
                let truncated = try await client.post(path, #"{"model":"llama3.2","prompt":"#)
                #expect(truncated.status == 400)
                #expect(try truncated.json()["error"] == "unexpected EOF")
            }
            let array = try await client.post("/api/generate", "[1]")
            #expect(try array.json()["error"] == "json: cannot unmarshal array into Go value of type api.GenerateRequest")
        }
    }

    @Test func wrongTypesNameTheField() async throws {
        try await withSimulator { client, _ in
            let model = try await client.post("/api/generate", #"{"model":5,"prompt":"x"}"#)
            #expect(model.status == 400)
            #expect(try model.json()["error"] == "json: cannot unmarshal number into Go struct field GenerateRequest.model of type string")
            let stream = try await client.post("/api/chat", #"{"model":"llama3.2","stream":"yes","messages":[]}"#)
            #expect(try stream.json()["error"] == "json: cannot unmarshal string into Go struct field ChatRequest.stream of type bool")
            let keepAlive = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"x","keep_alive":"soon"}"#)
            #expect(keepAlive.status == 400)
            #expect(try keepAlive.json()["error"] == "time: invalid duration \"soon\"")
        }
    }

    @Test func missingModelsGetOllamasPerEndpointAnswers() async throws {
        try await withSimulator { client, _ in
            let cases: [(String, String, Int, String)] = [
                ("/api/generate", #"{"prompt":"x"}"#, 404, "model '' not found"),
                ("/api/chat", #"{"messages":[]}"#, 400, "model is required"),
                ("/api/embed", #"{"input":"x"}"#, 404, "model '' not found"),
                ("/api/embeddings", #"{"prompt":"x"}"#, 400, "model is required"),
                ("/api/show", #"{}"#, 400, "model is required"),
                ("/api/generate", #"{"model":"ghost","prompt":"x"}"#, 404, "model 'ghost' not found"),
                ("/api/chat", #"{"model":"ghost","messages":[]}"#, 404, "model 'ghost' not found"),
                ("/api/embed", #"{"model":"ghost","input":"x"}"#, 404, "model \"ghost\" not found, try pulling it first"),
                ("/api/embeddings", #"{"model":"ghost","prompt":"x"}"#, 404, "model \"ghost\" not found, try pulling it first"),
            ]
            for (path, body, status, message) in cases {
                let result = try await client.post(path, body)
                #expect(result.status == status, "\(path) \(body)")
                #expect(try result.json()["error"]?.stringValue == message, "\(path) \(body)")
                #expect(result.contentType == "application/json; charset=utf-8")
            }
        }
    }

    @Test func embeddingModelsCannotGenerate() async throws {
        try await withSimulator { client, _ in
            let result = try await client.post("/api/generate", #"{"model":"nomic-embed-text","prompt":"x"}"#)
            #expect(result.status == 400)
            #expect(try result.json()["error"] == "\"nomic-embed-text\" does not support generate")
        }
    }

    @Test func oversizedBodiesGet413() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.maxBodyBytes = 1024
        try await withSimulator(configuration) { client, _ in
            let prompt = String(repeating: "a", count: 2048)
            let result = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":""# + prompt + #""}"#)
            #expect(result.status == 413)
            #expect(try result.json()["error"] == "request body too large (limit 1024 bytes)")
            let openAI = try await client.post("/v1/completions", #"{"model":"llama3.2","prompt":""# + prompt + #""}"#)
            #expect(openAI.status == 413)
            #expect(try openAI.decode(OpenAIErrorResponse.self).error.type == "api_error")
            // The node still serves after refusing.
            #expect(try await client.get("/api/version").status == 200)
        }
    }

    @Test func truncateFalseRefusesInputsLongerThanTheContext() async throws {
        var configuration = SimulatorConfiguration.testing
        configuration.models[3].contextLength = 8
        try await withSimulator(configuration) { client, _ in
            let long = String(repeating: "word ", count: 20)
            let refused = try await client.post("/api/embed", #"{"model":"nomic-embed-text","truncate":false,"input":""# + long + #""}"#)
            #expect(refused.status == 400)
            let truncated = try await client.post("/api/embed", #"{"model":"nomic-embed-text","input":""# + long + #""}"#)
            #expect(try truncated.decode(EmbedResponse.self).promptEvalCount == 8)
        }
    }
}
