import Testing

@testable import Alerting

/// Go text/template as Prometheus runs alert templates: `$labels`, `$value`, `$externalLabels`,
/// `$externalURL`, control structures, pipelines, comparisons, printf and the Prometheus functions.
/// Expected outputs are Go's (each was also checked against promtool 2.42).
struct TemplateTests {
    /// Two samples the template's `query` function returns for `w`, in the order the store holds them.
    static let samples = [
        VectorSample(labels: ["__name__": "w", "i": "a"], value: 5),
        VectorSample(labels: ["__name__": "w", "i": "b"], value: 2),
    ]

    private func expand(
        _ text: String,
        labels: [String: String] = ["job": "api", "instance": "h:1"],
        value: Double = 1.23456
    ) throws -> String {
        let template = try TextTemplate(text, name: "__alert_T")
        let data = AlertTemplateData(labels: labels, externalLabels: ["env": "prod"], externalURL: "http://prom.example.org", sampleValue: value)
        let environment = TemplateEnvironment(
            query: { query throws(PromQLError) in
                switch query {
                case "w": return TemplateTests.samples
                case "sort_desc(w)": return TemplateTests.samples.sorted { $0.value > $1.value }
                case "nothing": return []
                default: throw PromQLError.parse("unexpected query \(query)", at: nil)
                }
            },
            externalURL: "http://prom.example.org/prefix"
        )
        return try template.execute(data: data, environment: environment)
    }

    @Test func plainTextIsReturnedAsWritten() throws {
        #expect(try expand("no actions here") == "no actions here")
        #expect(try expand("") == "")
    }

    @Test func theAlertsDataIsReachableByVariableAndByField() throws {
        #expect(try expand("{{ $labels.job }} {{ .Labels.job }} {{ $value }} {{ .Value }}") == "api api 1.23456 1.23456")
        #expect(
            try expand("{{ $externalLabels.env }} {{ $externalURL }} {{ .ExternalURL }}") == "prod http://prom.example.org http://prom.example.org"
        )
        // A missing label is the empty string.
        #expect(try expand("[{{ $labels.nope }}]") == "[]")
        #expect(try expand("{{ index $labels \"job\" }} {{ len $labels }}") == "api 2")
    }

    @Test func ifElseIfElseChoosesTheFirstTrueBranch() throws {
        let text = "{{ if gt $value 10.0 }}big{{ else if gt $value 1.0 }}medium{{ else }}small{{ end }}"
        #expect(try expand(text, value: 11) == "big")
        #expect(try expand(text, value: 1.23456) == "medium")
        #expect(try expand(text, value: 0.5) == "small")
        // Empty strings, zero and empty maps are false.
        #expect(try expand("{{ if $labels.nope }}y{{ else }}n{{ end }}{{ if 0 }}y{{ else }}n{{ end }}{{ if $labels }}y{{ end }}") == "nny")
    }

    @Test func rangeVisitsMapsInKeyOrderAndWithRebindsDot() throws {
        #expect(try expand("{{ range $labels }}{{ . }},{{ end }}") == "h:1,api,")
        #expect(try expand("{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}") == "instance=h:1;job=api;")
        #expect(try expand("{{ range query \"nothing\" }}x{{ else }}none{{ end }}") == "none")
        #expect(try expand("{{ with $labels.job }}job={{ . }}{{ end }}") == "job=api")
        #expect(try expand("{{ with $labels.nope }}x{{ else }}no{{ end }}") == "no")
    }

    @Test func pipelinesPassTheValueAsTheLastArgument() throws {
        #expect(try expand("{{ $labels.instance | toUpper | printf \"[%s]\" }}") == "[H:1]")
        #expect(try expand("{{ $value | humanize }}") == "1.235")
        #expect(try expand("{{ \"abc\" | printf \"%s-%s\" \"x\" }}") == "x-abc")
    }

    @Test func variablesCanBeDeclaredAndAssigned() throws {
        #expect(try expand("{{ $x := 1 }}{{ $x }}{{ $x = \"two\" }}{{ $x }}") == "1two")
        #expect(try expand("{{ $n := 0 }}{{ range $labels }}{{ $n = 1 }}{{ end }}{{ $n }}") == "1")
    }

    @Test func whitespaceTrimmingAndCommentsFollowGo() throws {
        #expect(try expand("a  {{- 1 -}}  b") == "a1b")
        #expect(try expand("[{{- \" a \" -}}]") == "[ a ]")
        #expect(try expand("x{{/* a comment */}}y") == "xy")
    }

    @Test func comparisonFunctionsNeedOperandsOfOneKind() throws {
        #expect(
            try expand("{{ eq \"web\" \"api\" \"web\" }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt \"b\" \"a\" }} {{ ne 1.5 $value }}")
                == "true true true true true"
        )
        #expect(try expand("{{ not true }} [{{ and 1 \"\" }}] {{ or 0 \"x\" }}") == "false [] x")
        // $value is a float64 and 1 an int: Go refuses to compare them.
        #expect(throws: TemplateError.self) { try expand("{{ gt $value 1 }}") }
        let template = try TextTemplate("{{ gt $value 1 }}", name: "__alert_T")
        let data = AlertTemplateData(labels: [:], externalLabels: [:], externalURL: "", sampleValue: 2)
        #expect(
            template.expand(data: data, environment: TemplateEnvironment())
                == "<error expanding template: error executing template __alert_T: template: __alert_T:1:115: executing \"__alert_T\" at <gt $value 1>: error calling gt: incompatible types for comparison>"
        )
    }

    @Test func printfFormatsLikeGo() throws {
        #expect(try expand("{{ printf \"%s %d %.2f %v\" \"a\" 3 $value $value }}") == "a 3 1.23 1.23456")
        #expect(
            try expand("{{ printf \"%5.1f|%-4d|%x|%q|%t|%e|%g\" $value 3 255 \"a\" true 1234.5678 0.000012345 }}")
                == "  1.2|3   |ff|\"a\"|true|1.234568e+03|1.2345e-05"
        )
        #expect(try expand("{{ printf \"%v %v %d\" 1e21 100000.0 1.5 }}") == "1e+21 100000 %!d(float64=1.5)")
        #expect(try expand("{{ printf \"%d %d\" 1 }}|{{ printf \"%d\" 1 2 }}|{{ printf \"100%%\" }}") == "1 %!d(MISSING)|1%!(EXTRA int=2)|100%")
        #expect(try expand("{{ printf \"%06.2f|%+d|% d\" 3.14159 5 5 }}") == "003.14|+5| 5")
        #expect(try expand("{{ print 1 2 \"a\" \"b\" 3 }}") == "1 2ab3")
    }

    @Test func stringFunctions() throws {
        #expect(try expand("{{ title \"hello world-foo\" }} {{ toUpper \"MiXeD\" }} {{ toLower \"MiXeD\" }}") == "Hello World-Foo MIXED mixed")
        #expect(try expand("{{ reReplaceAll \"(\\\\w+)@(\\\\w+)\" \"$2 at $1\" \"user@host\" }}") == "host at user")
        #expect(try expand("{{ reReplaceAll \"a+\" \"<$0>\" \"caaab aa\" }}") == "c<aaa>b <aa>")
        #expect(try expand("{{ match \"^api\" \"api-1\" }} {{ match \"^api\" \"web\" }}") == "true false")
        #expect(
            try expand("{{ stripPort \"example.org:9090\" }} {{ stripPort \"[::1]:9090\" }} {{ stripPort \"plain\" }}") == "example.org ::1 plain"
        )
        #expect(try expand("{{ stripDomain \"host.example.org:9090\" }} {{ stripDomain \"10.0.0.1:80\" }}") == "host:9090 10.0.0.1:80")
        #expect(try expand("{{ graphLink \"up == 0\" }}") == "/graph?g0.expr=up+%3D%3D+0&g0.tab=0")
        #expect(try expand("{{ html \"<a>&\" }} {{ urlquery \"a b&c\" }}") == "&lt;a&gt;&amp; a+b%26c")
        #expect(try expand("{{ externalURL }} {{ pathPrefix }}") == "http://prom.example.org/prefix /prefix")
        #expect(try expand("{{ parseDuration \"1h30m\" }}") == "5400")
    }

    @Test func queryResultsAreListsOfSamples() throws {
        #expect(try expand("{{ with query \"sort_desc(w)\" }}{{ . | first | label \"i\" }}={{ . | first | value }}{{ end }}") == "a=5")
        #expect(try expand("{{ range query \"w\" }}{{ .Labels.i }}:{{ .Value }};{{ end }}") == "a:5;b:2;")
        #expect(try expand("{{ range sortByLabel \"i\" (query \"w\") }}{{ label \"i\" . }}{{ end }}") == "ab")
        #expect(try expand("{{ (query \"w\" | first).Value }}") == "5")
        #expect(try expand("{{ range $i, $s := query \"w\" }}{{ $i }}={{ $s.Value }},{{ end }}") == "0=5,1=2,")
    }

    @Test(
        arguments: [
            ("{{ nofunc 1 }}", "template: __alert_T:1: function \"nofunc\" not defined"),
            ("{{ $nope }}", "template: __alert_T:1: undefined variable \"$nope\""),
            ("{{ .Labels.x", "template: __alert_T:1: unclosed action"),
            ("{{ if true }}x", "template: __alert_T:1: unexpected EOF"),
            ("{{ end }}", "template: __alert_T:1: unexpected {{end}}"),
        ]
    )
    func templatesThatDoNotParseNameTheProblem(text: String, message: String) {
        do {
            _ = try TextTemplate(text, name: "__alert_T")
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.message == message)
        }
    }
}
