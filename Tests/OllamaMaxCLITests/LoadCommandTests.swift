import ArgumentParser
import Foundation
import PerfReport
import Testing

@testable import OllamaMaxCLI

/// `ollama-distributed load`: flags that contradict each other, and a real run whose report
/// `compare` can judge.
@Suite(.timeLimit(.minutes(3)))
struct LoadCommandTests {
    typealias Run = OllamaDistributed.Load.Run

    @Test(arguments: [
        (["--url", "http://h:1", "--model", "m", "--rate", "5", "--concurrency", "2", "--requests", "3"], "exclude each other"),
        (["--url", "http://h:1", "--model", "m", "--requests", "3"], "say how to load"),
        (["--url", "http://h:1", "--model", "m", "--rate", "5"], "bound the run"),
        (["--url", "h:1", "--model", "m", "--concurrency", "1", "--requests", "1"], "is not an http(s) URL"),
        (["--url", "http://h:1", "--model", "m", "--ramp", "1:5", "--requests", "3"], "--ramp needs --duration"),
        (["--url", "http://h:1", "--model", "m", "--rate", "0", "--requests", "3"], "--rate: must be a positive number"),
        (["--url", "http://h:1", "--model", "m", "--sweep", "--duration", "5s"], "--sweep needs --slo"),
        (["--url", "http://h:1", "--model", "m", "--sweep", "--rate", "3", "--slo", "e2e=1s", "--duration", "5s"], "exclude each other"),
        (["--url", "http://h:1", "--url", "http://h:1/", "--model", "m", "--rate", "5", "--requests", "3"], "the same server is given twice"),
        (["--url", "http://h:1", "--url", "h:2", "--model", "m", "--rate", "5", "--requests", "3"], "\"h:2\" is not an http(s) URL"),
        (
            ["--url", "http://h:1", "--url", "http://h:2", "--model", "m", "--sweep", "--slo", "e2e=1s", "--duration", "5s"],
            "--sweep takes one --url"
        ),
        (
            ["--url", "http://h:99999", "--model", "m", "--rate", "5", "--requests", "3"],
            #"--url: URL "http://h:99999": port "99999" is not a number from 1 to 65535"#
        ),
    ])
    func contradictoryOrMissingFlagsAreRejected(arguments: [String], message: String) {
        #expect {
            _ = try Run.parse(arguments)
        } throws: { error in
            Run.message(for: error).contains(message)
        }
    }

    @Test(arguments: [
        ("10ms", #"error: --sample-interval: "10ms" is shorter than 100ms; write e.g. 1s"#),
        ("soon", #"error: --sample-interval: "soon" is not a positive duration; write e.g. 500ms, 30s or 5m"#),
    ])
    func aSampleIntervalThatIsNoDurationOrTooShortIsRejected(value: String, message: String) async throws {
        let result = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["load", "--url", "http://127.0.0.1:1", "--model", "m", "--concurrency", "1", "--requests", "1", "--sample-interval", value]
        )
        #expect(result.code == 2)
        #expect(result.stderr == message + "\n", "\(result.stderr)")
    }

    @Test func aRunWritesAReportThatCompareCanJudge() async throws {
        let node = try ChildProcess(ChildProcess.binary, ["node-sim", "--port", "0", "--decode-rate", "500", "--jitter", "0"])
        try node.start()
        defer { node.stop() }
        let line = try await node.waitForLine(containing: "listening on")
        let port = try #require(line.split(separator: ":").last.map(String.init))
        let directory = try CompareCommandTests.directory()
        var paths: [String] = []
        for run in ["a", "b"] {
            let output = directory.appendingPathComponent("\(run).json").path
            let result = try await CompareCommandTests.runToFiles(
                ChildProcess.binary,
                [
                    "load", "--url", "http://127.0.0.1:\(port)", "--model", "llama3.2", "--concurrency", "2", "--requests", "12",
                    "--warmup", "1", "--output-tokens", "8", "--slo", "ttft=2s,e2e=10s", "--output", output,
                ]
            )
            #expect(result.code == 0, "\(result.stderr)")
            #expect(result.stdout.contains("TTFT") || result.stdout.contains("ttft"), "\(result.stdout)")
            #expect(result.stdout.hasPrefix("resources: not sampled (no target serves /metrics with process metrics)\n"), "\(result.stdout)")
            paths.append(output)
        }
        let report = try PerformanceReport.load(path: paths[0])
        #expect(report.timeline == nil)
        #expect(report.metadata.labels?["timeline_source"] == "none: no target serves /metrics with process metrics")
        let metrics = Set(report.benchmarks.first?.metrics.map(\.name) ?? [])
        #expect(metrics.isSuperset(of: ["ttft", "itl", "e2e", "throughput", "goodput"]), "\(metrics)")
        #expect(report.benchmarks.first?.metric(named: "e2e")?.samples.count == 12)
        let verdict = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["compare", "--baseline", paths[0], "--current", paths[1], "--color", "never", "--threshold", "200"]
        )
        #expect(verdict.code == 0, "\(verdict.stdout)\(verdict.stderr)")
        let merged = directory.appendingPathComponent("merged.json").path
        let merge = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["load", "merge", paths[0], paths[1], "--output", merged])
        #expect(merge.code == 0, "\(merge.stderr)")
        #expect(try PerformanceReport.load(path: merged).benchmarks.first?.metric(named: "e2e")?.samples.count == 24)
    }
}

/// Two servers side by side in one run: a summary each, the table of what the second adds, a
/// benchmark each in the report.
@Suite(.timeLimit(.minutes(3)))
struct LoadSideBySideCommandTests {
    @Test func aSideBySideRunReportsEachServerAndTheDifference() async throws {
        var urls: [String] = []
        var nodes: [ChildProcess] = []
        defer { for node in nodes { node.stop() } }
        for _ in 0..<2 {
            let node = try ChildProcess(ChildProcess.binary, ["node-sim", "--port", "0", "--decode-rate", "500", "--jitter", "0"])
            try node.start()
            nodes.append(node)
            let line = try await node.waitForLine(containing: "listening on")
            urls.append("http://127.0.0.1:\(try #require(line.split(separator: ":").last.map(String.init)))")
        }
        let output = try CompareCommandTests.directory().appendingPathComponent("side-by-side.json").path
        let result = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            [
                "load", "--url", urls[0], "--url", urls[1], "--model", "llama3.2", "--no-stream", "--rate", "20", "--requests", "8",
                "--warmup", "1", "--output-tokens", "4", "--output", output,
            ]
        )
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.contains("== \(urls[0])") && result.stdout.contains("== \(urls[1])"), "\(result.stdout)")
        let table = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix(urls[1]) }, "\(result.stdout)")
        // The lane, then e2e, ttft and itl at p50 and p99 ("-" where not streamed).
        #expect(table.split(separator: " ").count == 7, "\(table)")
        let report = try PerformanceReport.load(path: output)
        #expect(report.benchmarks.map(\.name) == urls.map { "load/ollama-generate@\($0)" })
        #expect(report.benchmarks.allSatisfy { $0.metric(named: "e2e")?.samples.count == 8 })
    }
}

/// Ctrl-C during a run: the partial summary is printed and the report is still written.
@Suite(.timeLimit(.minutes(3)))
struct LoadInterruptTests {
    @Test func anInterruptedRunStillWritesItsReport() async throws {
        let node = try ChildProcess(ChildProcess.binary, ["node-sim", "--port", "0", "--decode-rate", "200", "--jitter", "0"])
        try node.start()
        defer { node.stop() }
        let line = try await node.waitForLine(containing: "listening on")
        let port = try #require(line.split(separator: ":").last.map(String.init))
        let output = try CompareCommandTests.directory().appendingPathComponent("partial.json").path
        let load = try ChildProcess(
            ChildProcess.binary,
            [
                "load", "--url", "http://127.0.0.1:\(port)", "--model", "llama3.2", "--concurrency", "2", "--duration", "60s",
                "--output-tokens", "8", "--output", output,
            ]
        )
        let exit = Task { try await load.run() }
        // Interrupt once the progress line shows finished requests (printed every 5 s off a terminal).
        let deadline = ContinuousClock.now + .seconds(30)
        while !load.stderr.contains(" done "), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        load.process.interrupt()
        let code = try await exit.value
        #expect(code == 0, "\(load.stderr)")
        #expect(load.stdout.contains("interrupted"))
        #expect(FileManager.default.fileExists(atPath: output))
    }
}
