import PerfReport

/// Small reports built in code for the analysis tests.
enum Fixture {
    static func metadata(
        commit: String = "0123456789abcdef0123456789abcdef01234567",
        cores: Int? = 2,
        memory: Int? = 8 << 30
    ) -> Metadata {
        Metadata(
            createdAt: "2026-11-29T08:47:00Z",
            git: GitInfo(commit: commit, branch: "main", dirty: false),
            host: HostInfo(
                hostname: "ci-1",
                os: "Debian GNU/Linux 12 (bookworm)",
                kernel: "6.1.0",
                cpuModel: "Xeon",
                cores: cores,
                memoryBytes: memory
            )
        )
    }

    static func metric(
        _ name: String,
        _ unit: String,
        _ samples: [Double],
        direction: Direction = .lowerIsBetter,
        deterministic: Bool = false
    ) -> Metric {
        Metric(name: name, unit: unit, direction: direction, deterministic: deterministic, samples: samples)
    }

    static func report(_ benchmarks: [Benchmark], timeline: [TimelinePoint]? = nil, cores: Int? = 2) -> PerformanceReport {
        PerformanceReport(metadata: metadata(cores: cores), benchmarks: benchmarks, timeline: timeline)
    }

    /// 20 latencies around `center` ms: 18 near it and two at `tail`.
    static func latencies(center: Double, tail: Double) -> [Double] {
        (0..<18).map { center + Double($0 % 5) * 0.1 } + [tail, tail]
    }
}
