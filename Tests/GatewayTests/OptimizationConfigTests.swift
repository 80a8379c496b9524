import ConfigFile
import Optimizer
import Testing

@testable import Gateway

/// `optimization:` in the gateway file and its defaults: `balanced`, every 5 minutes.
struct OptimizationConfigTests {
    @Test func theDefaultIsBalancedEveryFiveMinutes() {
        let settings = GatewayConfiguration().optimization
        #expect(settings.level == .balanced)
        #expect(settings.interval == .seconds(300))
    }

    @Test func theFileSetsTheLevelAndTheInterval() throws {
        let file = try GatewayFile.parse("optimization:\n  level: aggressive\n  interval: 90s\n", source: "gw.yaml")
        var configuration = GatewayConfiguration()
        try file.apply(to: &configuration, source: "gw.yaml")
        #expect(configuration.optimization == OptimizationSettings(level: .aggressive, interval: .seconds(90)))
        let off = try GatewayFile.parse("optimization: {level: \"off\"}\n", source: "gw.yaml")
        try off.apply(to: &configuration, source: "gw.yaml")
        #expect(configuration.optimization.level == .off)
        #expect(configuration.optimization.interval == .seconds(90))
    }

    @Test(arguments: [
        (
            "optimization:\n  level: fast",
            #"gw.yaml: optimization.level: "fast" is not a level; write one of off, conservative, balanced, aggressive"#
        ),
        ("optimization:\n  interval: 0s", #"gw.yaml: optimization.interval: "0s" is not a positive duration"#),
        ("optimization:\n  interval: soon", #"gw.yaml: optimization.interval: "soon" is not a positive duration"#),
        ("optimization:\n  levels: off", #"gw.yaml: unknown key "optimization.levels""#),
    ])
    func badOptimizationSettingsNameTheKey(text: String, message: String) {
        #expect {
            let file = try GatewayFile.parse(text, source: "gw.yaml")
            var configuration = GatewayConfiguration()
            try file.apply(to: &configuration, source: "gw.yaml")
        } throws: { error in
            (error as? ConfigError)?.description.hasPrefix(message) == true
        }
    }

    @Test func aNonPositiveIntervalIsAProblem() {
        var configuration = GatewayConfiguration(nodes: [NodeEndpoint(id: "a", url: "http://a:1")])
        configuration.optimization.interval = .zero
        #expect(configuration.problems() == ["optimization.interval: must be positive"])
    }
}
