import Foundation

/// Runs promtool unit-test files (`promtool test rules`) against the embedded evaluator, with promtool's
/// semantics: input series are loaded up to each evaluation time, every rule group is evaluated every
/// `evaluation_interval` from 0 to the largest `eval_time`, firing alerts are compared at the last
/// evaluation at or before each `eval_time` (pending alerts do not count), and expression tests run at the
/// end against everything recorded.
public enum RuleTestRunner {
    /// Runs the test file at `testFile`; `rule_files` are resolved relative to it (globs allowed).
    /// - Throws: ``RuleFileError`` when the test file cannot be read or is not a valid test file; failing
    ///   tests and rule files that do not load are reported in the returned report instead.
    public static func run(testFile: URL) throws(RuleFileError) -> RuleTestReport {
        let text: String
        do {
            text = try String(contentsOf: testFile, encoding: .utf8)
        } catch {
            throw RuleFileError(problems: ["\(testFile.path): cannot read the file: \(error.localizedDescription)"])
        }
        let file = try RuleTestFile.parse(text, file: testFile.path)
        let directory = testFile.deletingLastPathComponent()
        let ruleFiles = file.ruleFiles.flatMap { RuleFilePaths.resolve($0, relativeTo: directory) }
        var failures: [RuleTestFailure] = []
        var checks = 0
        var seenOrder = Set<String>()
        for name in file.groupEvaluationOrder where !seenOrder.insert(name).inserted {
            failures.append(RuleTestFailure(testGroup: "", message: "group name repeated in evaluation order: \(name)"))
        }
        // Rule files load once: groups are immutable values, and each test gets fresh evaluators.
        var groups: [RuleGroup] = []
        var loadProblems: [String] = []
        for url in ruleFiles {
            do {
                groups += try RuleFileLoader.load(contentsOf: url)
            } catch {
                loadProblems += error.problems
            }
        }
        if failures.isEmpty {
            for test in file.tests {
                if !loadProblems.isEmpty {
                    failures += loadProblems.map { RuleTestFailure(testGroup: test.name, message: $0) }
                    continue
                }
                var run = RuleTestGroupRun(test: test, evaluationIntervalMs: file.evaluationIntervalMs)
                failures += run.run(groups: groups, groupOrder: file.groupEvaluationOrder)
                checks += run.checks
            }
        }
        return RuleTestReport(file: testFile.path, failures: failures, checks: checks)
    }
}

/// `rule_files` entries: relative paths resolved against the test file's folder, `*` and `?` globs expanded.
enum RuleFilePaths {
    static func resolve(_ entry: String, relativeTo directory: URL) -> [URL] {
        let url = entry.hasPrefix("/") ? URL(fileURLWithPath: entry) : directory.appendingPathComponent(entry)
        let name = url.lastPathComponent
        guard name.contains("*") || name.contains("?") else { return [url.standardizedFileURL] }
        let folder = url.deletingLastPathComponent()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { wildcard(name, matches: $0) }.sorted().map { folder.appendingPathComponent($0).standardizedFileURL }
    }

    static func wildcard(_ pattern: String, matches name: String) -> Bool {
        let pattern = Array(pattern)
        let name = Array(name)
        func match(_ p: Int, _ n: Int) -> Bool {
            if p == pattern.count { return n == name.count }
            if pattern[p] == "*" { return match(p + 1, n) || (n < name.count && match(p, n + 1)) }
            guard n < name.count, pattern[p] == "?" || pattern[p] == name[n] else { return false }
            return match(p + 1, n + 1)
        }
        return match(0, 0)
    }
}
