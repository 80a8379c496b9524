import Crypto
import Foundation
import NIOHTTP1
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

/// `/api/blobs/:digest` and creating a model from uploaded files.
@Suite(.timeLimit(.minutes(3)))
struct BlobTests {
    static let content = "GGUF pretend weights"
    static var digest: String {
        "sha256:" + SHA256.hash(data: Data(content.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    @Test func blobsAreCheckedUploadedAndUsedByCreate() async throws {
        try await withSimulator { client, simulator in
            #expect(try await client.send(.HEAD, "/api/blobs/\(Self.digest)").status == 404)
            let wrong = try await client.post("/api/blobs/\(Self.digest)", "other bytes")
            #expect(wrong.status == 400)
            #expect(try wrong.json()["error"]?.stringValue?.hasPrefix("digest mismatch, expected \"\(Self.digest)\"") == true)
            let missing = try await client.post(
                "/api/create",
                #"{"model":"local","files":{"model.gguf":""# + Self.digest + #""},"stream":false}"#
            )
            #expect(missing.status == 400)
            let upload = try await client.post("/api/blobs/\(Self.digest)", Self.content)
            #expect(upload.status == 201)
            #expect(try await client.send(.HEAD, "/api/blobs/\(Self.digest)").status == 200)
            #expect(try await client.send(.HEAD, "/api/blobs/sha256:123").status == 400)
            let created = try await client.post(
                "/api/create",
                #"{"model":"local","files":{"model.gguf":""# + Self.digest + #""},"stream":false}"#
            )
            #expect(try created.json()["status"] == "success")
            #expect(await simulator.store.find("local") != nil)
        }
    }
}
