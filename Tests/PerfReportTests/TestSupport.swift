import Foundation
import PerfReport
import Testing

/// Helpers shared by the tests: fixtures, a fixed clock, temporary directories.
enum TestSupport {
    /// A fixed timestamp so imported reports compare exactly.
    static let date = Date(timeIntervalSince1970: 1_795_913_600)
    static let dateString = "2026-11-29T00:53:20Z"

    static func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    static func fixturePath(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")).path
    }

    /// The package's `docs/` directory, found from this file's location.
    static func docsFile(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("docs")
            .appendingPathComponent(name)
    }

    /// A new empty directory, removed by the caller with `cleanUp`.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("perfreport-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func cleanUp(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// A small valid report used by codec, validation and exporter tests.
    static func sampleReport() -> PerformanceReport {
        let metadata = Metadata(
            createdAt: dateString,
            git: GitInfo(commit: "0123456789abcdef0123456789abcdef01234567", branch: "main", dirty: false),
            host: HostInfo(
                hostname: "ci-1",
                os: "Debian GNU/Linux 12 (bookworm)",
                kernel: "6.1.0",
                cpuModel: "Intel(R) Xeon(R) Processor",
                cores: 2,
                memoryBytes: 25_769_803_776
            ),
            toolchain: "Swift 6.3",
            command: "ollama-distributed bench --count 5",
            labels: ["scenario": "chat"]
        )
        let chat = Benchmark(
            name: "Gateway/chat",
            group: "gateway",
            tags: ["http"],
            metrics: [
                Metric(name: "latency", unit: "ms", direction: .lowerIsBetter, samples: [12.5, 11.0, 13.25, 12.0, 11.5]),
                Metric(name: "throughput", unit: "req/s", direction: .higherIsBetter, samples: [410, 398, 402]),
                Metric(name: "allocations", unit: "count", direction: .lowerIsBetter, deterministic: true, samples: [17, 17, 17]),
            ]
        )
        let version = Benchmark(
            name: "Gateway/version",
            metrics: [
                Metric(name: "wall_clock", unit: "s", direction: .lowerIsBetter, samples: [0.002, 0.0025])
            ]
        )
        let timeline = [
            TimelinePoint(t: 0, values: ["cpu": 0.12, "rss_bytes": 73_400_320]),
            TimelinePoint(t: 0.5, values: ["cpu": 0.87, "rss_bytes": 75_497_472]),
        ]
        return PerformanceReport(metadata: metadata, benchmarks: [chat, version], timeline: timeline)
    }
}
