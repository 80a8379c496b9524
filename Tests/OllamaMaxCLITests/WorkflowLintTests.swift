import Foundation
import TestHTTP
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

    static var tool: ExternalTool {
        ExternalTool("actionlint", url: actionlint, install: "run scripts/test.sh to install actionlint into .venv")
    }

    @Test(tool.enabled, .timeLimit(.minutes(3)))
    func workflowsPassActionlint() async throws {
        let actionlint = try Self.tool.path()
        let workflows = ChildProcess.packageRoot.appendingPathComponent(".github/workflows")
        let files = try FileManager.default.contentsOfDirectory(atPath: workflows.path).filter { $0.hasSuffix(".yml") }.sorted()
        #expect(files == ["ci.yml", "performance.yml"])
        let result = try await CompareCommandTests.runToFiles(
            actionlint,
            ["-no-color"] + files.map { workflows.appendingPathComponent($0).path }
        )
        #expect(result.code == 0, "actionlint:\n\(result.stdout)\n\(result.stderr)")
    }

    @Test(tool.enabled, .timeLimit(.minutes(3)))
    func actionlintCatchesABrokenWorkflow() async throws {
        let actionlint = try Self.tool.path()
        let directory = try CompareCommandTests.directory()
        let broken = directory.appendingPathComponent("broken.yml")
        try "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt.name }}\n"
            .write(to: broken, atomically: true, encoding: .utf8)
        let result = try await CompareCommandTests.runToFiles(actionlint, ["-no-color", broken.path])
        #expect(result.code == 1)
        #expect(result.stdout.contains("evnt"))
    }
}
