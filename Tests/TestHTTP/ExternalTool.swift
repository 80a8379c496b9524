import Foundation
import Testing

/// A program outside the package that a test needs: promtool, Prometheus, Chromium,
/// rsvg-convert, perf, go, the Python clients' venv, actionlint, git.
///
/// Where the tool is missing, a test marked with ``enabled`` is skipped with a reason that says
/// how to install it. `scripts/test.sh` installs every tool and sets
/// `OLLAMAMAX_REQUIRE_REAL_CLIENTS=1`; then the test runs anyway and fails where the tool is
/// missing (``path()`` throws), so CI never passes by skipping.
public struct ExternalTool: Sendable, CustomStringConvertible {
    /// The program's name, e.g. `promtool`.
    public let name: String
    /// Where it was found; nil when it was not.
    public let url: URL?
    /// How to get it, e.g. `apt-get install -y prometheus`.
    public let install: String

    /// Finds `name`: `override` first (an environment variable's value naming the file), then
    /// each of `candidates` (absolute paths), then each directory of `PATH`.
    public init(_ name: String, candidates: [String] = [], override: String? = nil, install: String) {
        self.init(name, url: Self.locate(name, candidates: candidates, override: override), install: install)
    }

    /// A tool found elsewhere (e.g. by the library that runs it), or not found when `url` is nil.
    public init(_ name: String, url: URL?, install: String) {
        self.name = name
        self.url = url
        self.install = install
    }

    /// Whether `scripts/test.sh` asked that every tool be there (`OLLAMAMAX_REQUIRE_REAL_CLIENTS=1`).
    public static var required: Bool { ProcessInfo.processInfo.environment["OLLAMAMAX_REQUIRE_REAL_CLIENTS"] == "1" }

    /// `name is missing: install`, the reason a test skips or fails.
    public var description: String { "\(name) is missing: \(install)" }

    /// The trait of a test that needs this tool: it runs where the tool is found or where every
    /// tool is required, and is skipped with ``description`` otherwise.
    public var enabled: ConditionTrait {
        let available = url != nil
        return .enabled(if: available || Self.required, Comment(rawValue: description))
    }

    /// The tool's location; throws ``Missing`` (failing the test) when it was not found.
    public func path() throws -> URL {
        guard let url else { throw Missing(description: description) }
        return url
    }

    /// A required tool that is not installed.
    public struct Missing: Error, CustomStringConvertible {
        /// Which tool and how to install it.
        public let description: String
    }

    static func locate(_ name: String, candidates: [String], override: String?) -> URL? {
        if let override, !override.isEmpty { return URL(fileURLWithPath: override) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let places = candidates + path.split(separator: ":").map { "\($0)/\(name)" }
        return places.first { FileManager.default.isExecutableFile(atPath: $0) }.map { URL(fileURLWithPath: $0) }
    }
}

extension ExternalTool {
    /// Prometheus's rule and config checker (Debian's `prometheus` package).
    public static let promtool = ExternalTool("promtool", install: "run scripts/test.sh, or apt-get install -y prometheus")
    /// Alertmanager's config checker (Debian's `prometheus-alertmanager` package).
    public static let amtool = ExternalTool("amtool", install: "run scripts/test.sh, or apt-get install -y prometheus-alertmanager")
    /// The Prometheus server.
    public static let prometheus = ExternalTool("prometheus", install: "run scripts/test.sh, or apt-get install -y prometheus")
    /// The SVG-to-PNG converter the charts use.
    public static let rsvgConvert = ExternalTool("rsvg-convert", install: "run scripts/test.sh, or apt-get install -y librsvg2-bin")
    /// Headless Chromium, which loads the HTML report.
    public static let chromium = ExternalTool(
        "chromium",
        candidates: ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"],
        install: "run scripts/test.sh, or apt-get install -y chromium"
    )
    /// Python 3, which runs the seed's scripts and the benchmark helpers.
    public static let python3 = ExternalTool("python3", install: "install Python 3 (scripts/test.sh needs it too)")
    /// The venv's Python with Playwright (scripts/dashboard-check.py drives Chromium with it).
    public static let playwright = ExternalTool(
        "python with playwright",
        url: ProcessInfo.processInfo.environment["OLLAMAMAX_PYTHON"].map { URL(fileURLWithPath: $0) },
        install: "run scripts/test.sh (it installs Tests/tools/requirements.txt into .venv and sets OLLAMAMAX_PYTHON)"
    )
    /// The Go toolchain, whose `go tool pprof` reads the gateway's profiles (Debian's `golang-go`).
    public static let go = ExternalTool(
        "go",
        candidates: ["/usr/bin/go", "/usr/lib/go/bin/go", "/usr/local/go/bin/go"],
        install: "run scripts/test.sh, or apt-get install -y golang-go"
    )
    /// nginx, in round robin over gateway replicas (the bench's `-nginx` variants).
    public static let nginx = ExternalTool("nginx", candidates: ["/usr/sbin/nginx"], install: "run scripts/test.sh, or apt-get install -y nginx")
    /// git, whose output the report's metadata records.
    public static let git = ExternalTool("git", install: "apt-get install -y git")
}
