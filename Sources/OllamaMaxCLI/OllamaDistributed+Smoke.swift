import ArgumentParser
import AsyncHTTPClient
import Foundation
import LoadGenerator
import OllamaAPI

extension OllamaDistributed {
    /// `smoke`: production validation of a deployed gateway or node.
    struct Smoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a deployed gateway or Ollama node: liveness, version, models, tiny generate and chat, /metrics, latency.",
            discussion: "Prints PASS or FAIL per check; exits 1 when any check fails."
        )

        @Option(help: "The gateway or node, e.g. http://127.0.0.1:8080.")
        var url = "http://127.0.0.1:8080"

        @Option(help: "The model to try (default: the first one listed).")
        var model: String?

        @Option(help: "Longest acceptable time for one tiny request.")
        var latencySlo = "10s"

        @Option(help: "Longest acceptable time to the first streamed token.")
        var ttftSlo = "5s"

        @Option(help: "Give up on a request after this long.")
        var timeout = "30s"

        @Option(help: "Also write the results as JUnit XML here.")
        var junit: String?

        func validate() throws {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ValidationError("--url: \"\(url)\" is not an http(s) URL; write e.g. http://127.0.0.1:8080")
            }
        }

        func run() async throws {
            let test = SmokeTest(
                client: HTTPClient.shared,
                url: url,
                model: model,
                latencySLO: try DurationFlag.positive(latencySlo, flag: "--latency-slo"),
                ttftSLO: try DurationFlag.positive(ttftSlo, flag: "--ttft-slo"),
                timeout: try DurationFlag.positive(timeout, flag: "--timeout"),
                credential: GatewayCredential.fromEnvironment()
            )
            let checks = await test.run()
            for check in checks { print(check.line) }
            let failed = checks.filter { !$0.passed }.count
            print(failed == 0 ? "smoke: all \(checks.count) checks passed" : "smoke: \(failed) of \(checks.count) checks failed")
            if let junit { try OutputFile.write(Data(checks.junit().utf8), to: junit, flag: "--junit") }
            // Exit 1 without a message: the FAIL lines above say which checks failed.
            if failed > 0 { throw ExitCode(1) }
        }
    }
}
