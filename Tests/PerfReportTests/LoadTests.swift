import Foundation
import PerfReport
import Testing

@Suite("Loading files and detecting their format")
struct LoadTests {
    private func loadError(_ contents: String, name: String = "current.json", format: InputFormat = .auto) throws -> String? {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(directory) }
        let path = directory.appendingPathComponent(name).path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try PerformanceReport.load(path: path, format: format)
            return nil
        } catch {
            return error.description.replacingOccurrences(of: directory.path + "/", with: "")
        }
    }

    @Test(arguments: [
        ("go-bench.txt", InputFormat.goBench),
        ("hyperfine.json", .hyperfine),
        ("package-benchmark.jmh.json", .packageBenchmark),
        ("report.json", .report),
    ])
    func detectsTheFormatOfEachFixture(name: String, format: InputFormat) throws {
        #expect(InputFormat.detect(try TestSupport.fixture(name)) == format)
        let report = try PerformanceReport.load(path: try TestSupport.fixturePath(name))
        #expect(!report.benchmarks.isEmpty)
    }

    @Test func truncatedJSONSaysSoAndNamesTheFile() throws {
        let full = String(decoding: try TestSupport.fixture("report.json"), as: UTF8.self)
        let cut = String(full.prefix(full.count / 2))
        #expect(try loadError(cut) == "current.json: JSON ends unexpectedly (is the file truncated?)")
        #expect(try loadError(cut, format: .report) == "current.json: JSON ends unexpectedly (is the file truncated?)")
    }

    @Test func nonJSONGivenAsReportSaysWhatItStartsWith() throws {
        #expect(
            try loadError("hello, world\nsecond line", format: .report)
                == #"current.json: not valid JSON (expected "{" or "[" but the file starts with "hello, world")"#
        )
    }

    @Test func unrecognisedContentAsksForAnExplicitFormat() throws {
        #expect(
            try loadError("hello, world\n", name: "notes.txt")
                == "notes.txt: cannot tell the format (expected one of: report, go, package-benchmark, hyperfine); pass the format explicitly"
        )
    }

    @Test func emptyFileIsNotJSON() throws {
        #expect(try loadError("", format: .report) == "current.json: not valid JSON (the file is empty)")
    }

    @Test func unknownSchemaVersionInAFileIsRejected() throws {
        #expect(try loadError(#"{"schema_version": 7}"#) == "current.json: schema_version 7 is not supported (this build reads version 1)")
    }

    @Test func missingFileIsNamed() {
        let path = "/nonexistent-\(UUID().uuidString)/current.json"
        #expect(throws: ReportError.self) { try PerformanceReport.load(path: path) }
        do {
            _ = try PerformanceReport.load(path: path)
        } catch {
            #expect(error.description == "\(path): cannot read file (no such file)")
            #expect(error.source == path)
        }
    }

    @Test func importedReportsTakeTheFilesModificationTime() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(directory) }
        let path = directory.appendingPathComponent("bench.txt").path
        try TestSupport.fixture("go-bench.txt").write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: TestSupport.date], ofItemAtPath: path)
        #expect(try PerformanceReport.load(path: path).metadata.createdAt == TestSupport.dateString)
    }

    @Test func explicitFormatOverridesDetection() throws {
        let path = try TestSupport.fixturePath("go-bench.txt")
        let text = try #require(try? PerformanceReport.load(path: path, format: .goBench))
        #expect(text.benchmarks.count == 3)
        #expect(throws: ReportError.self) { try PerformanceReport.load(path: path, format: .hyperfine) }
    }
}
