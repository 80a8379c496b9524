import Foundation
import Pprof
import Testing

/// `compare --profiles BASE HEAD`: a red comparison names the functions whose share of the CPU
/// profile grew most in each regressed benchmark.
@Suite(.timeLimit(.minutes(3)))
struct CompareProfilesTests {
    /// Writes a profile whose samples are `stacks` (root first) as `Gateway/generate`'s in `directory`.
    static func writeProfile(_ stacks: [([String], Int64)], in directory: URL) throws {
        var builder = ProfileBuilder(
            sampleTypes: [("samples", "count"), ("cpu", "nanoseconds")],
            period: ("cpu", "nanoseconds", 10_101_010),
            regions: [],
            time: Date(timeIntervalSince1970: 0),
            duration: .seconds(1)
        )
        var addresses: [String: UInt64] = [:]
        for (frames, count) in stacks {
            let stack = frames.reversed().map { name in
                let address = addresses[name] ?? UInt64(0x1000 + addresses.count * 16)
                addresses[name] = address
                return ProfileFrame(address: address, name: name)
            }
            builder.add(stack: stack, values: [count, count * 10_101_010])
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(try builder.build().gzipped()).write(to: directory.appendingPathComponent("Gateway-generate.pb.gz"))
    }

    @Test func aRegressionNamesTheFunctionWhoseShareGrewMost() async throws {
        let directory = try CompareCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let baseline = try CompareCommandTests.write(CompareCommandTests.steady, in: directory, name: "baseline.json")
        let slower = try CompareCommandTests.write(CompareCommandTests.steady.map { $0 * 1.3 }, in: directory, name: "slower.json")
        let base = directory.appendingPathComponent("base")
        let head = directory.appendingPathComponent("head")
        try Self.writeProfile([(["main", "Gateway.relay()"], 80), (["main", "Gateway.parse()"], 20)], in: base)
        try Self.writeProfile(
            [(["main", "Gateway.relay()"], 60), (["main", "Gateway.parse()"], 20), (["main", "Gateway.copyBody()"], 20)],
            in: head
        )

        let text = try await CompareCommandTests.run([
            "--baseline", baseline, "--current", slower, "--color", "never", "--profiles", base.path, head.path,
        ])
        #expect(text.code == 1)
        #expect(text.stdout.contains("Where the CPU time moved"), "\(text.stdout)")
        #expect(text.stdout.contains("Gateway/generate: Gateway.copyBody() +20.0 points (0.0% -> 20.0%)"), "\(text.stdout)")

        let markdown = try await CompareCommandTests.run([
            "--baseline", baseline, "--current", slower, "--format", "markdown", "--profiles", base.path, head.path,
        ])
        #expect(markdown.stdout.contains("- `Gateway/generate`: Gateway.copyBody() +20.0 points"), "\(markdown.stdout)")

        // Without a regression there is nothing to point at.
        let same = try await CompareCommandTests.run([
            "--baseline", baseline, "--current", baseline, "--color", "never", "--profiles", base.path, head.path,
        ])
        #expect(same.code == 0)
        #expect(!same.stdout.contains("Where the CPU time moved"))
    }

    @Test func badProfileArgumentsAreExit2() async throws {
        let directory = try CompareCommandTests.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let baseline = try CompareCommandTests.write(CompareCommandTests.steady, in: directory, name: "baseline.json")
        let slower = try CompareCommandTests.write(CompareCommandTests.steady.map { $0 * 1.3 }, in: directory, name: "slower.json")
        let one = try await CompareCommandTests.run(["--baseline", baseline, "--current", slower, "--profiles", directory.path])
        #expect(one.code == 2)
        #expect(one.stderr.contains("--profiles: give two directories, BASE HEAD (got 1)"), "\(one.stderr)")
        // A file that is no profile is named.
        let base = directory.appendingPathComponent("base")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        try Data("not a profile".utf8).write(to: base.appendingPathComponent("Gateway-generate.pb.gz"))
        let bad = try await CompareCommandTests.run(["--baseline", baseline, "--current", slower, "--profiles", base.path, base.path])
        #expect(bad.code == 2)
        #expect(bad.stderr.contains("Gateway-generate.pb.gz: not a pprof profile"), "\(bad.stderr)")
    }
}
