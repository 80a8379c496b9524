import ArgumentParser
import Charts
import Foundation
import Gateway
import OllamaAPI
import Pprof
import Telemetry

extension OllamaDistributed {
    /// `profile`: a CPU profile of a running gateway, as pprof, collapsed stacks or a flame graph.
    struct Profile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a CPU profile of a running gateway and write it as pprof, collapsed stacks or a flame graph SVG.",
            discussion: """
                Reads GET /debug/pprof/profile?seconds=N&hz=H (an admin route: send an admin key in OLLAMAMAX_API_KEY \
                when the gateway has keys) and writes it: --format pprof (default; gzipped profile.proto for go tool \
                pprof, speedscope, Pyroscope), collapsed (one 'thread;root;...;leaf count' line per stack, for \
                flamegraph.pl) or svg (a flame graph drawn here, frames as wide as their samples, coloured by module). \
                --output FILE writes atomically; without it pprof goes to profile.pb.gz, svg to profile.svg and \
                collapsed to standard output. Exit 1 when the gateway cannot be read or refuses, 2 for bad input or a \
                file that cannot be written.
                """
        )

        @Option(help: "The gateway's URL.")
        var url = "http://127.0.0.1:8080"

        @Option(help: "How long to sample, 1 to 300 seconds.")
        var seconds = 30

        @Option(help: "Samples per second, 1 to 4000.")
        var hz = 99

        @Option(help: "pprof, collapsed or svg.")
        var format = "pprof"

        @Option(help: "Write the profile to this file.")
        var output: String?

        /// The flags, checked here (not in `validate()`) so a bad one is a ``CLIError``: exit 2.
        func check() throws(CLIError) {
            guard (1...300).contains(seconds) else {
                throw CLIError.invalidInput("--seconds \(seconds): give a whole number of seconds from 1 to 300")
            }
            guard (1...4000).contains(hz) else { throw CLIError.invalidInput("--hz \(hz): give a sampling rate from 1 to 4000 per second") }
            guard ["pprof", "collapsed", "svg"].contains(format) else {
                throw CLIError.invalidInput("--format \(format): give pprof, collapsed or svg")
            }
        }

        func run() async throws {
            try check()
            let client = StatusClient(url: url, credential: GatewayCredential.fromEnvironment())
            let bytes: Data
            do {
                bytes = try await client.fetchCPUProfile(seconds: seconds, hertz: hz)
            } catch {
                throw CLIError.failure(error.description, code: 1)
            }
            let profile: Perftools_Profiles_Profile
            do {
                profile = try Perftools_Profiles_Profile(pprof: Array(bytes))
            } catch {
                throw CLIError.failure("the gateway at \(url) sent no pprof profile: \(error.description)", code: 1)
            }
            let rendered = Self.render(profile, bytes: bytes, format: format, title: "CPU profile of \(url), \(seconds) s at \(hz) Hz")
            let samples = profile.sample.reduce(0) { $0 + Int($1.value.first ?? 0) }
            let path = output ?? ["pprof": "profile.pb.gz", "svg": "profile.svg"][format]
            guard let path else {
                print(String(decoding: rendered, as: UTF8.self), terminator: "")
                return
            }
            try OutputFile.write(rendered, to: path, flag: "--output")
            print("wrote \(path): \(samples) samples over \(seconds) s (\(format))")
        }

        /// The profile in `format`: the bytes as sent (pprof), collapsed stacks or a flame graph.
        static func render(_ profile: Perftools_Profiles_Profile, bytes: Data, format: String, title: String) -> Data {
            switch format {
            case "collapsed":
                return Data(FoldedStacks(stacks: profile.stacks(of: "samples")).text.utf8)
            case "svg":
                return Data(FlameGraph(stacks: profile.stacks(of: "samples"), title: title).svg().utf8)
            default:
                return bytes
            }
        }
    }
}
