import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import OllamaAPI

/// Model management across nodes. The semantics (docs/gateway.md):
/// - pull: to `pullReplicas` nodes (0 = every node that is up), preferring nodes that already
///   have the model; one merged progress stream (per-digest totals summed over nodes);
/// - create: on the nodes that have `from`, else as pull;
/// - copy and delete: on every node that has the model; if none has it, one node answers so the
///   404 is Ollama's own;
/// - push: from one node that has the model (routed like inference).
struct ModelManagement: Sendable {
    let client: HTTPClient
    let pool: NodePool
    let proxy: Proxy
    let configuration: GatewayConfiguration
    let logger: Logger

    /// `POST /api/pull`.
    func pull(_ request: Request, body: ByteBuffer, requestID: String) async -> Response {
        guard let object = Self.object(body), let model = (object["model"] ?? object["name"])?.stringValue, !model.isEmpty
        else { return await proxy.forward(request, body: body, requestID: requestID) }
        let nodes = await targets(for: model, preferHaving: true)
        guard !nodes.isEmpty else {
            return ErrorStyle.ollama.response("no healthy Ollama node is available", status: .serviceUnavailable)
        }
        return merged(path: "/api/pull", object: object, nodes: nodes, requestID: requestID)
    }

    /// `POST /api/create`.
    func create(_ request: Request, body: ByteBuffer, requestID: String) async -> Response {
        guard let object = Self.object(body), let model = object["model"]?.stringValue, !model.isEmpty else {
            return await proxy.forward(request, body: body, requestID: requestID)
        }
        var nodes: [NodeSnapshot] = []
        if let from = object["from"]?.stringValue, !from.isEmpty {
            let key = ModelKey.normalize(from)
            nodes = pool.snapshot().filter { $0.state != .unhealthy && $0.models.contains(key) }
        }
        if nodes.isEmpty { nodes = await targets(for: model, preferHaving: false) }
        guard !nodes.isEmpty else {
            return ErrorStyle.ollama.response("no healthy Ollama node is available", status: .serviceUnavailable)
        }
        return merged(path: "/api/create", object: object, nodes: nodes, requestID: requestID)
    }

    /// `POST /api/copy` and `DELETE /api/delete`: on every node that has the model.
    func onEveryHolder(_ request: Request, body: ByteBuffer, modelField: String, requestID: String) async -> Response {
        guard let object = Self.object(body), let model = (object[modelField] ?? object["name"])?.stringValue,
            !model.isEmpty
        else { return await proxy.forward(request, body: body, requestID: requestID) }
        let key = ModelKey.normalize(model)
        let holders = pool.snapshot().filter { $0.state != .unhealthy && $0.models.contains(key) }
        guard !holders.isEmpty else { return await proxy.forward(request, body: body, model: nil, requestID: requestID) }
        let results = await withTaskGroup(of: (String, HTTPResponseStatus, ByteBuffer)?.self) { group in
            for node in holders {
                group.addTask {
                    var upstream = HTTPClientRequest(url: node.url + request.uri.path)
                    upstream.method = HTTPMethod(rawValue: request.method.rawValue)
                    upstream.headers.add(name: "content-type", value: "application/json")
                    upstream.headers.add(name: "X-Request-ID", value: requestID)
                    upstream.body = .bytes(body)
                    guard
                        let response = try? await client.execute(
                            upstream,
                            deadline: .now() + TimeAmount(configuration.responseTimeout),
                            logger: logger
                        ),
                        let answer = try? await response.body.collect(upTo: 1 << 20)
                    else { return nil }
                    return (node.id, response.status, answer)
                }
            }
            var collected: [(String, HTTPResponseStatus, ByteBuffer)] = []
            for await result in group { if let result { collected.append(result) } }
            return collected
        }
        await refresh(holders)
        if let failure = results.first(where: { $0.1 != .ok }) {
            return Response(
                status: .init(code: Int(failure.1.code)),
                headers: [.contentType: "application/json; charset=utf-8", .servingNode: failure.0, .requestID: requestID],
                body: ResponseBody(byteBuffer: failure.2)
            )
        }
        guard !results.isEmpty else {
            return ErrorStyle.ollama.response("no node answered", status: .badGateway)
        }
        return Response(
            status: .ok,
            headers: [.servingNode: results.map(\.0).sorted().joined(separator: ","), .requestID: requestID]
        )
    }

    /// Nodes for a pull or create: every node that is up, or `pullReplicas` of them, those that
    /// already have the model first, then those with the fewest models.
    private func targets(for model: String, preferHaving: Bool) async -> [NodeSnapshot] {
        let key = ModelKey.normalize(model)
        let up = pool.snapshot().filter { $0.state != .unhealthy }
        guard configuration.pullReplicas > 0 else { return up }
        let ordered = up.sorted {
            let lhs = (preferHaving && $0.models.contains(key) ? 0 : 1, $0.models.count, $0.id)
            let rhs = (preferHaving && $1.models.contains(key) ? 0 : 1, $1.models.count, $1.id)
            return lhs < rhs
        }
        return Array(ordered.prefix(configuration.pullReplicas))
    }

    /// Runs `path` on every node of `nodes` and merges their progress into one stream.
    private func merged(path: String, object: JSONObject, nodes: [NodeSnapshot], requestID: String) -> Response {
        let wantsStream = object["stream"]?.boolValue ?? true
        var forced = object
        forced["stream"] = true
        let body = ByteBuffer(bytes: (try? OllamaJSON.encode(forced)) ?? Data())
        let (events, sink) = AsyncStream<ProgressEvent>.makeStream()
        let client = client
        let logger = logger
        let timeout = configuration.responseTimeout
        let feeder = Task {
            await withTaskGroup(of: Void.self) { group in
                for node in nodes {
                    group.addTask {
                        await Self.follow(
                            client: client,
                            node: node,
                            path: path,
                            body: body,
                            requestID: requestID,
                            timeout: timeout,
                            logger: logger,
                            sink: sink
                        )
                    }
                }
            }
            sink.finish()
        }
        let pool = pool
        let nodeList = nodes.map(\.id).joined(separator: ",")
        let finish: @Sendable () async -> Void = {
            await Self.refresh(nodes, pool: pool, client: client, logger: logger)
        }
        if !wantsStream {
            return Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8", .servingNode: nodeList, .requestID: requestID],
                body: ResponseBody { writer in
                    var merger = ProgressMerger(nodeCount: nodes.count)
                    for await event in events { _ = merger.add(event) }
                    _ = await feeder.value
                    await finish()
                    let final: JSONObject =
                        merger.failures.isEmpty ? ["status": "success"] : ["error": .string(merger.failures.joined(separator: "; "))]
                    try await writer.write(ByteBuffer(bytes: (try? OllamaJSON.encodeLine(final)) ?? Data()))
                    try await writer.finish(nil)
                }
            )
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/x-ndjson", .servingNode: nodeList, .requestID: requestID],
            body: ResponseBody { writer in
                var merger = ProgressMerger(nodeCount: nodes.count)
                for await event in events {
                    for line in merger.add(event) {
                        do {
                            try await writer.write(ByteBuffer(bytes: (try? OllamaJSON.encodeLine(line)) ?? Data()))
                        } catch {
                            // The client left: stop the transfers on the nodes too.
                            feeder.cancel()
                            throw error
                        }
                    }
                }
                _ = await feeder.value
                await finish()
                for line in merger.finish() {
                    try await writer.write(ByteBuffer(bytes: (try? OllamaJSON.encodeLine(line)) ?? Data()))
                }
                try await writer.finish(nil)
            }
        )
    }

    /// Streams one node's progress lines into `sink`.
    static func follow(
        client: HTTPClient,
        node: NodeSnapshot,
        path: String,
        body: ByteBuffer,
        requestID: String,
        timeout: Duration,
        logger: Logger,
        sink: AsyncStream<ProgressEvent>.Continuation
    ) async {
        var request = HTTPClientRequest(url: node.url + path)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "X-Request-ID", value: requestID)
        request.body = .bytes(body)
        do {
            let response = try await client.execute(request, deadline: .now() + TimeAmount(timeout), logger: logger)
            var decoder = NDJSONDecoder()
            var sawEnd = false
            for try await chunk in response.body {
                for line in try decoder.feed(chunk.readableBytesView) {
                    guard let object = try? JSONDecoder().decode(JSONObject.self, from: Data(line)) else { continue }
                    if object["status"] == "success" || object["error"] != nil { sawEnd = true }
                    sink.yield(ProgressEvent(node: node.id, object: object))
                }
            }
            if let last = decoder.finish(), let object = try? JSONDecoder().decode(JSONObject.self, from: Data(last)) {
                if object["status"] == "success" || object["error"] != nil { sawEnd = true }
                sink.yield(ProgressEvent(node: node.id, object: object))
            }
            if !sawEnd {
                sink.yield(ProgressEvent(node: node.id, object: ["error": "the stream ended without success"]))
            }
        } catch {
            sink.yield(ProgressEvent(node: node.id, object: ["error": .string(RelayRules.describe(error))]))
        }
    }

    private func refresh(_ nodes: [NodeSnapshot]) async {
        await Self.refresh(nodes, pool: pool, client: client, logger: logger)
    }

    /// Re-reads the inventory of `nodes` at once, so routing sees a pulled or deleted model now.
    static func refresh(_ nodes: [NodeSnapshot], pool: NodePool, client: HTTPClient, logger: Logger) async {
        let monitor = NodeMonitor(client: client, pool: pool, interval: .seconds(1), timeout: .seconds(5), logger: logger)
        let endpoints = pool.endpoints.filter { endpoint in nodes.contains { $0.id == endpoint.id } }
        await monitor.probe(endpoints)
    }

    static func object(_ body: ByteBuffer) -> JSONObject? {
        try? JSONDecoder().decode(JSONObject.self, from: Data(body.readableBytesView))
    }
}

/// One progress object from one node.
struct ProgressEvent: Sendable {
    var node: String
    var object: JSONObject
}

/// Merges the progress streams of several nodes into one stream a client can draw: per digest,
/// `total` and `completed` are summed over nodes; other statuses appear once; `success` comes
/// once, at the end, only if every node succeeded; failures end the stream as an error line.
struct ProgressMerger {
    let nodeCount: Int
    private var perDigest: [String: [String: (total: Int64, completed: Int64)]] = [:]
    private var statusesSent: Set<String> = []
    private var succeeded: Set<String> = []
    private(set) var failures: [String] = []

    init(nodeCount: Int) {
        self.nodeCount = nodeCount
    }

    /// The lines to send for `event`.
    mutating func add(_ event: ProgressEvent) -> [JSONObject] {
        let object = event.object
        if let error = object["error"] {
            failures.append("\(event.node): \(error.stringValue ?? "\(error)")")
            return []
        }
        guard let status = object["status"]?.stringValue else { return [] }
        if status == "success" {
            succeeded.insert(event.node)
            return []
        }
        if let digest = object["digest"]?.stringValue, let total = object["total"]?.intValue {
            let completed = Int64(object["completed"]?.intValue ?? 0)
            perDigest[digest, default: [:]][event.node] = (Int64(total), completed)
            let sums = perDigest[digest, default: [:]].values.reduce((Int64(0), Int64(0))) { ($0.0 + $1.total, $0.1 + $1.completed) }
            return [["status": .string(status), "digest": .string(digest), "total": .int(sums.0), "completed": .int(sums.1)]]
        }
        guard statusesSent.insert(status).inserted else { return [] }
        return [["status": .string(status)]]
    }

    /// The closing line: `success`, or the failures.
    func finish() -> [JSONObject] {
        if failures.isEmpty, succeeded.count == nodeCount { return [["status": "success"]] }
        let missing = nodeCount - succeeded.count - failures.count
        var messages = failures
        if missing > 0 { messages.append("\(missing) node(s) did not finish") }
        return [["error": .string(messages.joined(separator: "; "))]]
    }
}
