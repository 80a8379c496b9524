// swift-tools-version:6.1
import PackageDescription

/// One settings list for every target: Swift 6 mode, warnings kept at zero by review and CI.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "OllamaMax",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ollama-distributed", targets: ["OllamaMaxCLI"]),
        .library(name: "OllamaAPI", targets: ["OllamaAPI"]),
        .library(name: "NodeSimulator", targets: ["NodeSimulator"]),
        .library(name: "Gateway", targets: ["Gateway"]),
        .library(name: "Telemetry", targets: ["Telemetry"]),
        .library(name: "Alerting", targets: ["Alerting"]),
        // Also used by the nested benchmark package in Benchmarks/ (docs/performance.md).
        .library(name: "PerfStats", targets: ["PerfStats"]),
        .library(name: "PerfReport", targets: ["PerfReport"]),
        .library(name: "PerfCompare", targets: ["PerfCompare"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "OllamaAPI",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ConfigFile",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NodeSimulator",
            dependencies: [
                "ConfigFile",
                "OllamaAPI",
                "PerfStats",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "CMallInfo"),
        // The /dashboard page and the panels its live feed computes (docs/console.md).
        .target(name: "Console", dependencies: ["Alerting"], swiftSettings: swiftSettings),
        // Prometheus rule files, the PromQL evaluator over an in-memory series store, alert
        // state and promtool's unit tests: pure values, Foundation, PerfStats and Yams only (docs/console.md).
        .target(
            name: "Alerting",
            dependencies: ["PerfStats", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // Alert routing, grouping and delivery to webhooks, Slack, PagerDuty, e-mail and
        // Alertmanager: a pure dispatcher and payloads, with HTTP and SMTP at the edge.
        .target(
            name: "Notifications",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // The heap sampler's tables (Telemetry reads them) and the malloc hooks that feed it,
        // linked only into the executable and the test bundle (docs/profiling.md).
        .target(name: "CHeapSampler", linkerSettings: [.linkedLibrary("m")]),
        .target(name: "CMallocHooks", dependencies: ["CHeapSampler"]),
        // Each thread's stack, taken by the thread itself in a signal handler (/debug/pprof/goroutine).
        .target(name: "CThreadStacks"),
        // The optimizer's decision core: pure values, Foundation only (docs/optimizer.md).
        .target(name: "Optimizer", swiftSettings: swiftSettings),
        .target(name: "PerfStats", swiftSettings: swiftSettings),
        .target(
            name: "PerfReport",
            dependencies: ["PerfStats"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LoadGenerator",
            dependencies: [
                "OllamaAPI",
                "PerfReport",
                "PerfStats",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PerfCompare",
            dependencies: ["PerfReport", "PerfStats"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PerfAnalysis",
            dependencies: ["PerfCompare", "PerfReport", "PerfStats"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Charts",
            dependencies: ["PerfAnalysis", "PerfCompare", "PerfReport"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "History",
            dependencies: [
                "PerfReport",
                "PerfStats",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // pprof's profile format (proto/profile.proto; the Swift code generated from it is
        // committed, scripts/generate-proto.sh makes it anew), built and gzipped.
        .target(
            name: "Pprof",
            dependencies: [
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Telemetry",
            dependencies: [
                "CHeapSampler",
                "CMallInfo",
                "CThreadStacks",
                "PerfStats",
                "Pprof",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // The CPU profiler runs perf through it: unlike Foundation's Process it clears the
                // signal mask a Swift concurrency thread passes on, and perf needs SIGCHLD.
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Gateway",
            dependencies: [
                "Alerting",
                "ConfigFile",
                "Console",
                "Notifications",
                "OllamaAPI",
                "Optimizer",
                "Pprof",
                "PerfStats",
                "Telemetry",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LocalCluster",
            dependencies: [
                "Gateway",
                "NodeSimulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Bench",
            dependencies: [
                "ConfigFile",
                "Pprof",
                "Gateway",
                "LoadGenerator",
                "LocalCluster",
                "NodeSimulator",
                "OllamaAPI",
                "Optimizer",
                "PerfCompare",
                "PerfReport",
                "PerfStats",
                "Telemetry",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "OllamaMaxCLI",
            dependencies: [
                "Bench",
                "CMallocHooks",
                "ConfigFile",
                "Gateway",
                "OllamaAPI",
                "Optimizer",
                "NodeSimulator",
                "LoadGenerator",
                "PerfCompare",
                "PerfReport",
                "PerfAnalysis",
                "Charts",
                "History",
                "Pprof",
                "Telemetry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TestHTTP",
            dependencies: [
                "NodeSimulator",
                "OllamaAPI",
                "PerfReport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/TestHTTP",
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OllamaAPITests",
            dependencies: ["OllamaAPI"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NodeSimulatorTests",
            dependencies: [
                "ConfigFile",
                "PerfReport",
                "PerfStats",
                "TestHTTP",
                .product(name: "Crypto", package: "swift-crypto"),
                "NodeSimulator",
                "OllamaAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "ConfigFile",
                "Pprof",
                "Telemetry",
                "TestHTTP",
                .product(name: "Crypto", package: "swift-crypto"),
                "Gateway",
                "LocalCluster",
                "NodeSimulator",
                "OllamaAPI",
                "Optimizer",
                "PerfReport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConsoleTests",
            dependencies: ["Alerting", "Console"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AlertingTests",
            dependencies: ["Alerting", "TestHTTP", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NotificationsTests",
            dependencies: [
                "Notifications",
                "TestHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OptimizerTests",
            dependencies: ["Optimizer"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PerfStatsTests",
            dependencies: ["PerfReport", "PerfStats"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PerfReportTests",
            dependencies: ["PerfReport", "TestHTTP"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LoadGeneratorTests",
            dependencies: [
                "LoadGenerator",
                "NodeSimulator",
                "OllamaAPI",
                "PerfReport",
                "TestHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PerfCompareTests",
            dependencies: ["PerfCompare", "PerfReport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PerfAnalysisTests",
            dependencies: ["PerfAnalysis", "PerfCompare", "PerfReport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChartsTests",
            dependencies: ["Charts", "PerfAnalysis", "PerfCompare", "PerfReport", "TestHTTP"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HistoryTests",
            dependencies: ["History", "PerfReport", "PerfStats"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TelemetryTests",
            dependencies: ["CMallocHooks", "PerfStats", "Telemetry", "Pprof", "TestHTTP", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PprofTests",
            dependencies: ["Pprof", "TestHTTP"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BenchTests",
            dependencies: ["Bench", "Gateway", "LocalCluster", "NodeSimulator", "PerfCompare", "PerfReport", "TestHTTP"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OllamaMaxCLITests",
            dependencies: [
                "OllamaMaxCLI",
                "Pprof",
                "NodeSimulator",
                "Optimizer",
                "PerfReport",
                "TestHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
