import Foundation
import TestHTTP
import Testing

/// The gateway benchmark's scripts where they do not need servers: the rounds analysis on
/// fixture files, and the refusal of bad arguments before anything is built or started.
@Suite(.timeLimit(.minutes(3)))
struct BenchScriptTests {
    static func script(_ path: String) -> String {
        ChildProcess.packageRoot.appendingPathComponent(path).path
    }

    /// A `hey -o csv` file of 100 answered requests, each taking `milliseconds`.
    static func heyCSV(milliseconds: Double) -> String {
        let row = "\(milliseconds / 1000),0,0,0,0,0,200,0"
        return
            (["response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset"]
            + Array(repeating: row, count: 100)).joined(separator: "\n") + "\n"
    }

    @Test(ExternalTool.python3.enabled) func roundsAreSummarisedAsMediansAndPairedDifferences() async throws {
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
            ["python3", Self.script("scripts/bench/latency_rounds.py"), work.path, "3", "hey", "direct,proxy"]
        )
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.contains("round 2: direct n=100 p50=2.000ms p99=2.000ms steal=1.0%"), "\(result.stdout)")
        #expect(result.stdout.contains("direct median p50=2.000ms p99=2.000ms\n"), "\(result.stdout)")
        // Medians 3.2 − 2.0 = 1.2 ms; round by round 0.5, 2.0, 0.2 ms, whose median is 0.5 ms.
        #expect(
            result.stdout.contains(
                "proxy median p50=3.200ms p99=3.200ms added_p50=1.200ms added_p99=1.200ms"
                    + " paired_added_p50=0.500ms paired_added_p99=0.500ms"
            ),
            "\(result.stdout)"
        )
    }

    @Test(ExternalTool.python3.enabled) func stallsCountTheTenMillisecondWindowsHoldingASlowAnswer() async throws {
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
            ["python3", Self.script("scripts/bench/latency_rounds.py"), work.path, "1", "hey", "direct,proxy"]
        )
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.contains("direct n=1 p50=1.000ms p99=1.000ms steal=0.0% stalls=0"), "\(result.stdout)")
        #expect(result.stdout.contains("proxy n=5 p50=5.000ms p99=9.000ms steal=0.0% stalls=2"), "\(result.stdout)")
    }

    /// A side-by-side report (`load --url A --url B`) with a benchmark per server.
    static func pairReport(_ lanes: [(port: Int, milliseconds: Double)]) throws -> Data {
        let benchmarks: [[String: Any]] = lanes.map { lane in
            [
                "name": "load/ollama-generate@http://127.0.0.1:\(lane.port)",
                "metrics": [
                    ["name": "e2e", "samples": Array(repeating: lane.milliseconds / 1000, count: 100)],
                    ["name": "throughput", "samples": [100.0]],
                ],
            ]
        }
        return try JSONSerialization.data(withJSONObject: ["benchmarks": benchmarks])
    }

    @Test(ExternalTool.python3.enabled) func sideBySideRunsArePairedWithinEachRun() async throws {
        let work = try CompareCommandTests.directory()
        // (round, direct, proxy): the direct path's own speed differs between the runs.
        for (round, direct, proxy) in [(1, 2.0, 3.0), (2, 4.0, 4.5), (3, 1.0, 5.0)] {
            // The proxy's benchmark comes first in the file: paths are found by port, not order.
            try Self.pairReport([(18503, proxy), (18501, direct)])
                .write(to: work.appendingPathComponent("lat-pairs-proxy-\(round).json"))
            try "0 0 1 0\n".write(to: work.appendingPathComponent("steal-pairs-proxy-\(round)"), atomically: true, encoding: .utf8)
        }
        let script = Self.script("scripts/bench/latency_rounds.py")
        let result = try await CompareCommandTests.runToFiles(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", script, work.path, "3", "pairs", "direct:18501,proxy:18503"]
        )
        #expect(result.code == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains(
                "round 2, direct with proxy: direct n=100 p50=4.000ms p99=4.000ms stalls=0  proxy n=100 p50=4.500ms p99=4.500ms stalls=100"
            ),
            "\(result.stdout)"
        )
        // Added round by round: 1.0, 0.5, 4.0 ms, whose median is 1.0 ms (the medians' difference would be 2.5 ms).
        #expect(
            result.stdout.contains(
                "proxy median p50=4.500ms p99=4.500ms added_p50=1.000ms added_p99=1.000ms (direct in the same runs: p50=2.000ms p99=2.000ms)"
            ),
            "\(result.stdout)"
        )
        let unnamed = try await CompareCommandTests.runToFiles(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", script, work.path, "3", "pairs", "direct,proxy"]
        )
        #expect(unnamed.code != 0)
        #expect(unnamed.stderr.contains("mode pairs needs PATHS as NAME:PORT"), "\(unnamed.stderr)")
        let missing = try await CompareCommandTests.runToFiles(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", script, work.path, "1", "pairs", "direct:18501,proxy:18999"]
        )
        #expect(missing.code != 0)
        #expect(missing.stderr.contains("round 1 of proxy has no benchmark for proxy"), "\(missing.stderr)")
    }

    @Test(ExternalTool.python3.enabled) func perfSamplesAreChargedToTheInnermostKnownModule() async throws {
        let work = try CompareCommandTests.directory()
        // `perf script` output: a write in the kernel under NIO, a retain under the gateway's
        // code, and a sample with no known module on its stack.
        let text = """
            gw 1 1.0: 1 cpu-clock:
            \t ffff tcp_sendmsg+0x1 ([kernel.kallsyms])
            \t 1 $s8NIOPosix6SocketC6writevyyF+0x2 (/bin/gw)
            \t 2 start_thread+0x3 (/lib/libc.so.6)

            gw 1 1.1: 1 cpu-clock:
            \t 3 swift_retain+0x4 (/lib/libswiftCore.so)
            \t 4 $s7Gateway13RelayExchangeC4sendyyF+0x5 (/bin/gw)
            \t 5 $s7NIOCore21ChannelHandlerContextC4readyyF+0x6 (/bin/gw)

            gw 1 1.2: 1 cpu-clock:
            \t 6 malloc+0x7 (/lib/libc.so.6)

            """
        let path = work.appendingPathComponent("perf.txt")
        try text.write(to: path, atomically: true, encoding: .utf8)
        let result = try await CompareCommandTests.runToFiles(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", Self.script("scripts/bench/perf_modules.py"), path.path]
        )
        #expect(result.code == 0, "\(result.stderr)")
        for line in ["samples 3", " 33.3% K NIOPosix", " 33.3% U Gateway", " 33.3% U other", " 33.3% $s7Gateway13RelayExchangeC4sendyyF"] {
            #expect(result.stdout.contains(line + "\n"), "\(line) in \(result.stdout)")
        }
    }

    @Test(ExternalTool.python3.enabled) func aRoundWithoutAnswersNamesTheRoundAndPath() async throws {
        let work = try CompareCommandTests.directory()
        for path in ["direct", "proxy"] {
            let csv = path == "proxy" ? "response-time,status-code\n0.001,503\n" : Self.heyCSV(milliseconds: 1)
            try csv.write(to: work.appendingPathComponent("hey-\(path)-1.csv"), atomically: true, encoding: .utf8)
            try "0 0 1 0\n".write(to: work.appendingPathComponent("steal-hey-\(path)-1"), atomically: true, encoding: .utf8)
        }
        let result = try await CompareCommandTests.runToFiles(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", Self.script("scripts/bench/latency_rounds.py"), work.path, "1", "hey", "direct,proxy"]
        )
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
            URL(fileURLWithPath: "/bin/bash"),
            [Self.script("scripts/bench-gateway.sh")] + arguments
        )
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
            URL(fileURLWithPath: "/bin/bash"),
            [Self.script("scripts/bench/cpu-per-request.sh")] + arguments
        )
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
            URL(fileURLWithPath: "/bin/bash"),
            [Self.script("scripts/bench/allocs-per-request.sh")] + arguments
        )
        #expect(result.code == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
