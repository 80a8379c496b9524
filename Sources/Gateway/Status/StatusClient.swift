import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OllamaAPI

/// Reads a running gateway's `GET /ollamamax/nodes`, `GET /ollamamax/keys` and `GET /ollamamax/optimizer`.
public struct StatusClient: Sendable {
    /// The gateway's base URL, e.g. `http://127.0.0.1:8080`.
    public var url: String
    /// How long one read may take.
    public var timeout: Duration
    /// The key sent with every read, if any (a `metrics` or `admin` key).
    public var credential: GatewayCredential?

    /// - Parameters:
    ///   - url: the gateway's base URL, without a trailing slash.
    ///   - timeout: how long one read may take.
    ///   - credential: the key to send (`Authorization: Bearer`), if any.
    public init(url: String, timeout: Duration = .seconds(5), credential: GatewayCredential? = nil) {
        self.url = url
        self.timeout = timeout
        self.credential = credential
    }

    /// The nodes report, and the JSON as the gateway sent it.
    public func fetch() async throws(StatusError) -> (report: NodesReport, json: Data) {
        let (endpoint, status, data) = try await get("/ollamamax/nodes")
        guard status == 200 else { throw StatusError(endpoint: endpoint, problem: "HTTP \(status)") }
        do {
            return (try OllamaJSON.decode(NodesReport.self, from: data), data)
        } catch {
            throw StatusError(endpoint: endpoint, problem: "the answer is not a nodes report (\(error))")
        }
    }

    /// Every API key's usage; nil from a gateway without `/ollamamax/keys` (an older version).
    public func fetchKeys() async throws(StatusError) -> KeysReport? {
        let (endpoint, status, data) = try await get("/ollamamax/keys")
        if status == 404 { return nil }
        guard status == 200 else { throw StatusError(endpoint: endpoint, problem: "HTTP \(status)") }
        do {
            return try OllamaJSON.decode(KeysReport.self, from: data)
        } catch {
            throw StatusError(endpoint: endpoint, problem: "the answer is not a keys report (\(error))")
        }
    }

    /// The optimizer's limits, decisions and knobs (an admin route); nil from a gateway without
    /// `/ollamamax/optimizer` (an older version). A 401 or 403 is a ``StatusError`` with `refused`.
    public func fetchOptimizer() async throws(StatusError) -> OptimizerReport? {
        let (endpoint, status, data) = try await get("/ollamamax/optimizer", role: "admin")
        if status == 404 { return nil }
        guard status == 200 else { throw StatusError(endpoint: endpoint, problem: "HTTP \(status)") }
        do {
            return try OllamaJSON.decode(OptimizerReport.self, from: data)
        } catch {
            throw StatusError(endpoint: endpoint, problem: "the answer is not an optimizer report (\(error))")
        }
    }

    /// A CPU profile of the gateway (`/debug/pprof/profile`, an admin route) in pprof's gzipped
    /// format: it takes `seconds` to record, so the read may take that long and a minute more.
    public func fetchCPUProfile(seconds: Int, hertz: Int) async throws(StatusError) -> Data {
        // The index first, within the usual timeout: a gateway that is not there (whose refused
        // connections the HTTP client retries until the deadline) or serves no debug endpoints
        // is said at once, not after the profile's minutes.
        let index = try await get("/debug/pprof/", role: "admin")
        if index.status == 404 { throw Self.noDebugEndpoints(index.endpoint) }
        return try await fetchProfile("/debug/pprof/profile?seconds=\(seconds)&hz=\(hertz)", timeout: timeout + .seconds(seconds + 60))
    }

    /// The gateway's heap profile (gzipped pprof) from `/debug/pprof/heap`.
    public func fetchHeapProfile() async throws(StatusError) -> Data {
        let index = try await get("/debug/pprof/", role: "admin")
        if index.status == 404 { throw Self.noDebugEndpoints(index.endpoint) }
        return try await fetchProfile("/debug/pprof/heap", timeout: timeout + .seconds(60))
    }

    private func fetchProfile(_ path: String, timeout: Duration) async throws(StatusError) -> Data {
        let (endpoint, status, data) = try await get(path, role: "admin", timeout: timeout, limit: 256 << 20)
        if status == 404 { throw Self.noDebugEndpoints(endpoint) }
        guard status == 200 else {
            let text = String(decoding: data.prefix(500), as: UTF8.self)
            throw StatusError(endpoint: endpoint, problem: "HTTP \(status): \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return data
    }

    private static func noDebugEndpoints(_ endpoint: String) -> StatusError {
        StatusError(
            endpoint: endpoint,
            problem: "HTTP 404: the gateway serves no debug endpoints (debug_endpoints is off, or it listens beyond "
                + "loopback without API keys)"
        )
    }

    /// GETs `path` with the credential; a 401 or 403 is an error that says which key (of `role`) to set.
    private func get(
        _ path: String,
        role: String = "metrics or admin",
        timeout: Duration? = nil,
        limit: Int = 16 << 20
    ) async throws(StatusError) -> (endpoint: String, status: Int, body: Data) {
        let endpoint = url + path
        do {
            var request = HTTPClientRequest(url: endpoint)
            if let credential { request.headers.add(name: "Authorization", value: credential.authorization) }
            let wait = timeout ?? self.timeout
            let response = try await HTTPClient.shared.execute(request, timeout: .nanoseconds(Int64(wait.inSeconds * 1e9)))
            let body = try await response.body.collect(upTo: limit)
            let status = Int(response.status.code)
            if let refusal = GatewayCredential.refusal(status: status, url: url, role: role, sent: credential) {
                throw StatusError(endpoint: endpoint, problem: refusal, refused: true)
            }
            return (endpoint, status, Data(body.readableBytesView))
        } catch let error as StatusError {
            throw error
        } catch {
            throw StatusError(endpoint: endpoint, problem: "\(error)")
        }
    }
}

/// A gateway's status that could not be read: which URL, and what went wrong.
public struct StatusError: Error, Sendable, CustomStringConvertible {
    /// The URL that was read.
    public var endpoint: String
    /// What went wrong.
    public var problem: String
    /// Whether the gateway refused the key (401 or 403): `problem` then says which key to set.
    public var refused: Bool

    public init(endpoint: String, problem: String, refused: Bool = false) {
        self.endpoint = endpoint
        self.problem = problem
        self.refused = refused
    }

    public var description: String {
        refused ? problem : "cannot read \(endpoint): \(problem); is the gateway running there?"
    }
}
