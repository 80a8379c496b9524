import Foundation
import LocalCluster
import NIOHTTP1
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

@testable import Gateway

/// Aggregated views, model management across nodes, and the status endpoint.
@Suite(.timeLimit(.minutes(3)))
struct GatewayViewTests {
    @Test func tagsAndModelsAreTheUnionOverNodes() async throws {
        let nodes = [fastNode(models: ["llama3.2:latest"]), fastNode(models: ["llama3.2:latest", "qwen3:4b"])]
        try await withCluster(nodes) { client, _ in
            let tags = try await client.get("/api/tags").decode(ListResponse.self)
            #expect(tags.models.map(\.name).sorted() == ["llama3.2:latest", "qwen3:4b"])
            let models = try await client.get("/v1/models").decode(OpenAIModelList.self)
            #expect(models.data.map(\.id) == ["llama3.2:latest", "qwen3:4b"])
            let head = try await client.send(.HEAD, "/api/tags")
            #expect(head.status == 200)
            let one = try await client.get("/v1/models/qwen3:4b").decode(OpenAIModel.self)
            #expect(one.id == "qwen3:4b")
        }
    }

    @Test func psListsEveryNodesModelsTaggedWithTheNode() async throws {
        try await withCluster([fastNode(), fastNode()], configure: { $0.strategy = .roundRobin }) { client, _ in
            for _ in 0..<2 {
                _ = try await client.post("/api/generate", #"{"model":"llama3.2"}"#)
            }
            let ps = try await client.get("/api/ps").json()
            let entries = ps["models"]?.arrayValue?.compactMap { $0.objectValue } ?? []
            #expect(entries.count == 2)
            #expect(Set(entries.compactMap { $0["ollamamax_node"]?.stringValue }) == ["sim-0", "sim-1"])
            #expect(entries.allSatisfy { $0["name"] == "llama3.2:latest" && $0["expires_at"] != nil })
            // Clients that do not know the extra field still decode the entries.
            #expect(try await client.get("/api/ps").decode(ProcessResponse.self).models.count == 2)
        }
    }

    @Test func versionIsTheLowestAmongNodes() async throws {
        var old = fastNode()
        old.version = "0.9.10"
        var new = fastNode()
        new.version = "0.12.6"
        try await withCluster([new, old]) { client, _ in
            let version = try await client.get("/api/version").json()
            #expect(version["version"] == "0.9.10")
            let root = try await client.get("/")
            #expect(root.text == "Ollama is running")
        }
    }

    @Test func pullGoesToEveryNodeWithOneMergedProgressStream() async throws {
        try await withCluster([fastNode(), fastNode()]) { client, cluster in
            let answer = try await client.post("/api/pull", #"{"model":"mistral:7b"}"#)
            #expect(answer.headers.first(name: "content-type") == "application/x-ndjson")
            #expect(answer.node == "sim-0,sim-1")
            let lines = try answer.lines()
            #expect(lines.first?["status"] == "pulling manifest")
            #expect(lines.filter { $0["status"] == "pulling manifest" }.count == 1)
            #expect(lines.last?["status"] == "success")
            let size = try #require(SimulatedModel.registry.first { $0.name == "mistral:7b" }?.sizeBytes)
            let progress = lines.filter { $0["total"] != nil }
            #expect(progress.last?["total"] == .int(2 * size))
            #expect(progress.last?["completed"] == .int(2 * size))
            for simulator in cluster.simulators {
                #expect(await simulator.store.find("mistral:7b") != nil)
            }
            // Routing sees the new model at once.
            let snapshot = cluster.gateway.pool.snapshot()
            #expect(snapshot.allSatisfy { $0.models.contains("mistral:7b") })
            let generate = try await client.post(
                "/api/generate",
                #"{"model":"mistral:7b","prompt":"x","stream":false,"options":{"num_predict":1}}"#
            )
            #expect(generate.status == 200)
        }
    }

    @Test func pullReplicasLimitTheNodesAndFailuresAreReported() async throws {
        try await withCluster([fastNode(), fastNode(), fastNode()], configure: { $0.pullReplicas = 2 }) { client, cluster in
            let whole = try await client.post("/api/pull", #"{"model":"phi3:mini","stream":false}"#)
            #expect(try whole.json()["status"] == "success")
            var holders = 0
            for simulator in cluster.simulators where await simulator.store.find("phi3:mini") != nil { holders += 1 }
            #expect(holders == 2)
            let failed = try await client.post("/api/pull", #"{"model":"nonexistent:1b"}"#).lines()
            let error = try #require(failed.last?["error"]?.stringValue)
            #expect(error.contains("pull model manifest: file does not exist"))
        }
    }

    @Test func deleteAndCopyActOnEveryHolder() async throws {
        try await withCluster([fastNode(), fastNode(), fastNode(models: ["qwen3:4b"])]) { client, cluster in
            let copy = try await client.post("/api/copy", #"{"source":"llama3.2","destination":"backup"}"#)
            #expect(copy.status == 200)
            #expect(copy.node == "sim-0,sim-1")
            #expect(await cluster.simulators[2].store.find("backup") == nil)
            let delete = try await client.send(.DELETE, "/api/delete", #"{"model":"backup"}"#)
            #expect(delete.status == 200)
            for simulator in cluster.simulators { #expect(await simulator.store.find("backup") == nil) }
            let again = try await client.send(.DELETE, "/api/delete", #"{"model":"backup"}"#)
            #expect(again.status == 404)
            #expect(try again.json()["error"] == "model 'backup' not found")
            let missing = try await client.post("/api/copy", #"{"source":"ghost","destination":"x"}"#)
            #expect(missing.status == 404)
        }
    }

    @Test func createRunsWhereTheBaseModelIs() async throws {
        try await withCluster([fastNode(models: ["qwen3:4b"]), fastNode()]) { client, cluster in
            let answer = try await client.post("/api/create", #"{"model":"mario","from":"llama3.2","stream":false}"#)
            #expect(try answer.json()["status"] == "success")
            #expect(await cluster.simulators[0].store.find("mario") == nil)
            #expect(await cluster.simulators[1].store.find("mario") != nil)
        }
    }

    @Test func theNodesEndpointReportsStateAndLoad() async throws {
        try await withCluster([fastNode(), fastNode(models: ["qwen3:4b"])]) { client, _ in
            _ = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"x","stream":false}"#)
            let report = try await client.get("/ollamamax/nodes").decode(NodesReport.self)
            #expect(report.strategy == .modelAware)
            #expect(report.nodes.map(\.node.id) == ["sim-0", "sim-1"])
            #expect(report.nodes.allSatisfy { $0.node.state == .healthy && $0.version == "0.32.15" })
            #expect(report.nodes[0].requests == 1)
            #expect(report.nodes[0].node.resident == ["llama3.2:latest"])
            #expect(report.nodes[1].node.models == ["qwen3:4b"])
        }
    }

    @Test func unreachableNodesAreReportedUnhealthyAndSkipped() async throws {
        try await withCluster(
            [fastNode()],
            configure: {
                // Port 9 (discard) on loopback: nothing listens, connections are refused at once.
                $0.nodes.append(NodeEndpoint(id: "dead", url: "http://127.0.0.1:9"))
            }
        ) { client, cluster in
            let dead = try #require(cluster.gateway.pool.status().first { $0.node.id == "dead" })
            #expect(dead.node.state == .unhealthy)
            #expect(dead.lastError?.hasPrefix("probe failed") == true)
            for _ in 0..<4 {
                let answer = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"x","stream":false}"#)
                #expect(answer.node == "sim-0")
            }
        }
    }
}
