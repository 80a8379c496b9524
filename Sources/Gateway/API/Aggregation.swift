import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import OllamaAPI

/// The views that cover every node: model lists, running models, version.
struct Aggregation: Sendable {
    let client: HTTPClient
    let pool: NodePool
    let timeout: Duration
    let logger: Logger

    /// `GET path` on every node that is up, concurrently; nodes that fail are left out.
    func fanOut(_ path: String) async -> [(node: String, body: JSONObject)] {
        let nodes = pool.snapshot().filter { $0.state != .unhealthy }
        return await withTaskGroup(of: (String, JSONObject?).self) { group in
            for node in nodes {
                group.addTask {
                    do {
                        let response = try await client.execute(
                            HTTPClientRequest(url: node.url + path),
                            deadline: .now() + TimeAmount(timeout),
                            logger: logger
                        )
                        guard response.status == .ok else { return (node.id, nil) }
                        let body = try await response.body.collect(upTo: 32 << 20)
                        return (node.id, try JSONDecoder().decode(JSONObject.self, from: Data(body.readableBytesView)))
                    } catch {
                        return (node.id, nil)
                    }
                }
            }
            var results: [(node: String, body: JSONObject)] = []
            for await (node, body) in group {
                if let body { results.append((node, body)) }
            }
            return results.sorted { $0.node < $1.node }
        }
    }

    /// `/api/tags`: the union over nodes, one entry per model name, most recently modified first.
    func tags() async -> Response {
        let merged = Self.union(await fanOut("/api/tags"), list: "models", key: "name")
            .sorted { ($0["modified_at"]?.stringValue ?? "") > ($1["modified_at"]?.stringValue ?? "") }
        return json(["models": .array(merged.map(JSONValue.object))])
    }

    /// `/v1/models`: the union over nodes, one entry per model id.
    func openAIModels() async -> Response {
        let merged = Self.union(await fanOut("/v1/models"), list: "data", key: "id")
            .sorted { ($0["id"]?.stringValue ?? "") < ($1["id"]?.stringValue ?? "") }
        return json(["object": "list", "data": .array(merged.map(JSONValue.object))])
    }

    /// `/api/ps`: every node's running models, each tagged with `ollamamax_node`, longest-lived first.
    func ps() async -> Response {
        var entries: [JSONObject] = []
        for (node, body) in await fanOut("/api/ps") {
            for case .object(var entry) in body["models"]?.arrayValue ?? [] {
                entry["ollamamax_node"] = .string(node)
                entries.append(entry)
            }
        }
        entries.sort { ($0["expires_at"]?.stringValue ?? "") > ($1["expires_at"]?.stringValue ?? "") }
        return json(["models": .array(entries.map(JSONValue.object))])
    }

    /// `/api/version`: the lowest version among the nodes, so clients never assume a feature
    /// some node lacks.
    func version() async -> Response {
        let versions = await fanOut("/api/version").compactMap { $0.body["version"]?.stringValue }
        guard let lowest = versions.min(by: { Self.versionParts($0).lexicographicallyPrecedes(Self.versionParts($1)) }) else {
            return ErrorStyle.ollama.response("no healthy Ollama node is available", status: .serviceUnavailable)
        }
        return json(["version": .string(lowest)])
    }

    static func union(_ bodies: [(node: String, body: JSONObject)], list: String, key: String) -> [JSONObject] {
        var seen: [String: JSONObject] = [:]
        var order: [String] = []
        for (_, body) in bodies {
            for case .object(let entry) in body[list]?.arrayValue ?? [] {
                guard let name = entry[key]?.stringValue else { continue }
                let normalized = ModelKey.normalize(name)
                if seen[normalized] == nil { order.append(normalized) }
                if let existing = seen[normalized],
                    (existing["modified_at"]?.stringValue ?? "") >= (entry["modified_at"]?.stringValue ?? "")
                {
                    continue
                }
                seen[normalized] = entry
            }
        }
        return order.compactMap { seen[$0] }
    }

    static func versionParts(_ version: String) -> [Int] {
        version.split(whereSeparator: { !$0.isNumber }).prefix(3).map { Int($0) ?? 0 }
    }

    func json(_ object: JSONObject) -> Response {
        let data = (try? OllamaJSON.encode(object)) ?? Data("{}".utf8)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
