import Testing

@testable import Alerting

/// Valid PromQL parses, gets the right type, and prints back in Prometheus' canonical one-line form
/// (what `/api/v1/rules` shows as `query`).
struct PromQLPrintingTests {
    @Test(
        arguments: [
            // Already canonical: printed unchanged.
            ("sum by (job) (rate(http_requests_total{job=\"api\"}[5m]))", "sum by (job) (rate(http_requests_total{job=\"api\"}[5m]))"),
            ("histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))", "histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))"),
            ("a > bool 1", "a > bool 1"),
            ("topk(3, x)", "topk(3, x)"),
            ("count_values(\"v\", x)", "count_values(\"v\", x)"),
            ("quantile_over_time(0.9, x[5m])", "quantile_over_time(0.9, x[5m])"),
            ("time()", "time()"),
            // Matchers are sorted and joined without spaces; the name moves out of the braces.
            ("x{b=\"1\", a=~\"x.*\"}", "x{a=~\"x.*\",b=\"1\"}"),
            ("{__name__=\"y\"}", "{__name__=\"y\"}"),
            ("x{job!=\"a\",job!~\"b|c\"}", "x{job!=\"a\",job!~\"b|c\"}"),
            // Strings are printed Go-quoted, whatever quote they were written with.
            ("label_replace(x, 'dst', '$1', \"src\", `(.*)`)", "label_replace(x, \"dst\", \"$1\", \"src\", \"(.*)\")"),
            // Trailing `by`/`without` moves before the arguments.
            ("avg(x) without (b)", "avg without (b) (x)"),
            ("sum(rate(x[5m])) by (job)", "sum by (job) (rate(x[5m]))"),
            ("SUM(x)", "sum(x)"),
            // Durations are normalised.
            ("rate(x[90s])", "rate(x[1m30s])"),
            ("x offset 90m", "x offset 1h30m"),
            ("x[1h] offset 1d", "x[1h] offset 1d"),
            ("x offset -5m", "x offset -5m"),
            ("x[120m]", "x[2h]"),
            // Vector matching.
            ("a + on(x) group_left(y) b", "a + on (x) group_left (y) b"),
            ("a / ignoring(code) b", "a / ignoring (code) b"),
            ("a unless on() b", "a unless on () b"),
            ("a==b", "a == b"),
            // Unary operators and parentheses.
            ("-x", "-x"),
            ("- 1", "-1"),
            ("(a + b) * c", "(a + b) * c"),
            // Numbers print as Go's %v of a float64.
            ("x > 1e6", "x > 1e+06"),
            ("x * 0.5", "x * 0.5"),
            ("0x1F + 010", "31 + 8"),
        ]
    )
    func validExpressionsPrintCanonically(input: String, canonical: String) throws {
        let expression = try PromQLExpression(input)
        #expect(expression.description == canonical)
        #expect(expression.text == input)
        // Printing is a fixed point: the canonical form parses to itself.
        #expect(try PromQLExpression(canonical).description == canonical)
    }

    @Test func precedenceFollowsPrometheusAndIsVisibleInTheTree() throws {
        // `^` is right-associative and binds tighter than unary minus: -a^b is -(a^b).
        guard case .negation(let inner, _) = try PromQLExpression("-a ^ b").root,
            case .binary(let power) = inner, power.op == .power
        else {
            Issue.record("-a ^ b did not parse as -(a ^ b)")
            return
        }
        guard case .binary(let outer) = try PromQLExpression("a ^ b ^ c").root, outer.op == .power,
            case .binary(let right) = outer.rhs, right.op == .power
        else {
            Issue.record("a ^ b ^ c did not parse as a ^ (b ^ c)")
            return
        }
        // `and` binds tighter than `or`; `*` tighter than `+`; `-` is left-associative.
        guard case .binary(let or) = try PromQLExpression("a or b and c").root, or.op == .or,
            case .binary(let and) = or.rhs, and.op == .and
        else {
            Issue.record("a or b and c did not parse as a or (b and c)")
            return
        }
        guard case .binary(let plus) = try PromQLExpression("a * b + c").root, plus.op == .add else {
            Issue.record("a * b + c did not parse as (a * b) + c")
            return
        }
        guard case .binary(let minus) = try PromQLExpression("a - b - c").root, minus.op == .subtract,
            case .binary(let left) = minus.lhs, left.op == .subtract
        else {
            Issue.record("a - b - c did not parse as (a - b) - c")
            return
        }
    }

    @Test func expressionsHaveTheirPromQLType() throws {
        #expect(try PromQLExpression("1 + 2").type == .scalar)
        #expect(try PromQLExpression("x").type == .vector)
        #expect(try PromQLExpression("x[5m]").type == .matrix)
        #expect(try PromQLExpression("\"text\"").type == .string)
        #expect(try PromQLExpression("scalar(x) * 2").type == .scalar)
        #expect(try PromQLExpression("x * 2").type == .vector)
        #expect(try PromQLExpression("rate(x[5m])").type == .vector)
    }

    @Test func keywordsAreCaseInsensitiveAndSomeServeAsMetricNames() throws {
        #expect(try PromQLExpression("sum BY (job) (x)").description == "sum by (job) (x)")
        #expect(try PromQLExpression("a AND b").description == "a and b")
        // Keywords Prometheus accepts where a metric name stands.
        #expect(try PromQLExpression("offset + by").description == "offset + by")
        #expect(try PromQLExpression("sum").description == "sum")
        // Comments run to the end of the line.
        #expect(try PromQLExpression("x # the rest is ignored\n + 1").description == "x + 1")
    }
}
