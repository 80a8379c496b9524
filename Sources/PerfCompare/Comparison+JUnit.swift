extension Comparison {
    /// JUnit XML for CI test reporters: one test case per benchmark metric; a regression is a
    /// failure, too few samples is skipped.
    public func junit(suite: String = "performance") -> String {
        let failures = regressions.count
        let skipped = comparisons.filter { $0.verdict == .insufficientSamples }.count
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml +=
            #"<testsuites name="\#(Self.xml(suite))" tests="\#(comparisons.count)" failures="\#(failures)" skipped="\#(skipped)">"#
            + "\n"
        xml +=
            #"  <testsuite name="\#(Self.xml(suite))" tests="\#(comparisons.count)" failures="\#(failures)" skipped="\#(skipped)" errors="0">"#
            + "\n"
        for item in comparisons {
            let detail =
                "\(item.metric): baseline \(Self.cell(item.baseline)), current \(Self.cell(item.current)), change \(Self.percent(item.change))"
                + (item.pValue.map { ", p=\(Self.pText($0))" } ?? "") + ", threshold \(Self.number(item.threshold * 100))%"
            xml += #"    <testcase classname="\#(Self.xml(item.benchmark))" name="\#(Self.xml(item.metric))">"#
            switch item.verdict {
            case .regression:
                xml += "\n" + #"      <failure type="regression" message="\#(Self.xml(detail))">\#(Self.xml(detail))</failure>"# + "\n    "
            case .insufficientSamples:
                xml += "\n" + #"      <skipped message="\#(Self.xml(item.note ?? "too few samples"))"/>"# + "\n    "
            case .improvement, .unchanged:
                xml += "\n" + #"      <system-out>\#(Self.xml(detail))</system-out>"# + "\n    "
            }
            xml += "</testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// Escapes text for XML attributes and content; drops characters XML 1.0 forbids.
    static func xml(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 { escaped.unicodeScalars.append(scalar) }
            }
        }
        return escaped
    }
}
