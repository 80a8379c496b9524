import Telemetry
import Testing

/// `Exposition.problems(in:)`: each kind of mistake promtool lets through, one body each.
@Suite struct ExpositionProblemTests {
    /// A clean histogram family, for building bodies with one thing wrong.
    static func histogram(_ buckets: [(String, Int)], sum: String? = "3", count: String? = "5") -> String {
        var body = "# TYPE h histogram\n"
        for (le, value) in buckets { body += "h_bucket{le=\"\(le)\"} \(value)\n" }
        if let sum { body += "h_sum \(sum)\n" }
        if let count { body += "h_count \(count)\n" }
        return body
    }

    /// The single problem reported, failing the test if there is not exactly one.
    func onlyProblem(_ body: String) throws -> String {
        let problems = Exposition.problems(in: body)
        try #require(problems.count == 1, "\(problems)")
        return problems[0]
    }

    @Test func cleanHistogramHasNoProblems() {
        #expect(Exposition.problems(in: Self.histogram([("0.5", 2), ("1", 4), ("+Inf", 5)])) == [])
    }

    @Test func interleavedFamiliesAreReportedOncePerFamily() throws {
        let body = "a 1\nb 1\na{x=\"2\"} 2\na{x=\"3\"} 3\n"
        let problem = try onlyProblem(body)
        #expect(problem.hasPrefix("line 3: samples of a resume here after b began at line 2"))
        #expect(problem.contains("contiguous"))
    }

    @Test func histogramPartsOfOneFamilyCountAsContiguous() {
        #expect(Exposition.problems(in: Self.histogram([("1", 4), ("+Inf", 5)]) + "other 1\n") == [])
    }

    @Test func typeLineAfterSamplesIsReported() throws {
        let problem = try onlyProblem("c_total 1\n# TYPE c_total counter\n")
        #expect(
            problem == "line 2: TYPE line for c_total comes after its samples (first at line 1); "
                + "TYPE must precede them"
        )
    }

    @Test func histogramTypeAfterItsBucketsIsReported() {
        let body = "h_bucket{le=\"+Inf\"} 1\n# TYPE h histogram\nh_sum 1\nh_count 1\n"
        #expect(Exposition.problems(in: body).contains { $0.hasPrefix("line 2: TYPE line for h comes after") })
    }

    @Test func secondTypeLineIsReported() throws {
        let problem = try onlyProblem("# TYPE g gauge\n# TYPE g counter\ng 1\n")
        #expect(problem.hasPrefix("line 2: second TYPE line for g (first at line 1, declaring gauge)"))
    }

    @Test func secondHelpLineIsReported() throws {
        let problem = try onlyProblem("# HELP g one\n# HELP g two\ng 1\n")
        #expect(problem == "line 2: second HELP line for g (first at line 1)")
    }

    @Test func bucketsOutOfLeOrderAreReported() throws {
        let problem = try onlyProblem(Self.histogram([("1", 4), ("0.5", 4), ("+Inf", 5)]))
        #expect(problem == #"line 3: bucket le="0.5" of h comes after le="1"; buckets must be in increasing le order"#)
    }

    @Test func decreasingBucketCountsAreReported() throws {
        let problem = try onlyProblem(Self.histogram([("0.5", 3), ("1", 2), ("+Inf", 5)]))
        #expect(
            problem == #"line 3: bucket le="1" of h counts 2, fewer than the 3 in bucket le="0.5" below it; "#
                + "bucket counts must be cumulative"
        )
    }

    @Test func missingInfBucketIsReported() throws {
        let problem = try onlyProblem(Self.histogram([("0.5", 3), ("1", 5)]))
        #expect(problem == #"line 2: histogram h has no le="+Inf" bucket"#)
    }

    @Test func infBucketDifferentFromCountIsReported() throws {
        let problem = try onlyProblem(Self.histogram([("1", 4), ("+Inf", 5)], count: "6"))
        #expect(problem == #"line 5: le="+Inf" bucket of h is 5 but h_count is 6; they must be equal"#)
    }

    @Test func missingSumIsReported() throws {
        #expect(try onlyProblem(Self.histogram([("+Inf", 5)], sum: nil)) == "line 2: histogram h has no h_sum sample")
    }

    @Test func missingCountIsReported() throws {
        #expect(try onlyProblem(Self.histogram([("+Inf", 5)], count: nil)) == "line 2: histogram h has no h_count sample")
    }

    @Test func histogramProblemsNameTheLabelledSeries() throws {
        let body = """
            # TYPE h histogram
            h_bucket{node="a",le="+Inf"} 1
            h_sum{node="a"} 1
            h_count{node="a"} 1
            h_bucket{node="b",le="+Inf"} 2
            h_count{node="b"} 2

            """
        #expect(try onlyProblem(body) == #"line 5: histogram h{node="b"} has no h_sum sample"#)
    }

    @Test func bucketWithoutLeLabelIsReported() {
        let body = Self.histogram([("+Inf", 5)]) + "h_bucket 5\n"
        #expect(Exposition.problems(in: body).contains(#"line 5: histogram bucket h_bucket has no "le" label"#))
    }

    @Test func summaryWithoutSumAndCountIsReported() {
        let body = "# TYPE s summary\ns{quantile=\"0.5\"} 1\n"
        #expect(
            Exposition.problems(in: body) == [
                "line 2: summary s has no s_sum sample", "line 2: summary s has no s_count sample",
            ]
        )
    }

    @Test func duplicateSeriesIsReported() throws {
        let problem = try onlyProblem("m{b=\"2\",a=\"1\"} 1\nm{a=\"1\",b=\"2\"} 2\nm{a=\"1\"} 3\n")
        #expect(problem == #"line 2: duplicate series m{a="1",b="2"} (first at line 1)"#)
    }

    @Test func reservedLabelNamesAreReported() throws {
        let problem = try onlyProblem("m{__name__=\"x\",ok=\"y\"} 1\n")
        #expect(problem.hasPrefix(#"line 1: label name "__name__" on m is reserved"#))
    }

    @Test func missingFinalNewlineIsReported() throws {
        let problem = try onlyProblem("m 1\nn 2")
        #expect(problem.contains("does not end with a newline"))
    }

    @Test func crlfLineEndingsAreReportedOnceNotPerLine() throws {
        let problem = try onlyProblem("# TYPE m gauge\r\nm 1\r\nn 2\r\n")
        #expect(problem.contains("CRLF"))
    }

    @Test func everyParseErrorIsReportedWithItsLine() {
        let problems = Exposition.problems(in: "ok 1\nbad{a=\"\\q\"} 1\nok2 1\nworse one\n")
        #expect(problems.count == 2)
        #expect(problems.first?.hasPrefix("line 2: invalid escape sequence '\\q'") == true)
        #expect(problems.last?.hasPrefix("line 4: expected a float") == true)
    }

    @Test func problemsComeInLineOrder() {
        let body = "a 1\nb 1\na{x=\"1\"} 1\nb{y=\"1\"} 1\nc{__x=\"\"} 1"
        let problems = Exposition.problems(in: body)
        #expect(problems.count == 4)
        #expect(problems.dropLast().map { $0.prefix(7) } == ["line 3:", "line 4:", "line 5:"])
        #expect(problems.last?.contains("does not end with a newline") == true)
    }
}
