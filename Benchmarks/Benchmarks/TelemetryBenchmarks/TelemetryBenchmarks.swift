import Benchmark
import OllamaAPI
import Telemetry

/// Rendering `/metrics` at realistic and large series counts, and the per-answer scanners the
/// proxy runs on every inference response.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, .throughput],
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )

    for series in [1_000, 10_000] {
        Benchmark("metrics render \(series) series") { benchmark, metrics in
            for _ in benchmark.scaledIterations { blackHole(metrics.render()) }
        } setup: {
            registry(series: series)
        }
    }

    Benchmark("metrics record one request (counter + histogram)") { (benchmark: Benchmark, families: (MetricFamily, MetricFamily)) in
        for index in benchmark.scaledIterations {
            families.0.increment("POST", "/api/generate", index % 50 == 0 ? "500" : "200")
            families.1.observe(Double(index % 100) / 1000, "POST", "/api/generate")
        }
    } setup: {
        let metrics = Metrics(detailed: true)
        return (metrics.family(MetricCatalog.httpRequests), metrics.family(MetricCatalog.httpRequestDuration))
    }

    Benchmark("usage scan of a 200-token NDJSON answer") { benchmark, answer in
        for _ in benchmark.scaledIterations {
            var scanner = UsageScanner()
            scanner.scan(answer)
            blackHole(scanner.usage)
        }
    } setup: {
        ndjsonAnswer(tokens: 200)
    }

    Benchmark("routing field scan of a 16 KiB prompt") { benchmark, body in
        for _ in benchmark.scaledIterations {
            blackHole(TopLevelStrings.scan(body, keys: ["model", "name"]))
        }
    } setup: {
        Array(#"{"prompt":"\#(String(repeating: "why is the sky blue? ", count: 780))","stream":false,"model":"llama3.2"}"#.utf8)
    }
}

/// A registry holding `series` series: a realistic mix of counters, gauges and histograms
/// (each histogram series counts its buckets, `_sum` and `_count`).
func registry(series: Int) -> Metrics {
    let metrics = Metrics(detailed: true)
    let requests = metrics.family(MetricCatalog.httpRequests)
    let tokens = metrics.family(MetricCatalog.outputTokens)
    let ttft = metrics.family(MetricCatalog.timeToFirstToken)
    let perHistogram = MetricCatalog.timeToFirstToken.buckets.count + 3
    var made = 0
    var index = 0
    while made < series {
        switch index % 3 {
        case 0:
            requests.increment("POST", "/route/\(index)", "200")
            made += 1
        case 1:
            tokens.increment(by: 42, "node-\(index % 16)", "model-\(index)")
            made += 1
        default:
            ttft.observe(0.2, "node-\(index % 16)", "model-\(index)")
            made += perHistogram
        }
        index += 1
    }
    return metrics
}

func ndjsonAnswer(tokens: Int) -> [UInt8] {
    var text = ""
    for token in 0..<tokens {
        text += #"{"model":"llama3.2","created_at":"2026-11-29T10:00:00Z","response":" word\#(token)","done":false}"# + "\n"
    }
    text +=
        #"{"model":"llama3.2","done":true,"done_reason":"stop","total_duration":912000000,"prompt_eval_count":26,"eval_count":200,"eval_duration":2000000000}"#
        + "\n"
    return Array(text.utf8)
}
