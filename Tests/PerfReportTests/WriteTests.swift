import Foundation
import PerfReport
import Testing

@Suite("Atomic writes")
struct WriteTests {
    private func contents(of directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    @Test func writtenReportLoadsBackEqual() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(directory) }
        let path = directory.appendingPathComponent("current.json").path
        try TestSupport.sampleReport().write(to: path)
        #expect(try PerformanceReport.load(path: path) == TestSupport.sampleReport())
        #expect(try contents(of: directory) == ["current.json"])
    }

    @Test func failedEncodingLeavesTheOldFileIntact() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(directory) }
        let path = directory.appendingPathComponent("current.json").path
        try TestSupport.sampleReport().write(to: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        var broken = TestSupport.sampleReport()
        broken.benchmarks[0].metrics[0].samples = [.nan]
        #expect(throws: ReportError.self) { try broken.write(to: path) }
        do {
            try broken.write(to: path)
        } catch {
            #expect(error.description.hasPrefix("\(path): cannot write report ("))
            #expect(error.description.hasSuffix("; the file was left unchanged"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try contents(of: directory) == ["current.json"])
    }

    @Test func missingDirectoryWritesNothing() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(directory) }
        let path = directory.appendingPathComponent("missing/current.json").path
        do {
            try TestSupport.sampleReport().write(to: path)
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description == "\(path): cannot write report (directory \(directory.path)/missing does not exist); the file was left unchanged"
            )
        }
        #expect(try contents(of: directory).isEmpty)
    }

    @Test func writingReplacesAnExistingFile() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(directory) }
        let path = directory.appendingPathComponent("current.json").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        try TestSupport.sampleReport().write(to: path)
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(written == (try TestSupport.sampleReport().jsonData()) + Data("\n".utf8))
    }

    @Test func aWrittenReportIsReadableByEveryoneAndWritableByItsOwner() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(directory) }
        let path = directory.appendingPathComponent("current.json").path
        let previous = umask(0o022)
        defer { umask(previous) }
        try TestSupport.sampleReport().write(to: path)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o644)
    }

    @Test func aDirectoryInTheReportsPlaceIsNamedAndLeftAlone() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(directory) }
        let path = directory.appendingPathComponent("current.json").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        do {
            try TestSupport.sampleReport().write(to: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "\(path): cannot write report (\(path) is a directory); the file was left unchanged")
        }
        #expect(try contents(of: directory) == ["current.json"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).isEmpty)
    }
}
