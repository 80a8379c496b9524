import Foundation
import GRDB
import PerfReport

/// One stored run, as `history list` shows it.
public struct RunRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var commit: String
    public var branch: String
    public var createdAt: String
    public var hostFingerprint: String
    public var hostname: String?
    public var source: String
    public var benchmarks: Int
}

/// The SQLite history of reports (GRDB, WAL mode): one row per run keyed by commit, branch,
/// time and host fingerprint, and one row per benchmark metric with its summary.
///
/// Writes are single transactions, so a run is stored whole or not at all; WAL and a busy
/// timeout let several processes add reports at once. An existing file that is not a SQLite
/// database is reported and never touched.
public final class HistoryStore: Sendable {
    /// The default database, relative to the working directory (the project root in CI).
    public static let defaultPath = ".ollamamax/history.sqlite"

    /// The database file.
    public let path: String
    let pool: DatabasePool

    /// Opens the database at `path`; with `create`, makes it (and its directory) when missing.
    public init(path: String, create: Bool) throws(HistoryError) {
        self.path = path
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            try Self.checkHeader(path)
        } else if !create {
            throw HistoryError(
                .missingDatabase,
                "\(path): no history database here; add a report first with `ollama-distributed history add REPORT` (or pass --db)"
            )
        } else {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                do { try manager.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                    throw HistoryError(
                        .storage,
                        "\(path): cannot create the directory \(directory) (\(error.localizedDescription)); pass a writable --db"
                    )
                }
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.foreignKeysEnabled = true
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    /// SQLite files start with these 16 bytes; anything else is not ours to open (or to overwrite).
    static let header = Array("SQLite format 3\u{0}".utf8)

    static func checkHeader(_ path: String) throws(HistoryError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw HistoryError(.storage, "\(path): cannot read the history database (permission denied?)")
        }
        defer { try? handle.close() }
        let bytes = Array(handle.readData(ofLength: 16))
        // An empty file is what SQLite itself makes before the first write: let it be initialised.
        guard bytes.isEmpty || bytes == header else {
            throw HistoryError(
                .corrupt,
                "\(path): not a SQLite database (it does not start with the SQLite header); it was left untouched: move it away or pass another --db"
            )
        }
    }

    static func wrap(_ error: any Error, path: String) -> HistoryError {
        if let error = error as? HistoryError { return error }
        if let error = error as? DatabaseError {
            if error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
                return HistoryError(
                    .corrupt,
                    "\(path): the history database is damaged (\(error.message ?? "\(error.resultCode)")); it was left untouched: move it away or pass another --db"
                )
            }
            return HistoryError(.storage, "\(path): SQLite error \(error.resultCode): \(error.message ?? "unknown")")
        }
        return HistoryError(.storage, "\(path): \(error)")
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE runs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        commit_hash TEXT NOT NULL, branch TEXT NOT NULL, created_at TEXT NOT NULL,
                        host_fingerprint TEXT NOT NULL, hostname TEXT, source TEXT NOT NULL, added_at TEXT NOT NULL,
                        report BLOB NOT NULL,
                        UNIQUE (commit_hash, branch, created_at, host_fingerprint));
                    CREATE TABLE measurements (
                        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        benchmark TEXT NOT NULL, metric TEXT NOT NULL, unit TEXT NOT NULL, better TEXT NOT NULL,
                        count INTEGER NOT NULL, median REAL NOT NULL, mean REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL,
                        p95 REAL NOT NULL, stddev REAL NOT NULL,
                        PRIMARY KEY (run_id, benchmark, metric));
                    CREATE INDEX measurements_by_name ON measurements (benchmark, metric);
                    """
            )
        }
        return migrator
    }

    /// Stores `report` (read from `source`) in one transaction and returns its run id.
    /// - Throws: ``HistoryError`` of kind `duplicate` when the same commit, branch, time and host are stored already.
    @discardableResult
    public func add(_ report: PerformanceReport, source: String) throws(HistoryError) -> Int64 {
        let key = Self.key(report)
        let blob: Data
        do { blob = try JSONEncoder().encode(report) } catch {
            throw HistoryError(.storage, "\(source): cannot encode the report (\(error))")
        }
        let added = ISO8601DateFormatter().string(from: Date())
        do {
            return try pool.write { db -> Int64 in
                if let existing = try Int64.fetchOne(
                    db,
                    sql: "SELECT id FROM runs WHERE commit_hash = ? AND branch = ? AND created_at = ? AND host_fingerprint = ?",
                    arguments: [key.commit, key.branch, key.createdAt, key.host]
                ) {
                    throw HistoryError(
                        .duplicate,
                        "\(source): this run (commit \(key.commit.prefix(12)), \(key.createdAt)) is already in \(self.path) as run \(existing)"
                    )
                }
                try db.execute(
                    sql:
                        "INSERT INTO runs (commit_hash, branch, created_at, host_fingerprint, hostname, source, added_at, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [key.commit, key.branch, key.createdAt, key.host, report.metadata.host?.hostname, source, added, blob]
                )
                let id = db.lastInsertedRowID
                for benchmark in report.benchmarks {
                    for metric in benchmark.metrics {
                        let s = metric.summary
                        try db.execute(
                            sql: "INSERT INTO measurements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            arguments: [
                                id, benchmark.name, metric.name, metric.unit, metric.direction == .lowerIsBetter ? "lower" : "higher",
                                s.count, s.median, s.mean, s.min, s.max, s.p95, s.stddev,
                            ]
                        )
                    }
                }
                return id
            }
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    /// The run's identity in the history.
    static func key(_ report: PerformanceReport) -> (commit: String, branch: String, createdAt: String, host: String) {
        (
            report.metadata.git?.commit ?? "unknown", report.metadata.git?.branch ?? "unknown", report.metadata.createdAt,
            HostFingerprint.of(report.metadata.host)
        )
    }

    /// Runs, newest first.
    public func runs(limit: Int = 50) throws(HistoryError) -> [RunRecord] {
        do {
            return try pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT r.id, r.commit_hash, r.branch, r.created_at, r.host_fingerprint, r.hostname, r.source,
                               (SELECT COUNT(DISTINCT benchmark) FROM measurements m WHERE m.run_id = r.id) AS benchmarks
                        FROM runs r ORDER BY r.created_at DESC, r.id DESC LIMIT ?
                        """,
                    arguments: [limit]
                ).map(Self.record)
            }
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    /// One run and its stored report.
    public func run(id: Int64) throws(HistoryError) -> (RunRecord, PerformanceReport) {
        do {
            return try pool.read { db in
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT r.*, (SELECT COUNT(DISTINCT benchmark) FROM measurements m WHERE m.run_id = r.id) AS benchmarks
                            FROM runs r WHERE r.id = ?
                            """,
                        arguments: [id]
                    )
                else {
                    throw HistoryError(.notFound, "\(self.path): no run \(id); `history list` shows the stored runs")
                }
                let blob: Data = row["report"]
                let report = try PerformanceReport.parse(blob, source: "\(self.path) run \(id)")
                return (Self.record(row), report)
            }
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    static func record(_ row: Row) -> RunRecord {
        RunRecord(
            id: row["id"],
            commit: row["commit_hash"],
            branch: row["branch"],
            createdAt: row["created_at"],
            hostFingerprint: row["host_fingerprint"],
            hostname: row["hostname"],
            source: row["source"],
            benchmarks: row["benchmarks"]
        )
    }
}
