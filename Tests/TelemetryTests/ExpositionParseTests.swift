import Telemetry
import Testing

/// Parsing the Prometheus text format into families and samples.
@Suite struct ExpositionParseTests {
    static let body = """
        # HELP ollamamax_requests_total Requests proxied, by route and status.
        # TYPE ollamamax_requests_total counter
        ollamamax_requests_total{route="/api/chat",status="200"} 42
        ollamamax_requests_total{route="/api/generate",status="502"} 3 1712345678000
        # A free-form comment between families.
        # HELP ollamamax_nodes_healthy Nodes passing health checks.
        # TYPE ollamamax_nodes_healthy gauge
        ollamamax_nodes_healthy 2

        # HELP ollamamax_latency_seconds Time to first byte.\\nPer node.
        # TYPE ollamamax_latency_seconds histogram
        ollamamax_latency_seconds_bucket{node="a",le="0.1"} 1
        ollamamax_latency_seconds_bucket{node="a",le="1"} 4
        ollamamax_latency_seconds_bucket{node="a",le="+Inf"} 5
        ollamamax_latency_seconds_sum{node="a"} 7.25
        ollamamax_latency_seconds_count{node="a"} 5
        process_open_fds 12

        """

    @Test func realisticBodyParsesIntoExactFamilies() throws {
        let families = try Exposition.parse(Self.body)
        #expect(
            families.map(\.name) == [
                "ollamamax_requests_total", "ollamamax_nodes_healthy", "ollamamax_latency_seconds", "process_open_fds",
            ]
        )
        #expect(families.map(\.type) == ["counter", "gauge", "histogram", "untyped"])
        #expect(families[0].help == "Requests proxied, by route and status.")
        #expect(families[2].help == "Time to first byte.\nPer node.")
        #expect(families[3].help == nil)
        #expect(
            families[0].samples == [
                ExpositionSample(name: "ollamamax_requests_total", labels: ["route": "/api/chat", "status": "200"], value: 42),
                ExpositionSample(name: "ollamamax_requests_total", labels: ["route": "/api/generate", "status": "502"], value: 3),
            ]
        )
        #expect(families[1].samples == [ExpositionSample(name: "ollamamax_nodes_healthy", value: 2)])
        #expect(
            families[2].samples.map(\.name) == [
                "ollamamax_latency_seconds_bucket", "ollamamax_latency_seconds_bucket", "ollamamax_latency_seconds_bucket",
                "ollamamax_latency_seconds_sum", "ollamamax_latency_seconds_count",
            ]
        )
        #expect(families[2].samples[1].labels == ["node": "a", "le": "1"])
        #expect(families[2].samples[3].value == 7.25)
        #expect(Exposition.problems(in: Self.body) == [])
    }

    @Test func valueAndSumLookUpSamplesByNameAndLabelSubset() throws {
        let families = try Exposition.parse(Self.body)
        #expect(families.value("ollamamax_requests_total", ["status": "502"]) == 3)
        #expect(families.value("ollamamax_requests_total") == 45)  // several match: summed
        #expect(families.value("ollamamax_requests_total", ["status": "404"]) == nil)
        #expect(families.value("ollamamax_latency_seconds_count", ["node": "a"]) == 5)
        #expect(families.value("ollamamax_latency_seconds_bucket", ["le": "1"]) == 4)
        #expect(families.sum("ollamamax_requests_total", where: ["route": "/api/chat"]) == 42)
        #expect(families.sum("missing_metric") == 0)
        #expect(families.family("ollamamax_nodes_healthy")?.type == "gauge")
    }

    @Test func labelValuesWithEscapesAndNonASCIIRoundTrip() throws {
        let body = #"m{a="naïve \"q\" \\ 🦙",b="line1\nline2",c=""} 1"# + "\n"
        let sample = try #require(try Exposition.parse(body).first?.samples.first)
        #expect(sample.labels["a"] == #"naïve "q" \ 🦙"#)
        #expect(sample.labels["b"] == "line1\nline2")
        #expect(sample.labels["c"] == "")
    }

    @Test func specialAndGoStyleFloatValuesParse() throws {
        let body = """
            a NaN
            b +Inf
            c -Inf
            d Inf
            e 1.5e3
            f -0
            g .5
            h 1E-2
            i 7.

            """
        let values = try Exposition.parse(body).map { $0.samples[0].value }
        #expect(values[0].isNaN)
        #expect(Array(values.dropFirst()) == [.infinity, -.infinity, .infinity, 1500, 0, 0.5, 0.01, 7])
        #expect(values[5].sign == .minus)
    }

    @Test func trailingCommaBlanksAndTimestampsAreAccepted() throws {
        let body = "m{a=\"1\",} 2\n  m2 { a = \"x\" , b=\"y\" }\t3 -5\n\n"
        let families = try Exposition.parse(body)
        #expect(families.map(\.name) == ["m", "m2"])
        #expect(families[0].samples[0].labels == ["a": "1"])
        #expect(families[1].samples[0].labels == ["a": "x", "b": "y"])
        #expect(families[1].samples[0].value == 3)
    }

    @Test func samplesWithoutTypeGetUntypedFamiliesOfTheirOwnName() throws {
        let families = try Exposition.parse("x_bucket{le=\"1\"} 1\nx_count 1\n")
        #expect(families.map(\.name) == ["x_bucket", "x_count"])
        #expect(families.allSatisfy { $0.type == "untyped" })
    }

    @Test func summarySumAndCountJoinTheSummaryFamily() throws {
        let body = "# TYPE rpc summary\nrpc{quantile=\"0.5\"} 0.2\nrpc_sum 9\nrpc_count 30\n"
        let families = try Exposition.parse(body)
        #expect(families.count == 1)
        #expect(families[0].samples.map(\.name) == ["rpc", "rpc_sum", "rpc_count"])
    }

    @Test func emptyBodyHasNoFamilies() throws {
        #expect(try Exposition.parse("").isEmpty)
        #expect(Exposition.problems(in: "") == [])
    }

    @Test(arguments: [
        ("ok 1\nm{a=\"\\q\"} 1\n", 2, "invalid escape sequence"),
        ("ok 1\nok2 1\nm{a=\"x} 1\n", 3, "unterminated value of label a"),
        ("m{a=\"x\" 1\n", 1, "expected ',' or '}'"),
        ("m one\n", 1, "expected a float"),
        ("m 1 12.5\n", 1, "expected an integer timestamp"),
        ("m 1 2 3\n", 1, "unexpected text after the timestamp"),
        ("m\n", 1, "has no value"),
        ("9m 1\n", 1, "expected a metric name"),
        ("m-x 1\n", 1, "invalid character '-'"),
        ("m{1a=\"x\"} 1\n", 1, "expected a label name"),
        ("m{a=\"x\",a=\"y\"} 1\n", 1, "appears twice"),
        ("# TYPE m countr\n", 1, "unknown metric type \"countr\""),
        ("# TYPE m\n", 1, "has no type"),
        ("# HELP m bad \\t escape\n", 1, "invalid escape sequence '\\t' in HELP"),
        ("m 0x1p3\n", 1, "expected a float"),
        ("m 1\r\n", 1, "CRLF"),
    ])
    func parseErrorsNameTheLineAndTheProblem(body: String, line: Int, message: String) {
        let error = #expect(throws: ExpositionError.self) { try Exposition.parse(body) }
        #expect(error?.line == line)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        #expect(error?.description.hasPrefix("line \(line): ") == true)
    }

    @Test func errorTextIsTruncatedForLongLines() {
        let long = "m{a=\"" + String(repeating: "x", count: 500) + "\\q\"} 1\n"
        let error = #expect(throws: ExpositionError.self) { try Exposition.parse(long) }
        #expect(error?.text.count == 121)
        #expect(error?.text.hasSuffix("…") == true)
    }
}
