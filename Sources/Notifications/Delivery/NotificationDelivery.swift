import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// Sends rendered messages: JSON over HTTP with AsyncHTTPClient, mail over SMTP, each tried as
/// ``RetryPolicy`` says, and counted per receiver and integration kind.
///
/// A message is delivered when the endpoint answers 2xx (or the relay accepts the mail). Any
/// other answer is a failed attempt, described by its status or reply code and never by its
/// URL; retryable failures (transport errors, timeouts, 5xx, 408, 429, SMTP 4xx) are tried again
/// after a backoff, others are given up at once. Secrets that an answer echoes are masked before
/// the text reaches a log.
public final class NotificationDelivery: Sendable {
    private let http: HTTPClient
    private let smtp: SMTPClient
    private let policy: RetryPolicy
    private let logger: Logger
    private let random: @Sendable () -> Double
    private let counts = Mutex<[CounterKey: DeliveryCounter]>([:])

    /// Makes a delivery.
    /// - Parameters:
    ///   - httpClient: the client for webhooks, Slack, PagerDuty and Alertmanagers; its owner
    ///     shuts it down.
    ///   - policy: attempts, timeouts and backoff.
    ///   - logger: where failed attempts are logged (with secrets masked).
    ///   - random: numbers in 0..<1 for the backoff's jitter.
    public init(
        httpClient: HTTPClient = .shared,
        policy: RetryPolicy = RetryPolicy(),
        logger: Logger = Logger(label: "ollamamax.notifications"),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.http = httpClient
        self.smtp = SMTPClient()
        self.policy = policy
        self.logger = logger
        self.random = random
    }

    /// The counters, sorted by receiver and kind.
    public func counters() -> [DeliveryCounter] {
        counts.withLock { Array($0.values) }.sorted { ($0.receiver, $0.integration.rawValue) < ($1.receiver, $1.integration.rawValue) }
    }

    /// Delivers `message`, retrying; `true` when it arrived.
    /// - Parameters:
    ///   - message: what to send.
    ///   - receiver: the counter's receiver label.
    ///   - integration: the counter's integration label.
    ///   - secrets: values to mask in anything logged.
    ///   - about: what the message is, for logs (an integration and a group key).
    func deliver(
        _ message: OutgoingMessage,
        receiver: String,
        integration: IntegrationKind,
        secrets: [Secret],
        about: String
    ) async -> Bool {
        let key = CounterKey(receiver: receiver, integration: integration)
        let redactor = Redactor(secrets)
        var metadata: Logger.Metadata = [
            "receiver": "\(receiver)", "integration": "\(integration.rawValue)", "notification": "\(redactor.clean(about))",
        ]
        for attempt in 1...policy.attempts {
            count(key) { $0.attempts += 1 }
            do {
                try await send(message)
                count(key) { $0.sent += 1 }
                logger.debug("notification delivered", metadata: metadata.merging(["attempt": "\(attempt)"]) { $1 })
                return true
            } catch {
                let error = error.redacted(by: redactor)
                count(key) { $0.failedAttempts += 1 }
                metadata["error"] = "\(error.description)"
                let last = attempt == policy.attempts || !error.isRetryable || Task.isCancelled
                if last {
                    count(key) { $0.failed += 1 }
                    logger.error("notification not delivered", metadata: metadata.merging(["attempts": "\(attempt)"]) { $1 })
                    return false
                }
                logger.warning("notification attempt failed; retrying", metadata: metadata.merging(["attempt": "\(attempt)"]) { $1 })
                let wait = policy.backoff(afterAttempt: attempt, random: random())
                if wait > .zero {
                    do {
                        try await Task.sleep(for: wait)
                    } catch {
                        count(key) { $0.failed += 1 }
                        return false
                    }
                }
            }
        }
        return false
    }

    private func send(_ message: OutgoingMessage) async throws(DeliveryError) {
        switch message {
        case .post(let url, let body):
            try await post(body, to: url)
        case .mail(let text, let settings):
            try await smtp.send(text, settings: settings, timeout: policy.timeout)
        }
    }

    private func post(_ body: Data, to url: Secret) async throws(DeliveryError) {
        var request = HTTPClientRequest(url: url.revealed)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "OllamaMax-Notifications")
        request.body = .bytes(ByteBuffer(bytes: body))
        let limit = TimeAmount.nanoseconds(Int64(policy.timeout.timeInterval * 1e9))
        do {
            let response = try await http.execute(request, timeout: limit)
            // Read the answer to the end (so the connection can be reused), keeping its start.
            var start = ByteBuffer()
            for try await var part in response.body where start.readableBytes < 200 {
                start.writeBuffer(&part)
            }
            guard (200..<300).contains(response.status.code) else {
                let text = String(decoding: start.readableBytesView.prefix(200), as: UTF8.self)
                throw DeliveryError.status(Int(response.status.code), body: text.trimmingSpaces)
            }
        } catch let error as DeliveryError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw .timeout(policy.timeout, during: "POST")
        } catch is CancellationError {
            throw .transport("cancelled")
        } catch {
            throw .transport("POST failed: \(ErrorText.describe(error))")
        }
    }

    private func count(_ key: CounterKey, _ change: (inout DeliveryCounter) -> Void) {
        counts.withLock { counts in
            var counter = counts[key] ?? DeliveryCounter(receiver: key.receiver, integration: key.integration)
            change(&counter)
            counts[key] = counter
        }
    }
}
