import Synchronization
import Telemetry
import Testing

@testable import Gateway

/// A clock the test moves by hand.
private final class ManualClock: Sendable {
    private let time = Mutex(Duration.zero)
    var now: Duration { time.withLock { $0 } }
    func advance(_ duration: Duration) { time.withLock { $0 += duration } }
}

/// The per-key token buckets: refill, debt and Retry-After, on a clock moved by hand.
struct KeyLimiterTests {
    @Test func aBucketRefillsAPerMinuteLimitEachSecondUpToItsCapacity() {
        var bucket = TokenBucket(perMinute: 3, now: .zero)
        #expect(bucket.level == 3)
        bucket.take(3, now: .zero)
        #expect(bucket.level == 0)
        #expect(bucket.secondsUntilOne() == 20)
        bucket.refill(now: .seconds(10))
        #expect(bucket.level == 0.5)
        #expect(bucket.secondsUntilOne() == 10)
        bucket.refill(now: .seconds(600))
        #expect(bucket.level == 3)
        // A clock that goes back refills nothing.
        bucket.take(1, now: .seconds(600))
        bucket.refill(now: .seconds(1))
        #expect(bucket.level == 2)
        #expect(bucket.secondsUntilOne() == 1)
    }

    @Test func aBucketInDebtWaitsUntilTheDebtIsRepaidAndOneMore() {
        var bucket = TokenBucket(perMinute: 600, now: .zero)
        bucket.take(1000, now: .zero)
        #expect(bucket.level == -400)
        // (1 + 400) / 10 per second = 40.1 s, rounded up.
        #expect(bucket.secondsUntilOne() == 41)
        bucket.refill(now: .milliseconds(40_100))
        #expect(bucket.secondsUntilOne() == 1)
    }

    @Test func aLimitOfOneIsNamedInTheSingular() {
        var requests = KeyAccount(name: "ci", limits: KeyLimits(requestsPerMinute: 1), now: .zero)
        #expect(requests.admit(now: .zero) == .allowed)
        #expect(requests.admit(now: .zero) == .limited(retryAfterSeconds: 60, what: "1 request per minute"))
        var tokens = KeyAccount(name: "ci", limits: KeyLimits(tokensPerMinute: 1), now: .zero)
        tokens.charge(prompt: 1, output: 1, now: .zero)
        #expect(tokens.admit(now: .zero) == .limited(retryAfterSeconds: 120, what: "1 token per minute"))
    }

    @Test func theRequestLimitRefusesTheFourthOfThreePerMinuteUntilOneHasRefilled() {
        var account = KeyAccount(name: "ci", limits: KeyLimits(requestsPerMinute: 3), now: .zero)
        for _ in 0..<3 { #expect(account.admit(now: .zero) == .allowed) }
        #expect(account.admit(now: .zero) == .limited(retryAfterSeconds: 20, what: "3 requests per minute"))
        #expect(account.admit(now: .seconds(19)) == .limited(retryAfterSeconds: 1, what: "3 requests per minute"))
        #expect(account.admit(now: .seconds(20)) == .allowed)
        #expect(account.admit(now: .seconds(20)) == .limited(retryAfterSeconds: 20, what: "3 requests per minute"))
        #expect(account.usage.requests == 4)
        #expect(account.usage.rateLimited == 3)
    }

    @Test func theTokenLimitAdmitsWhileAboveZeroAndChargesAnswersIntoDebt() {
        var account = KeyAccount(name: "alice", limits: KeyLimits(tokensPerMinute: 60), now: .zero)
        #expect(account.admit(now: .zero) == .allowed)
        // The answer was bigger than the whole minute's budget: the bucket goes into debt.
        account.charge(prompt: 50, output: 30, now: .zero)
        #expect(account.tokenBucket?.level == -20)
        #expect(account.admit(now: .zero) == .limited(retryAfterSeconds: 21, what: "60 tokens per minute"))
        // At 20 s the debt is repaid to exactly 0: still refused, 1 s to go.
        #expect(account.admit(now: .seconds(20)) == .limited(retryAfterSeconds: 1, what: "60 tokens per minute"))
        // Any tokens left admit a request, however big its answer will be.
        #expect(account.admit(now: .milliseconds(20_500)) == .allowed)
        #expect(account.usage.promptTokens == 50)
        #expect(account.usage.outputTokens == 30)
        #expect(account.usage.requests == 2)
        #expect(account.usage.rateLimited == 2)
    }

    @Test func whenBothLimitsRefuseRetryAfterIsTheLongerWait() {
        var account = KeyAccount(name: "k", limits: KeyLimits(requestsPerMinute: 1, tokensPerMinute: 6), now: .zero)
        #expect(account.admit(now: .zero) == .allowed)
        account.charge(prompt: 10, output: 10, now: .zero)
        // Requests: 60 s until one refills; tokens: (1 + 14) / 0.1 = 150 s.
        #expect(account.admit(now: .zero) == .limited(retryAfterSeconds: 150, what: "6 tokens per minute"))
        // At 140 s the debt is repaid to exactly 0: still refused, and Retry-After counts to a whole token.
        #expect(account.admit(now: .seconds(140)) == .limited(retryAfterSeconds: 10, what: "6 tokens per minute"))
        // Any tokens left admit a request (Retry-After is on the safe side).
        #expect(account.admit(now: .seconds(141)) == .allowed)
    }

    @Test func aKeyWithoutLimitsIsOnlyCounted() {
        var account = KeyAccount(name: "admin", limits: KeyLimits(), now: .zero)
        for _ in 0..<1000 { #expect(account.admit(now: .zero) == .allowed) }
        account.charge(prompt: 1_000_000, output: 1, now: .zero)
        #expect(account.admit(now: .zero) == .allowed)
        #expect(account.usage.requests == 1001)
        #expect(account.usage.rateLimited == 0)
    }

    @Test func theLimiterCountsPerKeyAndExportsItsMetricsByKeyName() throws {
        let clock = ManualClock()
        let metrics = GatewayMetrics(metrics: Metrics(detailed: false))
        let limiter = KeyLimiter(
            limits: ["ci": KeyLimits(requestsPerMinute: 2), "admin": KeyLimits()],
            metrics: metrics,
            now: { clock.now }
        )
        // Every series exists at 0 from the start.
        let before = try Exposition.parse(String(decoding: metrics.metrics.render(), as: UTF8.self))
        #expect(Self.value(before, "ollamamax_key_requests_total", ["key": "ci"]) == 0)
        #expect(Self.value(before, "ollamamax_key_rejections_total", ["key": "admin", "reason": "forbidden"]) == 0)
        #expect(Self.value(before, "ollamamax_auth_failures_total", [:]) == 0)

        #expect(limiter.admit("ci") == .allowed)
        #expect(limiter.admit("ci") == .allowed)
        #expect(limiter.admit("ci") == .limited(retryAfterSeconds: 30, what: "2 requests per minute"))
        clock.advance(.seconds(30))
        #expect(limiter.admit("ci") == .allowed)
        limiter.charge("ci", promptTokens: 12, outputTokens: 34)
        limiter.refused("admin", status: 403)
        limiter.refused(nil, status: 401)
        limiter.refused(nil, status: 401)

        #expect(
            limiter.snapshot() == [
                KeyUsage(name: "admin", limits: KeyLimits()).with { $0.forbidden = 1 },
                KeyUsage(name: "ci", limits: KeyLimits(requestsPerMinute: 2)).with {
                    $0.requests = 3
                    $0.rateLimited = 1
                    $0.promptTokens = 12
                    $0.outputTokens = 34
                },
            ]
        )
        let after = try Exposition.parse(String(decoding: metrics.metrics.render(), as: UTF8.self))
        #expect(Self.value(after, "ollamamax_key_requests_total", ["key": "ci"]) == 3)
        #expect(Self.value(after, "ollamamax_key_tokens_total", ["key": "ci", "kind": "prompt"]) == 12)
        #expect(Self.value(after, "ollamamax_key_tokens_total", ["key": "ci", "kind": "output"]) == 34)
        #expect(Self.value(after, "ollamamax_key_rejections_total", ["key": "ci", "reason": "rate_limited"]) == 1)
        #expect(Self.value(after, "ollamamax_key_rejections_total", ["key": "admin", "reason": "forbidden"]) == 1)
        #expect(Self.value(after, "ollamamax_auth_failures_total", [:]) == 2)
    }

    static func value(_ families: [ExpositionFamily], _ name: String, _ labels: [String: String]) -> Double? {
        families.first { $0.name == name }?.samples.first { $0.labels == labels }?.value
    }
}

extension KeyUsage {
    fileprivate func with(_ change: (inout KeyUsage) -> Void) -> KeyUsage {
        var copy = self
        change(&copy)
        return copy
    }
}
