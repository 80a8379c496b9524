import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OllamaAPI

/// A response read whole, with the decoders tests need.
public struct HTTPAnswer: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }
    public var contentType: String? { headers.first(name: "content-type") }
    /// The gateway's `X-OllamaMax-Node`.
    public var node: String? { headers.first(name: "X-OllamaMax-Node") }

    public func json() throws -> JSONObject {
        try JSONDecoder().decode(JSONObject.self, from: Data(body))
    }

    /// The body as NDJSON objects.
    public func lines() throws -> [JSONObject] {
        var decoder = NDJSONDecoder()
        var lines = try decoder.feed(body)
        if let last = decoder.finish() { lines.append(last) }
        return try lines.map { try JSONDecoder().decode(JSONObject.self, from: Data($0)) }
    }

    /// The body as SSE `data` payloads.
    public func events() throws -> [String] {
        var decoder = SSEDecoder()
        var events = try decoder.feed(body)
        if let last = decoder.finish() { events.append(last) }
        return events.map(\.data)
    }

    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try OllamaJSON.decode(T.self, from: body)
    }
}

/// An HTTP client for one server on loopback (a simulated node or the gateway).
public struct TestClient: Sendable {
    public let base: String
    /// The client requests go through: the shared one, or one that trusts a test CA.
    public let client: HTTPClient

    public init(base: String, client: HTTPClient = .shared) {
        self.base = base
        self.client = client
    }

    public init(port: Int) {
        base = "http://127.0.0.1:\(port)"
        client = .shared
    }

    /// How long a request may take by default: far beyond any answer in these tests, so only a hang
    /// reaches it, even while the whole suite shares two cores.
    public static let defaultTimeout: TimeAmount = .seconds(90)

    public func send(
        _ method: HTTPMethod,
        _ path: String,
        _ body: String? = nil,
        headers: [(String, String)] = [],
        timeout: TimeAmount = Self.defaultTimeout
    ) async throws -> HTTPAnswer {
        let response = try await client.execute(
            request(method, path, body, headers: headers),
            timeout: timeout
        )
        var collected = try await response.body.collect(upTo: 64 << 20)
        return HTTPAnswer(
            status: Int(response.status.code),
            headers: response.headers,
            body: collected.readBytes(length: collected.readableBytes) ?? []
        )
    }

    /// GETs `path` and returns as soon as the answer's head arrives, with the first part of the
    /// body, then hangs up: for endless answers such as an event stream.
    public func head(of path: String, headers: [(String, String)] = []) async throws -> HTTPAnswer {
        let response = try await client.execute(request(.GET, path, nil, headers: headers), timeout: Self.defaultTimeout)
        var body = response.body.makeAsyncIterator()
        let first = try await body.next()
        return HTTPAnswer(
            status: Int(response.status.code),
            headers: response.headers,
            body: first.map { Array($0.readableBytesView) } ?? []
        )
    }

    public func get(_ path: String) async throws -> HTTPAnswer {
        try await send(.GET, path)
    }

    public func post(
        _ path: String,
        _ body: String,
        headers: [(String, String)] = [],
        timeout: TimeAmount = Self.defaultTimeout
    ) async throws -> HTTPAnswer {
        try await send(.POST, path, body, headers: headers, timeout: timeout)
    }

    /// Sends a POST and returns as soon as the response head arrives; the body is read by the
    /// caller, for tests that read part of an answer.
    public func open(_ path: String, _ body: String) async throws -> HTTPClientResponse {
        try await client.execute(request(.POST, path, body, headers: []), timeout: Self.defaultTimeout)
    }

    private func request(
        _ method: HTTPMethod,
        _ path: String,
        _ body: String?,
        headers: [(String, String)]
    )
        -> HTTPClientRequest
    {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        return request
    }
}
