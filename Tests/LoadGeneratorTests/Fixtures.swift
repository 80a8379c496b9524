import LoadGenerator

/// Four requests over 4 s with binary-exact timings, so every derived value is exact.
enum Fixtures {
    static let results: [RequestResult] = [
        RequestResult(
            intendedStart: 0,
            ttft: 0.125,
            gaps: [0.125, 0.375],
            endToEnd: 0.5,
            promptTokens: 8,
            outputTokens: 3,
            status: 200
        ),
        RequestResult(
            intendedStart: 1,
            actualStart: 1.5,
            ttft: 0.375,
            gaps: [0.5],
            endToEnd: 1,
            promptTokens: 8,
            outputTokens: 2,
            status: 200
        ),
        RequestResult(intendedStart: 2, endToEnd: 5, error: .timeout),
        RequestResult(intendedStart: 3, endToEnd: 0.25, status: 503, error: .http5xx),
    ]

    static let slo = SLO(ttft: .seconds(0.2))
    static let summary = LoadSummary(results: results, elapsed: 4, slo: slo)
}
