import ArgumentParser
import Charts
import Foundation
import Gateway
import OllamaAPI
import Pprof
import Telemetry

extension OllamaDistributed {
    /// `profile`: a CPU or heap profile of a running gateway, as pprof, collapsed stacks or a flame graph.
    struct Profile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a CPU or heap profile of a running gateway and write it as pprof, collapsed stacks or a flame graph SVG.",
            discussion: """
                --type cpu (default) reads GET /debug/pprof/profile?seconds=N&hz=H, --type heap reads GET \
                /debug/pprof/heap (the sampled allocation sites; the flame graph and collapsed stacks show the bytes \
                in use). Both are admin routes: send an admin key in OLLAMAMAX_API_KEY when the gateway has keys. \
                Writes --format pprof (default; gzipped profile.proto for go tool pprof, speedscope, Pyroscope), \
                collapsed (one 'thread;root;...;leaf count' line per stack, for flamegraph.pl) or svg (a flame graph \
                drawn here, frames as wide as their samples or bytes, coloured by module). \
                --output FILE writes atomically; without it pprof goes to profile.pb.gz (heap.pb.gz), svg to \
                profile.svg (heap.svg) and collapsed to standard output. Exit 1 when the gateway cannot be read or refuses, 2 for bad input or a \
                file that cannot be written.
                """
        )

        @Option(help: "The gateway's URL.")
        var url = "http://127.0.0.1:8080"

        @Option(help: "cpu (sampled stacks over --seconds) or heap (sampled allocation sites now).")
        var type = "cpu"

        @Option(help: "How long to sample a CPU profile, 1 to 300 seconds (default 30).")
        var seconds: Int?

        @Option(help: "CPU samples per second, 1 to 4000 (default 99).")
        var hz: Int?

        @Option(help: "pprof, collapsed or svg.")
        var format = "pprof"

        @Option(help: "Write the profile to this file.")
        var output: String?

        /// The flags, checked here (not in `validate()`) so a bad one is a ``CLIError``: exit 2.
        func check() throws(CLIError) {
            guard ["cpu", "heap"].contains(type) else { throw CLIError.invalidInput("--type \(type): give cpu or heap") }
            if type == "heap", seconds != nil || hz != nil {
                throw CLIError.invalidInput("--seconds and --hz are for --type cpu: a heap profile is what is sampled now")
            }
            if let seconds, !(1...300).contains(seconds) {
                throw CLIError.invalidInput("--seconds \(seconds): give a whole number of seconds from 1 to 300")
            }
            if let hz, !(1...4000).contains(hz) { throw CLIError.invalidInput("--hz \(hz): give a sampling rate from 1 to 4000 per second") }
            guard ["pprof", "collapsed", "svg"].contains(format) else {
                throw CLIError.invalidInput("--format \(format): give pprof, collapsed or svg")
            }
        }

        func run() async throws {
            try check()
            let client = StatusClient(url: url, credential: GatewayCredential.fromEnvironment())
            let heap = type == "heap"
            let bytes: Data
            do {
                bytes = try await heap ? client.fetchHeapProfile() : client.fetchCPUProfile(seconds: seconds ?? 30, hertz: hz ?? 99)
            } catch {
                throw CLIError.failure(error.description, code: 1)
            }
            let profile: Perftools_Profiles_Profile
            do {
                profile = try Perftools_Profiles_Profile(pprof: Array(bytes))
            } catch {
                throw CLIError.failure("the gateway at \(url) sent no pprof profile: \(error.description)", code: 1)
            }
            let title = heap ? "Heap profile of \(url): bytes in use" : "CPU profile of \(url), \(seconds ?? 30) s at \(hz ?? 99) Hz"
            let rendered = Self.render(profile, bytes: bytes, format: format, sampleType: heap ? "inuse_space" : "samples", title: title)
            let name = heap ? "heap" : "profile"
            let path = output ?? ["pprof": "\(name).pb.gz", "svg": "\(name).svg"][format]
            guard let path else {
                print(String(decoding: rendered, as: UTF8.self), terminator: "")
                return
            }
            try OutputFile.write(rendered, to: path, flag: "--output")
            if heap {
                let column = profile.sampleType.firstIndex { profile.stringTable[Int($0.type)] == "inuse_space" } ?? 0
                let bytes = profile.sample.reduce(Int64(0)) { $0 + ($1.value.count > column ? $1.value[column] : 0) }
                print("wrote \(path): \(profile.sample.count) allocation sites, \(bytes) bytes in use (estimated) (\(format))")
            } else {
                let samples = profile.sample.reduce(0) { $0 + Int($1.value.first ?? 0) }
                print("wrote \(path): \(samples) samples over \(seconds ?? 30) s (\(format))")
            }
        }

        /// The profile in `format`: the bytes as sent (pprof), collapsed stacks or a flame graph of `sampleType`.
        static func render(_ profile: Perftools_Profiles_Profile, bytes: Data, format: String, sampleType: String = "samples", title: String) -> Data
        {
            switch format {
            case "collapsed":
                return Data(FoldedStacks(stacks: profile.stacks(of: sampleType)).text.utf8)
            case "svg":
                return Data(FlameGraph(stacks: profile.stacks(of: sampleType), title: title).svg().utf8)
            default:
                return bytes
            }
        }
    }
}
