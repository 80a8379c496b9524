// swift-tools-version:6.1
// The micro-benchmarks (ordo-one/package-benchmark) and the verdict simulation, as a package of
// their own so the main build and `swift test` never compile the benchmark framework.
//
//   cd Benchmarks && swift package --allow-writing-to-package-directory benchmark      (all targets)
//   cd Benchmarks && swift package benchmark --target GatewayBenchmarks --filter 'routing.*'
//   cd Benchmarks && swift run -c release VerdictQuality 1000
//
// docs/performance.md explains how to write, run, profile and compare them.
import Foundation
import PackageDescription

/// The root package's identity is its directory's name (a path dependency has no other), which
/// differs between clones and worktrees; products are looked up by it.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

func benchmark(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "benchmark")] + products.map { .product(name: $0, package: root) },
        // package-benchmark runs the executables whose directory's parent is named "Benchmarks".
        path: "Benchmarks/\(name)",
        swiftSettings: swiftSettings,
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "OllamaMaxBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(path: ".."),
    ],
    targets: [
        benchmark("TelemetryBenchmarks", ["OllamaAPI", "Telemetry"]),
        benchmark("GatewayBenchmarks", ["Gateway", "OllamaAPI"]),
        benchmark("ReportBenchmarks", ["PerfReport", "PerfStats"]),
        benchmark("AlertingBenchmarks", ["Alerting", "Gateway", "Telemetry"]),
        .executableTarget(
            name: "VerdictQuality",
            dependencies: ["PerfCompare", "PerfReport", "PerfStats"].map { .product(name: $0, package: root) },
            swiftSettings: swiftSettings
        ),
    ]
)
