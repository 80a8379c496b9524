import ArgumentParser
import AsyncHTTPClient
import Foundation
import Gateway
import NIOCore
import NIOHTTP1
import OllamaAPI

extension OllamaDistributed {
    /// `status`: the gateway's nodes as a table.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a running gateway's nodes: state, models, load and latency.")

        @Option(help: "The gateway's URL.")
        var url = "http://127.0.0.1:8080"

        @Flag(help: "Redraw every --interval seconds until interrupted.")
        var watch = false

        @Option(help: "Seconds between redraws with --watch.")
        var interval: Double = 2

        @Flag(help: "Print the raw JSON instead of a table.")
        var json = false

        func validate() throws {
            guard interval > 0 else { throw ValidationError("--interval: must be positive, got \(interval)") }
        }

        func run() async throws {
            repeat {
                let report: NodesReport
                let raw: Data
                do {
                    (report, raw) = try await fetch()
                } catch {
                    throw ValidationError("cannot read \(url)/ollamamax/nodes: \(error); is the gateway running there?")
                }
                if watch { print("\u{1B}[2J\u{1B}[H", terminator: "") }
                if json {
                    print(String(decoding: raw, as: UTF8.self))
                } else {
                    print(StatusTable.render(report, url: url))
                }
                if watch { try await Task.sleep(for: .seconds(interval)) }
            } while watch
        }

        private func fetch() async throws -> (NodesReport, Data) {
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: url + "/ollamamax/nodes"), timeout: .seconds(5))
            var body = try await response.body.collect(upTo: 16 << 20)
            let data = Data(body.readBytes(length: body.readableBytes) ?? [])
            guard response.status.code == 200 else { throw StatusError("HTTP \(response.status.code)") }
            return (try OllamaJSON.decode(NodesReport.self, from: data), data)
        }
    }
}

struct StatusError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The node table `status` prints.
enum StatusTable {
    static func render(_ report: NodesReport, url: String) -> String {
        let header = ["NODE", "STATE", "CIRCUIT", "IN-FLIGHT", "TTFT", "PROBE", "REQS", "FAILS", "MODELS", "LOADED"]
        var rows = [header]
        for status in report.nodes {
            let node = status.node
            rows.append([
                node.id, node.state.rawValue, node.circuit.rawValue, "\(node.inFlight)/\(node.limit)",
                node.ttftEWMA.map { String(format: "%.0fms", $0 * 1000) } ?? "-",
                status.probeLatencySeconds.map { String(format: "%.1fms", $0 * 1000) } ?? "down",
                "\(status.requests)", "\(status.failures)", "\(node.models.count)",
                node.resident.sorted().joined(separator: ",").ifEmpty("-"),
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = ["OllamaMax at \(url): \(report.strategy.rawValue) routing, \(report.queued) queued"]
        for row in rows {
            lines.append(
                row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                    .trimmingCharacters(in: .whitespaces))
        }
        for status in report.nodes where status.lastError != nil && status.node.state != .healthy {
            lines.append("  \(status.node.id): \(status.lastError ?? "")")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
