import Foundation
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

/// `options` of the wrong type are refused as Ollama refuses them: its `Options.FromMap` text, in
/// a 500 (its handlers send that error through `handleScheduleError`'s default case), on every
/// route that takes options.
@Suite(.timeLimit(.minutes(3)))
struct OptionTypeTests {
    /// A request body for each route that takes `options`, with `%@` where the options go.
    static let routes: [(path: String, body: String)] = [
        ("/api/generate", #"{"model":"llama3.2","prompt":"hi","stream":false,"options":%@}"#),
        ("/api/chat", #"{"model":"llama3.2","messages":[{"role":"user","content":"hi"}],"stream":false,"options":%@}"#),
        ("/api/embed", #"{"model":"nomic-embed-text","input":"hi","options":%@}"#),
        ("/api/embeddings", #"{"model":"nomic-embed-text","prompt":"hi","options":%@}"#),
    ]

    /// One wrong value per Go type of option, and Ollama's answer to it.
    static let wrongValues: [(options: String, error: String)] = [
        (#"{"num_predict":"many"}"#, #"option "num_predict" must be of type integer"#),
        (#"{"main_gpu":true}"#, #"option "main_gpu" must be of type integer"#),
        (#"{"temperature":"hot"}"#, #"option "temperature" must be of type float32"#),
        (#"{"use_mmap":1}"#, #"option "use_mmap" must be of type boolean"#),
        (#"{"stop":"\n"}"#, #"option "stop" must be of type array"#),
        (#"{"stop":["a",1]}"#, #"option "stop" must be of an array of strings"#),
    ]

    @Test(arguments: wrongValues)
    func aWrongTypeIsA500WithOllamasTextOnEveryRoute(options: String, error: String) async throws {
        try await withSimulator { client, _ in
            for route in Self.routes {
                let result = try await client.post(route.path, route.body.replacingOccurrences(of: "%@", with: options))
                #expect(result.status == 500, "\(route.path) \(options)")
                #expect(result.contentType == "application/json; charset=utf-8", "\(route.path)")
                #expect(result.text == #"{"error":"# + String(decoding: try JSONEncoder().encode(error), as: UTF8.self) + "}")
            }
        }
    }

    @Test func rightTypesUnknownKeysAndNullsAreAccepted() async throws {
        let options = #"{"num_predict":5,"temperature":1,"top_p":0.9,"use_mmap":false,"stop":["\n"],"seed":null,"mirostat":"x"}"#
        try await withSimulator { client, _ in
            for route in Self.routes {
                let result = try await client.post(route.path, route.body.replacingOccurrences(of: "%@", with: options))
                #expect(result.status == 200, "\(route.path): \(result.text)")
            }
        }
    }

    @Test func anIntegerOptionGivenAsAFractionIsTruncated() async throws {
        try await withSimulator { client, _ in
            let body = #"{"model":"llama3.2","prompt":"hi","stream":false,"options":{"num_predict":3.9}}"#
            let result = try await client.post("/api/generate", body)
            #expect(result.status == 200)
            #expect(try result.json()["eval_count"] == 3)
            #expect(try result.json()["done_reason"] == "length")
        }
    }

    @Test func optionsAreCheckedAfterCapabilitiesAndOnLoadButNotOnUnload() async throws {
        try await withSimulator { client, _ in
            let bad = #""options":{"num_predict":"many"}"#
            let unload = try await client.post("/api/generate", #"{"model":"llama3.2","keep_alive":0,"# + bad + "}")
            #expect(unload.status == 200)
            #expect(try unload.json()["done_reason"] == "unload")
            let load = try await client.post("/api/chat", #"{"model":"llama3.2","# + bad + "}")
            #expect(load.status == 500)
            let capability = try await client.post("/api/generate", #"{"model":"nomic-embed-text","prompt":"x","# + bad + "}")
            #expect(capability.status == 400)
            #expect(try capability.json()["error"] == #""nomic-embed-text" does not support generate"#)
        }
    }
}
