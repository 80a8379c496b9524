import Benchmark
import Foundation
import Gateway
import OllamaAPI

/// The gateway's per-request hot paths: the routing decision, NDJSON and SSE framing of a
/// streamed answer, and encoding and decoding chat chunks.
let benchmarks: @Sendable () -> Void = {
    // Every benchmark gets the same metric list, `.throughput` included: the JMH exporter drops
    // benchmarks without it and shares secondary metrics between benchmarks (docs/report-format.md).
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .instructions, .peakMemoryResident, .throughput],
        maxDuration: .seconds(2),
        maxIterations: 100_000
    )

    for (strategy, count) in [(RoutingStrategy.modelAware, 16), (.modelAware, 256), (.leastOutstanding, 16), (.latencyWeighted, 16)] {
        Benchmark("routing decision \(strategy.rawValue) \(count) nodes") { benchmark, nodes in
            for turn in benchmark.scaledIterations {
                blackHole(strategy.choose(model: "llama3.2:latest", nodes: nodes, turn: UInt64(turn)))
            }
        } setup: {
            snapshots(count)
        }
    }

    Benchmark("NDJSON framing of a 200-token answer in 1 KiB reads") { benchmark, reads in
        for _ in benchmark.scaledIterations {
            var decoder = NDJSONDecoder()
            var lines = 0
            for read in reads { lines += (try? decoder.feed(read).count) ?? 0 }
            blackHole(lines)
        }
    } setup: {
        chunks(ndjsonAnswer(tokens: 200), size: 1024)
    }

    Benchmark("SSE framing of a 200-token OpenAI stream in 1 KiB reads") { benchmark, reads in
        for _ in benchmark.scaledIterations {
            var decoder = SSEDecoder()
            var events = 0
            for read in reads { events += (try? decoder.feed(read).count) ?? 0 }
            blackHole(events)
        }
    } setup: {
        chunks(sseAnswer(tokens: 200), size: 1024)
    }

    Benchmark("chat chunk decode") { benchmark, line in
        for _ in benchmark.scaledIterations {
            blackHole(try? OllamaJSON.decode(ChatResponse.self, from: line))
        }
    } setup: {
        Data(#"{"model":"llama3.2","created_at":"2026-11-29T10:00:00.000000Z","message":{"role":"assistant","content":" sky"},"done":false}"#.utf8)
    }

    Benchmark("chat chunk encode") { benchmark, chunk in
        for _ in benchmark.scaledIterations {
            blackHole(try? OllamaJSON.encodeLine(chunk))
        }
    } setup: {
        ChatResponse(
            model: "llama3.2",
            createdAt: "2026-11-29T10:00:00.000000Z",
            message: Message(role: "assistant", content: " sky"),
            done: false
        )
    }
}

/// `count` healthy nodes, every fourth with the model resident, with varied load and TTFT.
func snapshots(_ count: Int) -> [NodeSnapshot] {
    (0..<count).map { index in
        NodeSnapshot(
            id: "node-\(index)",
            url: "http://10.0.0.\(index):11434",
            models: ["llama3.2:latest", "qwen2.5:0.5b"],
            resident: index % 4 == 0 ? ["llama3.2:latest"] : [],
            inFlight: index % 5,
            inFlightByModel: ["llama3.2:latest": index % 3],
            limit: 8,
            numParallel: 4,
            ttftEWMA: 0.05 + Double(index % 7) / 100
        )
    }
}

/// `bytes` cut into reads of `size`, as a socket delivers them.
func chunks(_ bytes: [UInt8], size: Int) -> [[UInt8]] {
    stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
}

func ndjsonAnswer(tokens: Int) -> [UInt8] {
    var text = ""
    for token in 0..<tokens {
        text += #"{"model":"llama3.2","created_at":"2026-11-29T10:00:00Z","response":" word\#(token)","done":false}"# + "\n"
    }
    text += #"{"model":"llama3.2","done":true,"done_reason":"stop","total_duration":912000000,"eval_count":200}"# + "\n"
    return Array(text.utf8)
}

func sseAnswer(tokens: Int) -> [UInt8] {
    var text = ""
    for token in 0..<tokens {
        text +=
            #"data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764410400,"model":"llama3.2","choices":[{"index":0,"delta":{"content":" word\#(token)"},"finish_reason":null}]}"#
            + "\n\n"
    }
    text += "data: [DONE]\n\n"
    return Array(text.utf8)
}
