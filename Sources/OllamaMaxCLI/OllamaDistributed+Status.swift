import ArgumentParser
import Foundation
import Gateway
import OllamaAPI

extension OllamaDistributed {
    /// `status`: the gateway's nodes as a table.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a running gateway's nodes (state, models, load, adaptive limits, latency) and API keys (usage, limits).",
            discussion: """
                Sends the key in OLLAMAMAX_API_KEY, if set (a metrics or admin key; none is needed on loopback). \
                The adaptive limits (LIMITS: model=limit/ceiling) come from the admin route /ollamamax/optimizer: \
                without an admin key the table says so instead.
                """
        )

        @Option(help: "The gateway's URL.")
        var url = "http://127.0.0.1:8080"

        @Flag(help: "Redraw every --interval until interrupted.")
        var watch = false

        @Option(help: "Time between redraws with --watch, a duration such as 2s (a bare number is seconds).")
        var interval = "2s"

        @Flag(help: "Print the raw JSON instead of a table.")
        var json = false

        func run() async throws {
            let pause = try DurationFlag.positive(interval, flag: "--interval")
            let client = StatusClient(url: url, credential: GatewayCredential.fromEnvironment())
            repeat {
                let read: (report: NodesReport, json: Data)
                let keys: KeysReport?
                do {
                    read = try await client.fetch()
                    keys = json ? nil : try await client.fetchKeys()
                } catch {
                    throw CLIError.failure(error.description, code: 1)
                }
                let optimizer = json ? nil : await Self.optimizer(client)
                if watch { print("\u{1B}[2J\u{1B}[H", terminator: "") }
                print(json ? String(decoding: read.json, as: UTF8.self) : StatusTable.render(read.report, keys: keys, optimizer: optimizer, url: url))
                if watch { try await Task.sleep(for: pause) }
            } while watch
        }

        /// The optimizer's report, or why it is not shown: a refused key must not fail status.
        static func optimizer(_ client: StatusClient) async -> StatusTable.OptimizerView? {
            do {
                return try await client.fetchOptimizer().map { .report($0) }
            } catch  where error.refused {
                return .unreadable("needs an admin key (set OLLAMAMAX_API_KEY to a key with role admin to see the adaptive limits)")
            } catch {
                return .unreadable("cannot read it (\(error.problem))")
            }
        }
    }
}
