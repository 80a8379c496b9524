import Notifications
import Testing

@Suite struct MatcherTests {
    @Test func everyOperatorAndQuotingParses() throws {
        let cases: [(String, String)] = [
            (#"severity="critical""#, #"severity="critical""#),
            ("severity=critical", #"severity="critical""#),
            (" severity = critical ", #"severity="critical""#),
            (#"node!="""#, #"node!="""#),
            (#"alertname=~"Node.*""#, #"alertname=~"Node.*""#),
            (#"team!~"db|cache""#, #"team!~"db|cache""#),
            (#"msg="say \"hi\"\n""#, #"msg="say \"hi\"\n""#),
        ]
        for (text, written) in cases {
            let parsed = try Matcher.parseList(text)
            #expect(parsed.map(\.description) == [written], "\(text)")
        }
        let several = try Matcher.parseList(#"{severity="critical", team=~"db.*"}"#)
        #expect(several.map(\.description) == [#"severity="critical""#, #"team=~"db.*""#])
    }

    @Test func matchingFollowsPrometheusRules() throws {
        func matches(_ text: String, _ labels: [String: String]) throws -> Bool {
            try Matcher.parseList(text).allSatisfy { $0.matches(labels) }
        }
        #expect(try matches("severity=critical", ["severity": "critical"]))
        #expect(try !matches("severity=critical", ["severity": "warning"]))
        #expect(try matches("severity!=critical", [:]))
        #expect(try matches(#"node="""#, [:]))
        #expect(try !matches(#"node!="""#, [:]))
        #expect(try matches(#"node!="""#, ["node": "a"]))
        // Regular expressions are anchored at both ends.
        #expect(try matches(#"alertname=~"Node.*""#, ["alertname": "NodeDown"]))
        #expect(try !matches(#"alertname=~"Node""#, ["alertname": "NodeDown"]))
        #expect(try !matches(#"alertname=~"Down""#, ["alertname": "NodeDown"]))
        #expect(try matches(#"team=~"db|cache""#, ["team": "cache"]))
        #expect(try !matches(#"team!~"db|cache""#, ["team": "db"]))
        #expect(try matches(#"team!~"db|cache""#, [:]))
        #expect(try !matches("a=b, c=d", ["a": "b"]))
        #expect(try matches("a=b, c=d", ["a": "b", "c": "d"]))
    }

    @Test func badMatchersAreExplained() {
        func problem(_ text: String) -> String {
            do {
                _ = try Matcher.parseList(text)
                return ""
            } catch {
                return error.description
            }
        }
        #expect(
            problem("severity")
                == #""severity": after the label name "severity" comes no operator (=, !=, =~ or !~); write matchers like severity="critical" or alertname=~"Node.*""#
        )
        #expect(
            problem(#"a="b"#)
                == #""a=\"b": a quoted string is not closed (add the closing "); write matchers like severity="critical" or alertname=~"Node.*""#
        )
        #expect(problem("{a=b") == #""{a=b": a "{" without its closing "}"; write matchers like severity="critical" or alertname=~"Node.*""#)
        #expect(problem("") == #""" holds no matcher; write one like severity="critical""#)
        #expect(problem("=x").contains("expected a label name"))
    }
}
