import Foundation

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

    /// Writes the report to `path` atomically (Foundation's `.atomic`: a temporary file in the
    /// same directory renamed over `path`), with the usual permissions (0644 under umask 022).
    /// On any error nothing changes at `path` and no temporary file is left.
    public func write(to path: String) throws(ReportError) {
        var data = try jsonData(source: path)
        data.append(UInt8(ascii: "\n"))
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .writeFailed(path, reason: WriteFailure.reason(path: path, error))
        }
    }
}
