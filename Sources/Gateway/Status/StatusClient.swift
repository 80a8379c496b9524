import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OllamaAPI

/// Reads a running gateway's `GET /ollamamax/nodes`.
public struct StatusClient: Sendable {
    /// The gateway's base URL, e.g. `http://127.0.0.1:8080`.
    public var url: String
    /// How long one read may take.
    public var timeout: Duration

    /// - Parameters:
    ///   - url: the gateway's base URL, without a trailing slash.
    ///   - timeout: how long one read may take.
    public init(url: String, timeout: Duration = .seconds(5)) {
        self.url = url
        self.timeout = timeout
    }

    /// The nodes report, and the JSON as the gateway sent it.
    public func fetch() async throws(StatusError) -> (report: NodesReport, json: Data) {
        let endpoint = url + "/ollamamax/nodes"
        let data: Data
        do {
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: endpoint),
                timeout: .nanoseconds(Int64(timeout.inSeconds * 1e9))
            )
            let body = try await response.body.collect(upTo: 16 << 20)
            data = Data(body.readableBytesView)
            guard response.status.code == 200 else {
                throw StatusError(endpoint: endpoint, problem: "HTTP \(response.status.code)")
            }
        } catch let error as StatusError {
            throw error
        } catch {
            throw StatusError(endpoint: endpoint, problem: "\(error)")
        }
        do {
            return (try OllamaJSON.decode(NodesReport.self, from: data), data)
        } catch {
            throw StatusError(endpoint: endpoint, problem: "the answer is not a nodes report (\(error))")
        }
    }
}

/// A gateway's status that could not be read: which URL, and what went wrong.
public struct StatusError: Error, Sendable, CustomStringConvertible {
    /// The URL that was read.
    public var endpoint: String
    /// What went wrong.
    public var problem: String

    public var description: String {
        "cannot read \(endpoint): \(problem); is the gateway running there?"
    }
}
