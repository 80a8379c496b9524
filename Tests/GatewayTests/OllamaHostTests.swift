import ConfigFile
import Gateway
import Testing

/// `OLLAMA_HOST` read as Ollama's `envconfig.Host` reads it: the node a gateway given no nodes uses.
struct OllamaHostTests {
    @Test(arguments: [
        ("gpu-box", "http://gpu-box:11434"),
        ("gpu-box:11500", "http://gpu-box:11500"),
        ("http://gpu-box:11500", "http://gpu-box:11500"),
        ("https://gpu-box", "https://gpu-box:443"),
        ("http://gpu-box", "http://gpu-box:80"),
        (":11500", "http://127.0.0.1:11500"),
        ("0.0.0.0", "http://127.0.0.1:11434"),
        ("0.0.0.0:11434", "http://127.0.0.1:11434"),
        ("10.0.0.5", "http://10.0.0.5:11434"),
        ("::1", "http://[::1]:11434"),
        ("[::1]:11500", "http://[::1]:11500"),
        ("::", "http://[::1]:11434"),
        ("  \"gpu-box:11500\"  ", "http://gpu-box:11500"),
        ("'gpu-box'", "http://gpu-box:11434"),
        ("http://gpu-box:11500/ollama/", "http://gpu-box:11500/ollama"),
        ("ollama.com", "https://ollama.com:443"),
    ])
    func ollamaHostFormsNameTheNodeAsOllamaReadsThem(value: String, url: String) throws {
        #expect(try OllamaHost.url(value) == url)
    }

    @Test func unsetOrBlankMeansOllamasDefault() throws {
        #expect(try OllamaHost.resolve(nil) == ("http://127.0.0.1:11434", .ollamaDefault))
        #expect(try OllamaHost.resolve("  ") == ("http://127.0.0.1:11434", .ollamaDefault))
        #expect(try OllamaHost.resolve("gpu-box") == ("http://gpu-box:11434", .environment("gpu-box")))
    }

    @Test(arguments: [
        ("gpu-box:99999", "OLLAMA_HOST \"gpu-box:99999\": port \"99999\" is not a TCP port (0-65535); write host:port, e.g. 127.0.0.1:11434"),
        ("gpu-box:", "OLLAMA_HOST \"gpu-box:\": port \"\" is not a TCP port (0-65535); write host:port, e.g. 127.0.0.1:11434"),
        ("unix:///run/ollama.sock", "OLLAMA_HOST \"unix:///run/ollama.sock\" uses unix://; write http://host:port or host:port (as for Ollama)"),
    ])
    func badValuesAreRefusedWithWhatToWrite(value: String, message: String) {
        #expect(throws: ConfigError(message)) { _ = try OllamaHost.url(value) }
    }
}
