import Crypto
import Foundation
import LocalCluster
import NIOHTTP1
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

@testable import Gateway

/// Blobs go to every node, so a model created from files can be served anywhere.
@Suite(.timeLimit(.minutes(3)))
struct GatewayBlobTests {
    static let content = String(repeating: "weights ", count: 300_000)
    static var digest: String {
        "sha256:" + SHA256.hash(data: Data(content.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    @Test func uploadsReachEveryNodeAndCreateUsesThem() async throws {
        try await withCluster([fastNode(), fastNode()]) { client, cluster in
            #expect(try await client.send(.HEAD, "/api/blobs/\(Self.digest)").status == 404)
            let wrong = try await client.post("/api/blobs/\(Self.digest)", "not it")
            #expect(wrong.status == 400)
            #expect(try wrong.json()["error"]?.stringValue?.hasPrefix("digest mismatch") == true)
            let upload = try await client.post("/api/blobs/\(Self.digest)", Self.content)
            #expect(upload.status == 201)
            #expect(upload.node == "sim-0,sim-1")
            for simulator in cluster.simulators { #expect(await simulator.store.hasBlob(Self.digest)) }
            #expect(try await client.send(.HEAD, "/api/blobs/\(Self.digest)").status == 200)
            let created = try await client.post(
                "/api/create",
                #"{"model":"local","files":{"model.gguf":""# + Self.digest + #""}}"#
            )
            #expect(try created.lines().last?["status"] == "success")
            for simulator in cluster.simulators { #expect(await simulator.store.find("local") != nil) }
        }
    }
}
