import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// The soak's streaming clients: each sends `POST /api/generate` with `stream: true` through the
/// gateway, reads the stream to its end, judges it, and sends the next, until told to stop.
struct SoakClient: Sendable {
    let client: HTTPClient
    let gatewayURL: String
    let body: ByteBuffer
    /// The longest a whole request may take (a stream that keeps trickling is not a hang until then).
    let deadline: Duration
    let tally: SoakTally

    init(client: HTTPClient, gatewayURL: String, configuration: SoakConfiguration, tally: SoakTally) {
        self.client = client
        self.gatewayURL = gatewayURL
        let json =
            #"{"model":"\#(configuration.model)","prompt":"Tell a short story about a lighthouse.","#
            + #""stream":true,"options":{"num_predict":\#(configuration.maxTokens)}}"#
        body = ByteBuffer(string: json)
        deadline = configuration.clientTimeout * 10
        self.tally = tally
    }

    /// The HTTP client a soak uses: one connection per stream, and the client timeout as the
    /// longest silence while a request is in flight (AsyncHTTPClient's read timeout).
    static func httpClient(_ configuration: SoakConfiguration) -> HTTPClient {
        var settings = HTTPClient.Configuration()
        settings.timeout = .init(connect: .seconds(5), read: configuration.clientTimeout.timeAmount)
        settings.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.streams)
        settings.decompression = .disabled
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: settings)
    }

    /// Sends requests one after another until `stopped` says so (or the task is cancelled).
    func loop(stopped: @escaping @Sendable () -> Bool) async {
        while !stopped() && !Task.isCancelled {
            tally.started()
            let (outcome, reason, malformed) = await once()
            tally.record(outcome, reason: reason, malformedLines: malformed)
            // A failed request is retried after a pause, as a client would, instead of spinning.
            if outcome == .cleanError || outcome == .reset { try? await Task.sleep(for: .milliseconds(100)) }
        }
    }

    /// One request: its outcome, why it failed (if it did), and the malformed lines it carried.
    func once() async -> (SoakOutcome, String?, Int) {
        var request = HTTPClientRequest(url: gatewayURL + "/api/generate")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(body)
        var judge = SoakStreamJudge()
        do {
            let response = try await client.execute(request, timeout: deadline.timeAmount)
            guard response.status.code < 400 else {
                let text = try await response.body.collect(upTo: 64 * 1024)
                return (.cleanError, "HTTP \(response.status.code) \(Self.errorText(text))", 0)
            }
            for try await chunk in response.body { judge.feed(chunk.readableBytesView) }
            let outcome = judge.ended()
            let reason = outcome == .reset ? "the stream ended without its done line" : judge.errorMessage.map(Self.shortened)
            return (outcome, reason, judge.malformedLines)
        } catch {
            if Task.isCancelled { return (.interrupted, nil, judge.malformedLines) }
            let timedOut = (error as? HTTPClientError).map { $0 == .readTimeout || $0 == .deadlineExceeded } ?? false
            let outcome = judge.failed(timedOut: timedOut)
            let reason = outcome == .cleanError ? judge.errorMessage.map(Self.shortened) : String(describing: error)
            return (outcome, reason, judge.malformedLines)
        }
    }

    /// The `error` text of an error body, else its first bytes.
    static func errorText(_ body: ByteBuffer) -> String {
        let data = Data(body.readableBytesView)
        if let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], let error = object["error"] as? String {
            return shortened(error)
        }
        return shortened(String(decoding: data.prefix(100), as: UTF8.self))
    }

    /// An error text with its node addresses' ports dropped, so reasons group by kind.
    static func shortened(_ text: String) -> String {
        text.replacing(#/127\.0\.0\.1:\d+/#, with: "127.0.0.1")
    }
}
