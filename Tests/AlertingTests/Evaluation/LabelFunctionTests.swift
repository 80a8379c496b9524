import Testing

@testable import Alerting

/// `label_replace` and `label_join`, with Go's `$1`/`${name}` expansion and anchored regular expressions.
struct LabelFunctionTests {
    let fixture: SeriesFixture

    init() throws {
        fixture = try SeriesFixture([
            "up{job=\"api-server\",service=\"a:c\",instance=\"10.0.0.1:9100\"}": "1",
            "up{job=\"db\",instance=\"db-1.example.org:5432\"}": "0",
        ])
    }

    @Test func labelReplaceWritesTheExpandedCaptureAndKeepsTheName() throws {
        #expect(
            try fixture.vector("label_replace(up{job=\"api-server\"}, \"foo\", \"$1\", \"service\", \"(.*):.*\")", at: 0) == [
                "up{foo=\"a\",instance=\"10.0.0.1:9100\",job=\"api-server\",service=\"a:c\"}": 1
            ]
        )
        #expect(
            try fixture.vector("label_replace(up, \"host\", \"${1}-x\", \"instance\", \"([^:.]+).*\")", at: 0) == [
                "up{host=\"10-x\",instance=\"10.0.0.1:9100\",job=\"api-server\",service=\"a:c\"}": 1,
                "up{host=\"db-1-x\",instance=\"db-1.example.org:5432\",job=\"db\"}": 0,
            ]
        )
        // Named groups, and `$$` for a dollar.
        #expect(
            try fixture.vector("label_replace(up{job=\"db\"}, \"port\", \"$$$port\", \"instance\", \".*:(?P<port>[0-9]+)\")", at: 0) == [
                "up{instance=\"db-1.example.org:5432\",job=\"db\",port=\"$5432\"}": 0
            ]
        )
    }

    @Test func labelReplaceLeavesNonMatchingSeriesAloneAndAnEmptyResultDeletes() throws {
        // The regex is anchored: "a" does not match "api-server".
        #expect(
            try fixture.vector("label_replace(up{job=\"api-server\"}, \"job\", \"x\", \"job\", \"a\")", at: 0) == [
                "up{instance=\"10.0.0.1:9100\",job=\"api-server\",service=\"a:c\"}": 1
            ]
        )
        #expect(
            try fixture.vector("label_replace(up{job=\"api-server\"}, \"service\", \"\", \"job\", \".*\")", at: 0) == [
                "up{instance=\"10.0.0.1:9100\",job=\"api-server\"}": 1
            ]
        )
        // A missing source label is the empty string, which `.*` matches.
        #expect(
            try fixture.vector("label_replace(up{job=\"db\"}, \"service\", \"none\", \"service\", \"\")", at: 0) == [
                "up{instance=\"db-1.example.org:5432\",job=\"db\",service=\"none\"}": 0
            ]
        )
    }

    @Test func labelReplaceRefusesBadArguments() throws {
        #expect(
            fixture.failure("label_replace(up, \"not valid\", \"x\", \"job\", \".*\")", at: 0)
                == "invalid destination label name in label_replace(): not valid"
        )
        #expect(fixture.failure("label_replace(up, \"x\", \"x\", \"job\", \"(\")", at: 0) == "invalid regular expression in label_replace(): (")
    }

    @Test func labelJoinConcatenatesTheSourceLabels() throws {
        #expect(
            try fixture.vector("label_join(up{job=\"db\"}, \"where\", \"/\", \"job\", \"instance\")", at: 0) == [
                "up{instance=\"db-1.example.org:5432\",job=\"db\",where=\"db/db-1.example.org:5432\"}": 0
            ]
        )
        // Missing sources contribute empty strings; an empty result removes the label.
        #expect(
            try fixture.vector("label_join(up{job=\"db\"}, \"x\", \"-\", \"service\", \"job\")", at: 0) == [
                "up{instance=\"db-1.example.org:5432\",job=\"db\",x=\"-db\"}": 0
            ]
        )
        #expect(
            try fixture.vector("label_join(up{job=\"db\"}, \"job\", \"\", \"service\")", at: 0) == [
                "up{instance=\"db-1.example.org:5432\"}": 0
            ]
        )
        #expect(fixture.failure("label_join(up, \"x\", \"\", \"not valid\")", at: 0) == "invalid source label name in label_join(): not valid")
    }
}
