import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NodeSimulator
import OllamaAPI
import ServiceLifecycle
import Testing

/// Runs `body` against a real simulator listening on 127.0.0.1 with an ephemeral port.
func withSimulator<T: Sendable>(
    _ configuration: SimulatorConfiguration = .testing,
    _ body: @Sendable (SimulatorClient, NodeSimulator) async throws -> T
) async throws -> T {
    var configuration = configuration
    configuration.host = "127.0.0.1"
    configuration.port = 0
    var logger = Logger(label: "test.node-sim")
    logger.logLevel = .critical
    let simulator = NodeSimulator(configuration: configuration, logger: logger)
    let (ports, portSink) = AsyncStream<Int>.makeStream()
    let app = simulator.makeApplication { port in portSink.yield(port) }
    let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw SimulatorTestError("the simulator did not start") }
        do {
            let result = try await body(SimulatorClient(port: port), simulator)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            tasks.cancelAll()
            throw error
        }
    }
}

struct SimulatorTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension SimulatorConfiguration {
    /// Fast, jitter-free models so tests finish quickly and timing statistics are exact.
    static var testing: SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.models = SimulatedModel.defaults.map { model in
            var fast = model
            fast.loadSeconds = 0
            fast.jitter = 0
            fast.decodeTokensPerSecond = model.has("completion") ? 2000 : model.decodeTokensPerSecond
            fast.prefillTokensPerSecond = 100_000
            fast.minOutputTokens = 40
            fast.maxOutputTokens = 60
            return fast
        }
        configuration.limits.numParallel = 4
        return configuration
    }
}

/// A response read whole.
struct HTTPResult: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    var contentType: String? { headers.first(name: "content-type") }

    func json() throws -> JSONObject {
        try JSONDecoder().decode(JSONObject.self, from: Data(body))
    }

    /// The body as NDJSON objects.
    func lines() throws -> [JSONObject] {
        var decoder = NDJSONDecoder()
        var lines = try decoder.feed(body)
        if let last = decoder.finish() { lines.append(last) }
        return try lines.map { try JSONDecoder().decode(JSONObject.self, from: Data($0)) }
    }

    /// The body as SSE `data` payloads.
    func events() throws -> [String] {
        var decoder = SSEDecoder()
        var events = try decoder.feed(body)
        if let last = decoder.finish() { events.append(last) }
        return events.map(\.data)
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try OllamaJSON.decode(T.self, from: body)
    }
}

/// A small HTTP client for one simulator.
struct SimulatorClient: Sendable {
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    func request(
        _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, timeout: TimeAmount = .seconds(30)
    ) async throws -> HTTPResult {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        var collected = try await response.body.collect(upTo: 64 << 20)
        return HTTPResult(
            status: Int(response.status.code), headers: response.headers,
            body: collected.readBytes(length: collected.readableBytes) ?? [])
    }

    func get(_ path: String) async throws -> HTTPResult {
        try await request(.GET, path)
    }

    func post(_ path: String, _ json: String, timeout: TimeAmount = .seconds(30)) async throws -> HTTPResult {
        try await request(.POST, path, body: Array(json.utf8), timeout: timeout)
    }
}
