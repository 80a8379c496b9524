import ArgumentParser
import Foundation
import History
import PerfAnalysis
import PerfReport

extension OllamaDistributed {
    /// `history`: the SQLite store of runs, their trends and change points.
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Keep reports in a SQLite history; list them, show one, follow a benchmark's trend.",
            discussion: """
                Runs are keyed by commit, branch, time and host fingerprint; trends compare one host \
                and one branch. Exit codes: 0 done, 2 invalid report or usage, 3 database missing, \
                damaged or unwritable (never overwritten), 4 benchmark, metric or run not in the \
                history, 5 run already stored, 64 usage. Details: docs/reports.md.
                """,
            subcommands: [Add.self, List.self, Show.self, Trend.self]
        )

        struct Options: ParsableArguments {
            @Option(help: "The history database.")
            var db: String = HistoryStore.defaultPath

            func open(create: Bool) throws(CLIError) -> HistoryStore {
                do { return try HistoryStore(path: db, create: create) } catch { throw History.cliError(error) }
            }
        }

        /// The CLI error for a history error, with the documented exit code.
        static func cliError(_ error: HistoryError) -> CLIError {
            let code: Int32 =
                switch error.kind {
                case .missingDatabase, .corrupt, .storage: 3
                case .notFound: 4
                case .duplicate: 5
                }
            return .failure(error.description, code: code)
        }

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Store one or more reports.")
            @OptionGroup var options: Options
            @Argument(help: "Report files (PerformanceReport JSON or an importable format).") var reports: [String]

            func run() throws {
                guard !reports.isEmpty else { throw CLIError.invalidInput("history add: name at least one report file") }
                let store = try options.open(create: true)
                for path in reports {
                    let report: PerformanceReport
                    do { report = try PerformanceReport.load(path: path) } catch { throw CLIError.invalidInput(error.description) }
                    do {
                        let id = try store.add(report, source: path)
                        let commit = report.metadata.git?.commit.map { String($0.prefix(12)) } ?? "unknown"
                        print("added run \(id): \(path) (commit \(commit), \(report.metadata.createdAt), \(report.benchmarks.count) benchmarks)")
                    } catch {
                        throw History.cliError(error)
                    }
                }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List stored runs, newest first.")
            @OptionGroup var options: Options
            @Option(help: "How many runs.") var limit = 50

            func run() throws {
                let runs: [RunRecord]
                do { runs = try options.open(create: false).runs(limit: limit) } catch let error as HistoryError { throw History.cliError(error) }
                if runs.isEmpty { print("no runs in \(options.db)") }
                print(pad(["id", "created_at", "commit", "branch", "host", "benchmarks", "source"], [5, 21, 13, 16, 17, 11, 0]))
                for r in runs {
                    print(
                        pad(
                            ["\(r.id)", r.createdAt, String(r.commit.prefix(12)), r.branch, r.hostFingerprint, "\(r.benchmarks)", r.source],
                            [5, 21, 13, 16, 17, 11, 0]
                        )
                    )
                }
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show one run: its metadata and every metric's summary.")
            @OptionGroup var options: Options
            @Argument(help: "Run id (from `history list`).") var id: Int64
            @Flag(help: "Print the stored report as JSON instead.") var json = false

            func run() throws {
                let (record, report): (RunRecord, PerformanceReport)
                do { (record, report) = try options.open(create: false).run(id: id) } catch let error as HistoryError {
                    throw History.cliError(error)
                }
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    print(String(decoding: try encoder.encode(report), as: UTF8.self))
                    return
                }
                print("run \(record.id): commit \(record.commit) on \(record.branch), \(record.createdAt)")
                print("host \(record.hostname ?? "unknown") (fingerprint \(record.hostFingerprint)), from \(record.source)")
                print(pad(["benchmark", "metric", "n", "median", "p95", "unit"], [40, 20, 7, 12, 12, 0]))
                for b in report.benchmarks {
                    for m in b.metrics {
                        print(
                            pad(
                                [
                                    b.name, m.name, "\(m.summary.count)", AnalysisReport.number(m.summary.median),
                                    AnalysisReport.number(m.summary.p95), m.unit,
                                ],
                                [40, 20, 7, 12, 12, 0]
                            )
                        )
                    }
                }
            }
        }

        struct Trend: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "A benchmark's median over the runs of one host and branch, with change points."
            )
            @OptionGroup var options: Options
            @Argument(help: "Benchmark name.") var benchmark: String
            @Option(help: "Metric (default: the benchmark's primary metric: e2e, e2e_p50 for bench, wall_clock...).") var metric: String?
            @Option(help: "Host fingerprint (default: the newest run's).") var host: String?
            @Option(help: "Branch (default: the newest run's).") var branch: String?
            @Flag(help: "Print the trend as JSON.") var json = false

            func run() throws {
                let series: TrendSeries
                do {
                    series = try options.open(create: false).trend(
                        benchmark: benchmark,
                        metric: metric,
                        scope: TrendScope(host: host, branch: branch)
                    )
                } catch let error as HistoryError {
                    throw History.cliError(error)
                }
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    print(String(decoding: try encoder.encode(series), as: UTF8.self))
                    return
                }
                print("\(series.benchmark) \(series.metric) (\(series.unit)): \(series.points.count) run(s)")
                for (i, p) in series.points.enumerated() {
                    let mark = series.changes.contains { $0.index == i } ? "  <- change point" : ""
                    print(pad([String(p.commit.prefix(12)), p.time, AnalysisReport.number(p.median)], [13, 21, 0]) + mark)
                }
                if series.changes.isEmpty { print("no change point (E-divisive: permutation test and t-test, p ≤ 0.001)") }
                for c in series.changes {
                    let shift = c.medianBefore == 0 ? "" : " (\(Recommendations.percent(c.medianAfter / c.medianBefore - 1)))"
                    print(
                        "change point at commit \(c.commit): median \(AnalysisReport.number(c.medianBefore)) → \(AnalysisReport.number(c.medianAfter)) \(series.unit)\(shift), p = \(AnalysisReport.number(c.pValue))"
                    )
                }
            }
        }
    }
}

/// Columns padded to the given widths (0: no padding), separated by a space.
func pad(_ cells: [String], _ widths: [Int]) -> String {
    zip(cells, widths).map { cell, width in
        width > 0 && cell.count < width ? cell + String(repeating: " ", count: width - cell.count) : cell + (width > 0 ? " " : "")
    }.joined().trimmingCharacters(in: .whitespaces)
}
