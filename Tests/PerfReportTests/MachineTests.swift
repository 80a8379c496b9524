import Foundation
import PerfReport
import TestHTTP
import Testing

@Suite("Describing the machine")
struct MachineTests {
    @Test func currentHostReportsThisProcessesCoresAndMemory() {
        let host = HostInfo.current()
        #expect(host.cores == ProcessInfo.processInfo.activeProcessorCount)
        #expect(host.memoryBytes == Int(ProcessInfo.processInfo.physicalMemory))
        #expect(host.kernel?.isEmpty == false)
        #if os(Linux)
        #expect(host.cpuModel?.isEmpty == false)
        #endif
    }

    @Test func metadataUsesTheInjectedClockAndJoinsTheCommand() {
        let metadata = Metadata.current(command: ["bench", "--name", "chat load", "it's"], labels: ["ci": "yes"], now: TestSupport.date)
        #expect(metadata.createdAt == TestSupport.dateString)
        #expect(metadata.command == #"bench --name 'chat load' 'it'\''s'"#)
        #expect(metadata.labels == ["ci": "yes"])
        #expect(metadata.toolchain?.hasPrefix("Swift 6.") == true)
    }

    @Test func gitFieldsAreNilOutsideARepository() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(directory) }
        #expect(GitInfo.current(in: directory.path) == GitInfo())
    }

    @Test(ExternalTool.git.enabled) func gitReportsCommitBranchAndDirtiness() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(directory) }
        #expect(try run(["init", "-q", "-b", "perf"], in: directory))
        try Data("a".utf8).write(to: directory.appendingPathComponent("file.txt"))
        #expect(try run(["add", "file.txt"], in: directory))
        #expect(try run(["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one"], in: directory))
        let clean = GitInfo.current(in: directory.path)
        #expect(clean.commit?.count == 40)
        #expect(clean.branch == "perf")
        #expect(clean.dirty == false)
        try Data("b".utf8).write(to: directory.appendingPathComponent("file.txt"))
        #expect(GitInfo.current(in: directory.path).dirty == true)
    }

    private func run(_ arguments: [String], in directory: URL) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
