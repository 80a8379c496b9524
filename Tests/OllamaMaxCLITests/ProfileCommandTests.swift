import Foundation
import TestHTTP
import Testing

/// `profile` against a gateway process whose `OLLAMAMAX_API_KEY` is its admin key: a real CPU
/// profile of that process in each format, the key it needs, and its flag checks.
@Suite(.timeLimit(.minutes(3)))
struct ProfileCommandTests {
    static let key = "sk-profile-test-5c1d07aa"
    static let perf = ExternalTool("perf", install: "run scripts/test.sh, or apt-get install -y linux-perf")

    @Test(Self.perf.enabled)
    func profileWritesPprofCollapsedAndAFlameGraphWithAnAdminKey() async throws {
        let gateway = try ChildProcess(
            ChildProcess.binary,
            ["start", "--simulate", "1", "--listen", "127.0.0.1:0"],
            environment: ["OLLAMAMAX_API_KEY": Self.key, "OLLAMAMAX_NODES": ""]
        )
        try gateway.start()
        defer { gateway.stop() }
        let line = try await gateway.waitForLine(containing: "listening on")
        let port = try #require(line.split(separator: ":")[2].split(separator: " ").first.map(String.init))
        let url = "http://127.0.0.1:\(port)"
        let withKey = ["OLLAMAMAX_API_KEY": Self.key]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("profile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let pprofFile = directory.appendingPathComponent("cpu.pb.gz").path
        let pprof = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["profile", "--url", url, "--seconds", "1", "--output", pprofFile],
            environment: withKey
        )
        #expect(pprof.code == 0, "\(pprof.stderr)")
        #expect(pprof.stdout.hasPrefix("wrote \(pprofFile): "), "\(pprof.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: pprofFile)).prefix(2) == Data([0x1f, 0x8b]))

        // Requests while the flame graph's profile records, so the gateway has stacks to draw.
        let svgFile = directory.appendingPathComponent("flame.svg").path
        let client = TestClient(base: url)
        let traffic = Task {
            for _ in 0..<2_000 where !Task.isCancelled {
                _ = try? await client.post(
                    "/api/generate",
                    #"{"model":"llama3.2","prompt":"hi","stream":false}"#,
                    headers: [("Authorization", "Bearer \(Self.key)")]
                )
            }
        }
        let svg = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["profile", "--url", url, "--seconds", "2", "--format", "svg", "--output", svgFile],
            environment: withKey
        )
        traffic.cancel()
        _ = await traffic.value
        #expect(svg.code == 0, "\(svg.stderr)")
        let drawing = try String(contentsOfFile: svgFile, encoding: .utf8)
        #expect(drawing.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        // `wrote FILE: N samples ...`: a gateway that got no CPU in those seconds (a loaded
        // machine) has none to draw; with samples there are frames.
        let samples = svg.stdout.split(separator: " ").dropFirst(2).first.flatMap { Int($0) }
        #expect(samples != nil, "\(svg.stdout)")
        if let samples, samples > 0 { #expect(drawing.contains("class=\"frame\""), "\(samples) samples, no frame drawn") }

        let collapsed = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["profile", "--url", url, "--seconds", "1", "--format", "collapsed"],
            environment: withKey
        )
        #expect(collapsed.code == 0, "\(collapsed.stderr)")
        for stack in collapsed.stdout.split(separator: "\n") {
            #expect(Int(stack.split(separator: " ").last ?? "") != nil, "\(stack)")
        }

        let refused = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["profile", "--url", url, "--seconds", "1"],
            environment: ["OLLAMAMAX_API_KEY": ""]
        )
        #expect(refused.code == 1)
        #expect(refused.stderr.contains("set OLLAMAMAX_API_KEY to a key with role admin"), "\(refused.stderr)")
    }

    /// A heap profile of a gateway process that served requests: pprof, and a flame graph of
    /// the bytes in use.
    @Test func profileWritesAHeapProfileAndItsFlameGraph() async throws {
        let gateway = try ChildProcess(
            ChildProcess.binary,
            ["start", "--simulate", "1", "--listen", "127.0.0.1:0"],
            environment: ["OLLAMAMAX_API_KEY": Self.key, "OLLAMAMAX_NODES": ""]
        )
        try gateway.start()
        defer { gateway.stop() }
        let line = try await gateway.waitForLine(containing: "listening on")
        let port = try #require(line.split(separator: ":")[2].split(separator: " ").first.map(String.init))
        let url = "http://127.0.0.1:\(port)"
        let client = TestClient(base: url)
        for _ in 0..<50 {
            _ = try await client.post(
                "/api/generate",
                #"{"model":"llama3.2","prompt":"hi","stream":false}"#,
                headers: [("Authorization", "Bearer \(Self.key)")]
            )
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let withKey = ["OLLAMAMAX_API_KEY": Self.key]

        let pprofFile = directory.appendingPathComponent("heap.pb.gz").path
        let pprof = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["profile", "--type", "heap", "--url", url, "--output", pprofFile],
            environment: withKey
        )
        #expect(pprof.code == 0, "\(pprof.stderr)")
        #expect(pprof.stdout.hasPrefix("wrote \(pprofFile): "), "\(pprof.stdout)")
        #expect(pprof.stdout.contains(" bytes in use (estimated) (pprof)"), "\(pprof.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: pprofFile)).prefix(2) == Data([0x1f, 0x8b]))

        let svgFile = directory.appendingPathComponent("heap.svg").path
        let svg = try await CompareCommandTests.runToFiles(
            ChildProcess.binary,
            ["profile", "--type", "heap", "--url", url, "--format", "svg", "--output", svgFile],
            environment: withKey
        )
        #expect(svg.code == 0, "\(svg.stderr)")
        let drawing = try String(contentsOfFile: svgFile, encoding: .utf8)
        #expect(drawing.contains("Heap profile of \(url): bytes in use"))
        // The process has allocations alive since it started (its tables, its buffers): frames.
        #expect(drawing.contains("class=\"frame\""))
    }

    @Test(arguments: [
        (["--seconds", "0"], "error: --seconds 0: give a whole number of seconds from 1 to 300"),
        (["--hz", "9000"], "error: --hz 9000: give a sampling rate from 1 to 4000 per second"),
        (["--format", "png"], "error: --format png: give pprof, collapsed or svg"),
        (["--type", "disk"], "error: --type disk: give cpu or heap"),
        (["--type", "heap", "--seconds", "5"], "error: --seconds and --hz are for --type cpu: a heap profile is what is sampled now"),
    ])
    func badFlagsAreExit2NamingTheFlag(arguments: [String], message: String) async throws {
        let result = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["profile"] + arguments)
        #expect(result.code == 2)
        #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
    }

    @Test func aGatewayThatIsNotThereIsExit1() async throws {
        let result = try await CompareCommandTests.runToFiles(ChildProcess.binary, ["profile", "--url", "http://127.0.0.1:9", "--seconds", "1"])
        #expect(result.code == 1)
        #expect(result.stderr.contains("cannot read http://127.0.0.1:9/debug/pprof/"), "\(result.stderr)")
    }
}
