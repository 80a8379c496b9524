import ArgumentParser
import Gateway

/// `ollama-distributed`: the OllamaMax gateway, its simulator, and its performance tools.

@main
struct OllamaDistributed: AsyncParsableCommand {
    static let version = Gateway.version

    static let configuration = CommandConfiguration(
        commandName: "ollama-distributed",
        abstract: "One Ollama-compatible endpoint over many Ollama servers, with performance monitoring built in.",
        version: version,
        subcommands: [Start.self, Status.self, NodeSim.self]
    )
}
