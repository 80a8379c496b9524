import Foundation
import PerfReport

/// SVG → PNG through `rsvg-convert` (Debian `librsvg2-bin`), found on `PATH`.
public enum PNGConverter {
    /// The `rsvg-convert` executable, or `nil` when it is not installed.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/rsvg-convert"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The message when PNGs cannot be made because the converter is missing.
    public static let missingMessage =
        "rsvg-convert not found: PNG charts need it (Debian/Ubuntu: apt-get install librsvg2-bin); the SVG charts were written"

    /// Converts `svg` to `png` next to it (same stem), at 1× scale on a white background.
    public static func convert(svg: String, to png: String, tool: String) throws(ChartsError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--format", "png", "--background-color", "white", "--output", png, svg]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ChartsError("\(tool): cannot run (\(error.localizedDescription))")
        }
        let message = (try? errors.fileHandleForReading.readToEndRetryingInterrupts()) ?? Data()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ChartsError("rsvg-convert failed on \(svg) (exit \(process.terminationStatus)): \(text)")
        }
    }
}
