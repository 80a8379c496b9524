import Foundation
import Testing

/// The GitHub workflows pass actionlint (installed into .venv by scripts/test.sh from
/// Tests/tools/requirements.txt), which also runs shellcheck-style checks on `run:` blocks
/// when shellcheck is installed.
struct WorkflowLintTests {
    static var actionlint: URL? {
        if let path = ProcessInfo.processInfo.environment["OLLAMAMAX_ACTIONLINT"] { return URL(fileURLWithPath: path) }
        let venv = ChildProcess.packageRoot.appendingPathComponent(".venv/bin/actionlint")
        return FileManager.default.isExecutableFile(atPath: venv.path) ? venv : nil
    }

    static var required: Bool { ProcessInfo.processInfo.environment["OLLAMAMAX_REQUIRE_REAL_CLIENTS"] == "1" }

    @Test(.enabled(if: actionlint != nil || required, "run scripts/test.sh to install actionlint into .venv"), .timeLimit(.minutes(1)))
    func workflowsPassActionlint() async throws {
        let actionlint = try #require(Self.actionlint, "no actionlint: run scripts/test.sh")
        let workflows = ChildProcess.packageRoot.appendingPathComponent(".github/workflows")
        let files = try FileManager.default.contentsOfDirectory(atPath: workflows.path).filter { $0.hasSuffix(".yml") }.sorted()
        #expect(files == ["ci.yml", "performance.yml"])
        let result = try await CompareCommandTests.runToFiles(
            actionlint, ["-no-color"] + files.map { workflows.appendingPathComponent($0).path })
        #expect(result.code == 0, "actionlint:\n\(result.stdout)\n\(result.stderr)")
    }

    @Test(.enabled(if: actionlint != nil || required, "run scripts/test.sh to install actionlint into .venv"), .timeLimit(.minutes(1)))
    func actionlintCatchesABrokenWorkflow() async throws {
        let actionlint = try #require(Self.actionlint, "no actionlint: run scripts/test.sh")
        let directory = try CompareCommandTests.directory()
        let broken = directory.appendingPathComponent("broken.yml")
        try "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt.name }}\n"
            .write(to: broken, atomically: true, encoding: .utf8)
        let result = try await CompareCommandTests.runToFiles(actionlint, ["-no-color", broken.path])
        #expect(result.code == 1)
        #expect(result.stdout.contains("evnt"))
    }
}
