import Foundation
import PerfReport
import PerfAnalysis
import TestHTTP
import Testing

@testable import Charts

/// PNG conversion through rsvg-convert and the HTML report in headless Chromium, for real.
/// scripts/test.sh installs both (librsvg2-bin, chromium), so these run in CI.
@Suite(.serialized) struct RenderTests {
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "charts-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func chartSet(count: Int) throws -> (AnalysisReport, ChartSet) {
        let report = try ChartFixture.analysis(count: count)
        return (report, ChartSet(report: report, trends: [ChartFixture.steppedTrend], trendsNote: ""))
    }

    @Test(ExternalTool.rsvgConvert.enabled) func writesEveryChartAsSVGAndPNG() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (_, set) = try Self.chartSet(count: 5)
        let svgs = try set.writeSVGs(to: directory)
        #expect(svgs.map { ($0 as NSString).lastPathComponent } == ChartSet.names.map { "\($0).svg" })
        let tool = try #require(PNGConverter.locate(), "rsvg-convert is missing: apt-get install librsvg2-bin")
        for svg in svgs {
            _ = try SVGTree.parse(String(contentsOfFile: svg, encoding: .utf8))
            let png = String(svg.dropLast(4)) + ".png"
            try await offThePool { try PNGConverter.convert(svg: svg, to: png, tool: tool) }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: png))
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(png) is not a PNG")
            // Width from the IHDR chunk: the chart's own width.
            let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
            #expect(width > 600)
        }
    }

    @Test func missingConverterIsReportedNotCrashed() {
        #expect(PNGConverter.locate(environment: ["PATH": "/nonexistent"]) == nil)
        #expect(PNGConverter.missingMessage.contains("apt-get install librsvg2-bin"))
    }

    @Test func unwritableOutputDirectoryNamesThePath() throws {
        let (_, set) = try Self.chartSet(count: 1)
        let file = NSTemporaryDirectory() + "charts-not-a-dir-\(UUID().uuidString)"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect {
            _ = try set.writeSVGs(to: file + "/charts")
        } throws: { error in
            (error as? ChartsError)?.description.hasPrefix("\(file)/charts: cannot create the directory") == true
        }
    }

    @Test func htmlIsSelfContained() throws {
        let (report, set) = try Self.chartSet(count: 3)
        let html = HTMLReport.render(report, charts: set)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for name in ChartSet.names { #expect(html.contains(set.svgs[name].map { String($0.prefix(200)) } ?? "missing")) }
        // Nothing is fetched: no src/href attributes at all, and the only URL is the SVG namespace.
        #expect(!html.contains(" src=") && !html.contains(" href=") && !html.contains("@import"))
        let urls = html.components(separatedBy: "http").dropFirst().map { "http" + $0.prefix(30) }
        #expect(urls.allSatisfy { $0.hasPrefix("http://www.w3.org/2000/svg") }, "\(urls)")
        #expect(html.contains("<table class=\"sortable\" id=\"results\">"))
    }

    /// Runs headless Chromium on `html` and returns (DOM after scripts ran, stderr log).
    static func chromium(_ html: String) async throws -> (dom: String, log: String) {
        try await offThePool { try chromiumNow(html) }
    }

    private static func chromiumNow(_ html: String) throws -> (dom: String, log: String) {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let page = directory + "/report.html"
        try html.write(toFile: page, atomically: true, encoding: .utf8)
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        let binary = try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
            "chromium is missing: apt-get install chromium"
        )
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0", "--no-first-run",
            "--user-data-dir=\(directory)/profile", "--virtual-time-budget=2000", "--dump-dom", "file://\(page)",
        ]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while Chromium runs so neither fills up and blocks it.
        let errData = LockedData()
        let group = DispatchGroup()
        let errors = err.fileHandleForReading
        DispatchQueue.global().async(group: group) { errData.set((try? errors.readToEndRetryingInterrupts()) ?? Data()) }
        let dom = try out.fileHandleForReading.readToEndRetryingInterrupts()
        process.waitUntilExit()
        group.wait()
        return (String(decoding: dom, as: UTF8.self), String(decoding: errData.value, as: UTF8.self))
    }

    /// Console errors Chromium logged for the page.
    static func consoleErrors(_ log: String) -> [String] {
        log.split(separator: "\n").map(String.init).filter { $0.contains("CONSOLE") && ($0.contains("Uncaught") || $0.contains("Error")) }
    }

    @Test(ExternalTool.chromium.enabled) func chromiumDetectsAConsoleErrorInABrokenPage() async throws {
        // The check below can fail: a page with a script error is caught.
        let (_, log) = try await Self.chromium("<!DOCTYPE html><html><body><script>undefinedFunction();</script></body></html>")
        #expect(!Self.consoleErrors(log).isEmpty, "no console error found in: \(log.suffix(2000))")
    }

    @Test(ExternalTool.chromium.enabled) func htmlReportLoadsInChromiumWithoutErrorsAndSorts() async throws {
        let (report, set) = try Self.chartSet(count: 4)
        var html = HTMLReport.render(report, charts: set)
        // Sort by change, descending (two clicks), after the page's own script has run.
        html = html.replacingOccurrences(
            of: "</body>",
            with: "<script>var th=document.querySelector('th[data-col=\"5\"]');th.click();th.click();</script></body>"
        )
        let (dom, log) = try await Self.chromium(html)
        #expect(Self.consoleErrors(log).isEmpty, "\(Self.consoleErrors(log))")
        #expect(dom.contains("<table class=\"sortable\" id=\"results\">"))
        #expect(dom.contains("class=\"desc\""))
        // Benchmark 0 got 40% slower: the largest change, first after a descending sort.
        let body = try #require(dom.range(of: "<tbody>"))
        let firstRow = dom[body.upperBound...].prefix(400)
        #expect(firstRow.contains("Suite/bench_0"), "\(firstRow)")
    }
}

/// Data handed from the stderr reader thread.
final class LockedData: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var data = Data()

    func set(_ value: Data) { lock.withLock { data = value } }
    var value: Data { lock.withLock { data } }
}
