import Foundation
import Pprof
import TestHTTP
import Testing

/// `bench --profile DIR`: a pprof CPU profile of each benchmark, and `bench gate --profiles`
/// pointing at the functions whose share grew.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct BenchProfileTests {
    static let perf = ExternalTool("perf", install: "run scripts/test.sh, or apt-get install -y linux-perf")

    @Test(Self.perf.enabled)
    func eachBenchmarkGetsAProfileTheGateCanRead() async throws {
        let directory = try CompareCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let reportPath = directory.appendingPathComponent("report.json").path
        let profiles = directory.appendingPathComponent("profiles")
        let bench = try await BenchCommandTests.run([
            "bench", "--quick", "--scenario", "throughput", "--duration", "1s", "--timeout", "60s",
            "--output", reportPath, "--profile", profiles.path,
        ])
        #expect(bench.code == 0, "bench failed:\n\(bench.stdout)\n\(bench.stderr)")
        let file = profiles.appendingPathComponent("throughput-nodes=1-threads=2.pb.gz")
        let profile = try Perftools_Profiles_Profile(pprof: Array(try Data(contentsOf: file)))
        #expect(profile.sampleType.map { profile.text($0.type) } == ["samples", "cpu"])
        #expect(bench.stdout.contains("throughput/nodes=1/threads=2: CPU profile \(file.path)"), "\(bench.stdout)")
        // And a heap profile of the allocations during the same repetition, read by the same decoder.
        let heapFile = profiles.appendingPathComponent("throughput-nodes=1-threads=2.heap.pb.gz")
        let heap = try Perftools_Profiles_Profile(pprof: Array(try Data(contentsOf: heapFile)))
        #expect(heap.sampleType.map { heap.text($0.type) } == ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"])
        #expect(!heap.sample.isEmpty)
        #expect(bench.stdout.contains("throughput/nodes=1/threads=2: heap profile \(heapFile.path)"), "\(bench.stdout)")

        // The gate reads the two directories (here the same run on both sides: nothing regressed).
        let budgets = directory.appendingPathComponent("budgets.yml").path
        try BenchCommandTests.generousBudgets.write(toFile: budgets, atomically: true, encoding: .utf8)
        let gate = try await BenchCommandTests.run([
            "bench", "gate", "--current", reportPath, "--baseline", reportPath, "--budgets", budgets,
            "--profiles", profiles.path, profiles.path,
        ])
        #expect(gate.code == 0, "\(gate.stdout)\n\(gate.stderr)")
        let one = try await BenchCommandTests.run(["bench", "gate", "--current", reportPath, "--profiles", profiles.path])
        #expect(one.code == 2)
        #expect(one.stderr.contains("--profiles: give two directories, BASE HEAD (got 1)"), "\(one.stderr)")
    }
}
