import Foundation

extension PerformanceReport {
    /// Reads, converts and validates the file at `path`.
    ///
    /// Imported formats carry no timestamp of their own, so their report's `created_at` is the
    /// file's modification time.
    /// - Parameters:
    ///   - path: the file to read; every error message starts with it.
    ///   - format: the file's format, or `.auto` to detect it from the content.
    /// - Throws: a ``ReportError`` naming the file for unreadable, truncated, non-JSON,
    ///   unrecognised or invalid content.
    public static func load(path: String, format: InputFormat = .auto) throws(ReportError) -> PerformanceReport {
        let data: Data
        let modified: Date
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            modified = attributes[.modificationDate] as? Date ?? Date()
        } catch {
            throw .unreadable(path, reason: Self.reason(path: path, error))
        }
        return try parse(data, source: path, format: format, createdAt: modified)
    }

    /// Converts and validates `data` that was read from `source`.
    ///
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - source: the name every error message starts with, usually the file path.
    ///   - format: the format of `data`, or `.auto` to detect it.
    ///   - createdAt: the timestamp for imported formats that carry none; ignored for reports.
    public static func parse(
        _ data: Data,
        source: String,
        format: InputFormat = .auto,
        createdAt: Date = Date()
    ) throws(ReportError) -> PerformanceReport {
        var format = format
        if format == .auto || format == .report, data.first(where: { !InputFormat.isWhitespace($0) }) == UInt8(ascii: "{"),
            let report = FastReportDecoder.decode(data),
            report.schemaVersion == currentSchemaVersion
        {
            // The common case, a report of our own, in one decoding pass; anything else takes the
            // slower path below, which detects the format and explains what is wrong.
            try report.validate(source: source)
            return report
        }
        if format == .auto {
            if let first = data.first(where: { !InputFormat.isWhitespace($0) }),
                first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
            {
                _ = try JSONInput.object(data, source: source)
            }
            guard let detected = InputFormat.detect(data) else { throw .unknownFormat(source) }
            format = detected
        }
        let report: PerformanceReport
        switch format {
        case .auto, .report:
            report = try decodeReport(data, source: source)
        case .goBench:
            report = try GoBenchImporter().parse(data, source: source, createdAt: createdAt)
        case .packageBenchmark:
            report = try PackageBenchmarkImporter().parse(data, source: source, createdAt: createdAt)
        case .hyperfine:
            report = try HyperfineImporter().parse(data, source: source, createdAt: createdAt)
        }
        try report.validate(source: source)
        return report
    }

    /// Decodes this module's own JSON, checking the schema version before anything else so a
    /// newer file fails on its version rather than on a field this build does not know.
    static func decodeReport(_ data: Data, source: String) throws(ReportError) -> PerformanceReport {
        let object = try JSONInput.object(data, source: source)
        guard let dictionary = object as? [String: Any] else {
            throw .badStructure(source, path: "", problem: "expected a JSON object with \"schema_version\" at the top")
        }
        guard let rawVersion = dictionary["schema_version"] else {
            throw .badStructure(source, path: "", problem: "missing key \"schema_version\" (is this a PerfReport file?)")
        }
        guard let version = rawVersion as? Int else {
            throw .badStructure(source, path: "schema_version", problem: "expected an integer")
        }
        guard version == currentSchemaVersion else { throw .unsupportedSchema(source, version: version) }
        return try JSONInput.decode(PerformanceReport.self, from: data, source: source)
    }

    /// Why `path` could not be read, in a few words.
    static func reason(path: String, _ error: any Error) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return "no such file" }
        if isDirectory.boolValue { return "it is a directory" }
        if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
        return (error as NSError).localizedDescription
    }
}
