import Testing

@testable import Alerting

/// Invalid PromQL is refused with the position and the problem, in the words `promtool check rules`
/// uses for the same text (each expected message below is what promtool 2.42 printed for it).
struct PromQLParseErrorTests {
    private func error(_ text: String) -> PromQLError? {
        do {
            _ = try PromQLExpression(text)
            return nil
        } catch {
            return error
        }
    }

    @Test(
        arguments: [
            // Unclosed brackets of every kind.
            ("foo{bar=\"baz\"", "1:14: parse error: unexpected end of input inside braces"),
            ("(x", "1:3: parse error: unclosed left parenthesis"),
            ("x[5m", "1:5: parse error: unclosed left bracket"),
            ("x +", "1:4: parse error: unexpected end of input"),
            // Functions: unknown, wrong argument count, wrong argument type.
            ("unknown_fn(x)", "1:1: parse error: unknown function with name \"unknown_fn\""),
            ("rate(x[5m], 1)", "1:1: parse error: expected 1 argument(s) in call to \"rate\", got 2"),
            ("label_replace(x, \"a\", \"b\", \"c\")", "1:1: parse error: expected 5 argument(s) in call to \"label_replace\", got 4"),
            ("round(x, 1, 2)", "1:1: parse error: expected at most 2 argument(s) in call to \"round\", got 3"),
            ("rate(x)", "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"),
            (
                "histogram_quantile(\"a\", x)",
                "1:20: parse error: expected type scalar in call to function \"histogram_quantile\", got string"
            ),
            // A range on something that is not a selector.
            ("sum(x)[5m]", "1:7: parse error: ranges only allowed for vector selectors"),
            ("rate(sum(x)[5m])", "1:12: parse error: ranges only allowed for vector selectors"),
            ("x{a=\"b\"} offset 5m[1m]", "1:19: parse error: no offset modifiers allowed before range"),
            // Bad durations.
            ("x[5x]", "1:3: parse error: bad duration syntax: \"5\""),
            ("rate(x[0s])", "1:8: parse error: duration must be greater than 0"),
            // Type rules of operators.
            ("x and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
            ("x[1m] + 1", "1:1: parse error: binary expression must contain only scalar and instant vector types"),
            ("x{__name__=\"y\"}", "1:1: parse error: metric name must not be set twice: \"x\" or \"y\""),
            ("sum without (a) (x) by (b)", "1:21: parse error: unexpected <by>"),
        ]
    )
    func invalidExpressionsNameThePositionAndTheProblem(text: String, message: String) throws {
        let failure = try #require(error(text), "\(text) parsed")
        #expect(failure.kind == .parse)
        #expect(failure.description == message)
    }

    @Test func theMessageCarriesLineAndColumnSeparately() throws {
        let failure = try #require(error("sum(\n  rate(x)\n)"))
        #expect(failure.position?.line == 2)
        #expect(failure.position?.column == 8)
        #expect(failure.message == "expected type range vector in call to function \"rate\", got instant vector")
    }

    @Test(
        arguments: [
            ("{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
            ("{a=\"\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
            ("a + bool b", "1:3: parse error: bool modifier can only be used on comparison operators"),
            ("1 > 2", "1:3: parse error: comparisons between scalars must use BOOL modifier"),
            // Operator problems point at the operator, after any space.
            ("(a)   > bool (b) + bool 1", "1:18: parse error: bool modifier can only be used on comparison operators"),
            ("sum(x) + bool 1", "1:8: parse error: bool modifier can only be used on comparison operators"),
            ("a + on(x) group_left(x) b", "1:3: parse error: label \"x\" must not occur in ON and GROUP clause at once"),
            ("sum(x, y)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2"),
            ("topk(x)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1"),
            ("a and on(x) group_left b", "1:1: parse error: no grouping allowed for \"and\" operation"),
            ("x offset 5m offset 1m", "1:1: parse error: offset may not be set multiple times"),
            ("\"unterminated", "1:1: parse error: unterminated quoted string"),
            ("x $ 1", "1:3: parse error: unexpected character: '$'"),
            ("rate(x[5m],)", "1:11: parse error: trailing commas not allowed in function call args"),
        ]
    )
    func moreMistakesAreNamedAsPromtoolNamesThem(text: String, message: String) throws {
        let failure = try #require(error(text), "\(text) parsed")
        #expect(failure.description == message)
    }

    @Test func anEmptyExpressionAndABadRegexAreRefused() throws {
        #expect(error("")?.description == "parse error: no expression found in input")
        #expect(error("x{a=~\"(\"}")?.description.contains("\"(\"") == true)
    }

    @Test func constructsTheEvaluatorCannotRunAreRefusedByName() throws {
        let subquery = try #require(error("max_over_time(rate(x[5m])[1h:1m])"))
        #expect(subquery.kind == .unsupported)
        #expect(subquery.description == "subquery `rate(x[5m])[1h:1m]` is not supported by the embedded evaluator")
        let at = try #require(error("x @ 1700000000"))
        #expect(at.kind == .unsupported)
        #expect(at.description == "the @ modifier in `x @ 1700000000` is not supported by the embedded evaluator")
        let native = try #require(error("histogram_count(x)"))
        #expect(native.kind == .unsupported)
        #expect(native.description.hasPrefix("function histogram_count in `histogram_count(x)` works on native histograms"))
    }
}
