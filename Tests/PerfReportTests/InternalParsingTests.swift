import Foundation
import Testing

@testable import PerfReport

@Suite("Small parsers behind the public API")
struct InternalParsingTests {
    @Test func cpuModelComesFromTheFirstModelNameLine() {
        let cpuinfo = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Processor\n\nprocessor\t: 1\nmodel name\t: other\n"
        #expect(HostInfo.cpuModel(fromCPUInfo: cpuinfo) == "Intel(R) Xeon(R) Processor")
        #expect(HostInfo.cpuModel(fromCPUInfo: "processor : 0\n") == nil)
    }

    @Test func osNamePrefersPrettyName() {
        #expect(
            HostInfo.osName(fromOSRelease: "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n")
                == "Debian GNU/Linux 12 (bookworm)"
        )
        #expect(HostInfo.osName(fromOSRelease: "NAME=Alpine\n") == "Alpine")
    }

    @Test func truncationIsTheOpenBracketsOrStringAtTheEnd() {
        #expect(JSONInput.isTruncated(Data(#"{"a": [1, 2"#.utf8)))
        #expect(JSONInput.isTruncated(Data(#"{"a": "b\"}"#.utf8)))
        #expect(!JSONInput.isTruncated(Data(#"{"a": "]]"} x"#.utf8)))
    }

    @Test func goUnitsMapBothWays() {
        let cases: [(String, String, String)] = [
            ("ns/op", "time", "ns"), ("B/op", "allocated_bytes", "B"), ("allocs/op", "allocations", "count"),
            ("MB/s", "throughput", "MB/s"), ("ttft_p95[ms]", "ttft_p95", "ms"), ("nodes/op", "nodes/op", "nodes/op"),
        ]
        for (goUnit, name, unit) in cases {
            let mapped = GoUnit(goUnit: goUnit)
            #expect(mapped.name == name && mapped.unit == unit, "\(goUnit)")
            let metric = Metric(name: name, unit: unit, direction: mapped.direction, samples: [1])
            #expect(GoUnit.goUnit(for: metric) == goUnit)
        }
    }

    @Test func packageBenchmarkCustomNamesBecomeSnakeCase() {
        #expect(PackageBenchmarkMetrics.snakeCase("My Custom (metric)") == "my_custom_metric")
        #expect(PackageBenchmarkMetrics.snakeCase("(#)") == "metric")
    }
}
