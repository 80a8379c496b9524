import Foundation
import Testing

/// The gateway benchmark's scripts where they do not need servers: the rounds analysis on
/// fixture files, and the refusal of bad arguments before anything is built or started.
@Suite(.timeLimit(.minutes(1)))
struct BenchScriptTests {
    static func script(_ path: String) -> String {
        ChildProcess.packageRoot.appendingPathComponent(path).path
    }

    /// A `hey -o csv` file of 100 answered requests, each taking `milliseconds`.
    static func heyCSV(milliseconds: Double) -> String {
        let row = "\(milliseconds / 1000),0,0,0,0,0,200,0"
        return (["response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset"]
            + Array(repeating: row, count: 100)).joined(separator: "\n") + "\n"
    }

    @Test func roundsAreSummarisedAsMediansAndPairedDifferences() async throws {
        let work = try CompareCommandTests.directory()
        // Three rounds; the proxy's round medians differ from its paired differences.
        let rounds = ["direct": [1.0, 2.0, 3.0], "proxy": [1.5, 4.0, 3.2]]
        for (path, values) in rounds {
            for (index, milliseconds) in values.enumerated() {
                try Self.heyCSV(milliseconds: milliseconds)
                    .write(to: work.appendingPathComponent("hey-\(path)-\(index + 1).csv"), atomically: true, encoding: .utf8)
                try "1000 0 2000 10\n"
                    .write(to: work.appendingPathComponent("steal-hey-\(path)-\(index + 1)"), atomically: true, encoding: .utf8)
            }
        }
        let result = try await CompareCommandTests.runToFiles(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", Self.script("scripts/bench/latency_rounds.py"), work.path, "3", "hey", "direct,proxy"])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.contains("round 2: direct n=100 p50=2.000ms p99=2.000ms steal=1.0%"), "\(result.stdout)")
        #expect(result.stdout.contains("direct median p50=2.000ms p99=2.000ms\n"), "\(result.stdout)")
        // Medians 3.2 − 2.0 = 1.2 ms; round by round 0.5, 2.0, 0.2 ms, whose median is 0.5 ms.
        #expect(
            result.stdout.contains(
                "proxy median p50=3.200ms p99=3.200ms added_p50=1.200ms added_p99=1.200ms"
                    + " paired_added_p50=0.500ms paired_added_p99=0.500ms"),
            "\(result.stdout)")
    }

    @Test func stallsCountTheTenMillisecondWindowsHoldingASlowAnswer() async throws {
        let work = try CompareCommandTests.directory()
        let header = "response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset"
        // (offset s, latency ms): two slow answers ending in the same window, one in another,
        // one exactly at the 4 ms limit (not over it), and one slow but failed (not counted).
        let proxy: [(Double, Double, Int)] = [
            (0.100, 1, 200), (0.200, 5, 200), (0.201, 6, 200), (0.500, 9, 200), (0.700, 4, 200), (0.900, 50, 503),
        ]
        let files = [
            "direct": [header, "0.001,0,0,0,0,0,200,0.1"],
            "proxy": [header] + proxy.map { "\($0.1 / 1000),0,0,0,0,0,\($0.2),\($0.0)" },
        ]
        for (path, lines) in files {
            try (lines.joined(separator: "\n") + "\n")
                .write(to: work.appendingPathComponent("hey-\(path)-1.csv"), atomically: true, encoding: .utf8)
            try "0 0 1 0\n".write(to: work.appendingPathComponent("steal-hey-\(path)-1"), atomically: true, encoding: .utf8)
        }
        let result = try await CompareCommandTests.runToFiles(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", Self.script("scripts/bench/latency_rounds.py"), work.path, "1", "hey", "direct,proxy"])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.contains("direct n=1 p50=1.000ms p99=1.000ms steal=0.0% stalls=0"), "\(result.stdout)")
        #expect(result.stdout.contains("proxy n=5 p50=5.000ms p99=9.000ms steal=0.0% stalls=2"), "\(result.stdout)")
    }

    @Test func aRoundWithoutAnswersNamesTheRoundAndPath() async throws {
        let work = try CompareCommandTests.directory()
        for path in ["direct", "proxy"] {
            let csv = path == "proxy" ? "response-time,status-code\n0.001,503\n" : Self.heyCSV(milliseconds: 1)
            try csv.write(to: work.appendingPathComponent("hey-\(path)-1.csv"), atomically: true, encoding: .utf8)
            try "0 0 1 0\n".write(to: work.appendingPathComponent("steal-hey-\(path)-1"), atomically: true, encoding: .utf8)
        }
        let result = try await CompareCommandTests.runToFiles(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", Self.script("scripts/bench/latency_rounds.py"), work.path, "1", "hey", "direct,proxy"])
        #expect(result.code != 0)
        #expect(result.stderr.contains("round 1 of proxy has no answered requests"), "\(result.stderr)")
    }

    @Test(arguments: [
        (["--rounds", "0"], "--rounds '0' is not a whole number > 0"),
        (["--duration", "ten"], "--duration 'ten' is not a whole number > 0"),
        (["--fast"], "unknown argument '--fast' (use --duration, --sustain, --rounds, --variants, --only)"),
        (["--rounds"], "--rounds needs a value"),
    ])
    func benchGatewayRefusesBadArgumentsBeforeStarting(arguments: [String], message: String) async throws {
        let result = try await CompareCommandTests.runToFiles(
            URL(fileURLWithPath: "/bin/bash"), [Self.script("scripts/bench-gateway.sh")] + arguments)
        #expect(result.code == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty, "nothing was run: \(result.stdout)")
    }

    @Test(arguments: [
        (["--rate", "fast", "18502", "1"], "--rate 'fast' is not a whole number of requests/s > 0"),
        (["--duration", "0", "18502", "1"], "--duration '0' is not a whole number of seconds > 0"),
        (["18502"], "need a port and at least one process id"),
        (["--rate"], "--rate needs a value"),
        (["port", "1"], "port 'port' is not a number"),
    ])
    func cpuPerRequestRefusesBadArguments(arguments: [String], message: String) async throws {
        let result = try await CompareCommandTests.runToFiles(
            URL(fileURLWithPath: "/bin/bash"), [Self.script("scripts/bench/cpu-per-request.sh")] + arguments)
        #expect(result.code == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test(arguments: [
        (["--requests", "many", "18502", "1"], "--requests 'many' is not a whole number > 0"),
        (["--rate", "0", "18502", "1"], "--rate '0' is not a whole number of requests/s > 0"),
        (["18502"], "need a port and at least one process id"),
        (["--requests"], "--requests needs a value"),
        (["port", "1"], "port 'port' is not a number"),
        (["18502", "999999999"], "no process 999999999"),
    ])
    func allocsPerRequestRefusesBadArguments(arguments: [String], message: String) async throws {
        let result = try await CompareCommandTests.runToFiles(
            URL(fileURLWithPath: "/bin/bash"), [Self.script("scripts/bench/allocs-per-request.sh")] + arguments)
        #expect(result.code == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}

