import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PerformanceReport {
    /// The report as pretty-printed JSON with sorted keys, so equal reports give equal bytes
    /// and diffs between runs stay readable.
    /// - Throws: when a value cannot be written as JSON (a NaN or infinite sample).
    public func jsonData(source: String = "report") throws(ReportError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(self)
        } catch let EncodingError.invalidValue(value, context) {
            let location = JSONInput.path(context.codingPath)
            throw .writeFailed(source, reason: "\(value) at \(location) cannot be written as JSON")
        } catch {
            throw .writeFailed(source, reason: "\(error)")
        }
    }

    /// Writes the report to `path` atomically: the JSON goes to a temporary file in the same
    /// directory, which is then renamed over `path`. On any error nothing changes at `path`
    /// and the temporary file is removed.
    public func write(to path: String) throws(ReportError) {
        var data = try jsonData(source: path)
        data.append(UInt8(ascii: "\n"))
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            throw .writeFailed(path, reason: Self.writeReason(directory: directory.path, error))
        }
        guard rename(temporary.path, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw .writeFailed(path, reason: reason)
        }
    }

    private static func writeReason(directory: String, _ error: any Error) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            return "directory \(directory) does not exist"
        }
        return (error as NSError).localizedDescription
    }
}
