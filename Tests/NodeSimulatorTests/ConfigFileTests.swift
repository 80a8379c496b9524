import ConfigFile
import NodeSimulator
import Testing

/// The YAML file: good files apply, bad ones name the key and the problem.
struct ConfigFileTests {
    @Test func aFullFileApplies() throws {
        let file = try SimulatorFile.parse(
            """
            port: 12000
            count: 3
            speed_spread: 0.25
            num_parallel: 4
            max_queue: 16
            keep_alive: 10m
            models:
              - name: tiny
                decode_tokens_per_second: 500
                load_seconds: 0
            faults:
              error_rate: 0.05
              mid_stream_failure_mode: drop_connection
              seed: 7
            """,
            source: "sim.yaml"
        )
        #expect(file.count == 3)
        #expect(file.keepAlive == "10m")
        let configuration = SimulatorConfiguration().applying(file)
        #expect(configuration.port == 12000)
        #expect(configuration.limits.numParallel == 4)
        #expect(configuration.limits.maxQueue == 16)
        #expect(configuration.models.map(\.name) == ["tiny:latest"])
        #expect(configuration.models[0].decodeTokensPerSecond == 500)
        #expect(configuration.models[0].prefillTokensPerSecond == SimulatedModel(name: "x").prefillTokensPerSecond)
        #expect(configuration.faults.errorRate == 0.05)
        #expect(configuration.faults.midStreamFailureMode == .dropConnection)
        #expect(configuration.faults.seed == 7)
        #expect(configuration.limits.defaultKeepAlive == .seconds(600))
        #expect(configuration.models[0].loadTime == .zero)
        #expect(configuration.problems().isEmpty)
    }

    @Test func anEmptyFileChangesNothing() throws {
        let file = try SimulatorFile.parse("", source: "empty.yaml")
        #expect(SimulatorConfiguration().applying(file) == SimulatorConfiguration())
    }

    @Test(arguments: [
        ("prot: 1", #"sim.yaml: unknown key "prot"; known keys here:"#),
        ("models:\n  - name: a\n    speed: 3", #"sim.yaml: unknown key "models[0].speed""#),
        ("faults:\n  eror_rate: 0.1", #"sim.yaml: unknown key "faults.eror_rate""#),
        ("port: high", "sim.yaml: port: expected an integer"),
        ("models:\n  - name: a\n    decode_tokens_per_second: fast", "sim.yaml: models[0].decode_tokens_per_second: expected a number"),
        ("models:\n  - family: x", "sim.yaml: models[0].name: required"),
        ("- 1\n- 2", "sim.yaml: the top level must be a mapping"),
        ("port: [1", "sim.yaml: not valid YAML"),
        ("faults:\n  mid_stream_failure_mode: explode", "sim.yaml: faults.mid_stream_failure_mode:"),
        ("keep_alive: soon", #"sim.yaml: keep_alive: "soon" is not a duration; use e.g. 5m"#),
    ])
    func badFilesNameTheProblem(text: String, message: String) {
        #expect {
            _ = try SimulatorFile.parse(text, source: "sim.yaml")
        } throws: { error in
            (error as? ConfigError)?.description.hasPrefix(message) == true
        }
    }

    @Test func badValuesAreAllReported() {
        var configuration = SimulatorConfiguration()
        configuration.limits.numParallel = 0
        configuration.faults.errorRate = 2
        configuration.models[0].decodeTokensPerSecond = 0
        let problems = configuration.problems()
        #expect(problems.contains("num_parallel: must be at least 1, got 0"))
        #expect(problems.contains("faults.error_rate: must be between 0 and 1, got 2.0"))
        #expect(problems.contains("models[0] (llama3.2:latest).decode_tokens_per_second: must be positive"))
    }

    @Test func missingFilesSayWhich() {
        #expect {
            _ = try SimulatorFile.load(path: "/nonexistent/sim.yaml")
        } throws: { error in
            (error as? ConfigError)?.description.hasPrefix("/nonexistent/sim.yaml: cannot read the file") == true
        }
    }

    @Test func durationsInTheFileAreSecondsAndGoDurations() throws {
        let file = try SimulatorFile.parse(
            "keep_alive: -1\nmodels:\n  - name: a\n    load_seconds: 0.25\nfaults:\n  latency_spike_seconds: 1.5",
            source: "s.yaml"
        )
        let configuration = SimulatorConfiguration().applying(file)
        #expect(configuration.limits.defaultKeepAlive == .seconds(-1))
        #expect(configuration.models[0].loadTime == .milliseconds(250))
        #expect(configuration.faults.latencySpike == .milliseconds(1500))
    }

    @Test func ollamasVariablesApplyAndBadValuesNameTheVariable() throws {
        let environment = ["OLLAMA_NUM_PARALLEL": "0", "OLLAMA_MAX_QUEUE": "7", "OLLAMA_KEEP_ALIVE": "1h", "OLLAMA_MAX_LOADED_MODELS": ""]
        let configuration = try SimulatorConfiguration().applying(environment: environment)
        #expect(configuration.limits.numParallel == 1)
        #expect(configuration.limits.maxQueue == 7)
        #expect(configuration.limits.maxLoadedModels == 3)
        #expect(configuration.limits.defaultKeepAlive == .seconds(3600))
        #expect {
            _ = try SimulatorConfiguration().applying(environment: ["OLLAMA_KEEP_ALIVE": "later"])
        } throws: { error in
            (error as? SimulatorSettingError)?.description
                == "OLLAMA_KEEP_ALIVE=later: not a duration; use e.g. 5m, 30s, 1h30m or -1 (forever)"
        }
    }

    @Test func nodesGetConsecutivePortsAndTheirPortsMustFit() throws {
        var configuration = SimulatorConfiguration()
        configuration.port = 65534
        #expect(try configuration.nodes(count: 2, speedSpread: 1).map(\.port) == [65534, 65535])
        #expect(try configuration.nodes(count: 2, speedSpread: 1)[1].models[0].decodeTokensPerSecond == 30)
        let errors: [(count: Int, spread: Double, port: Int, message: String)] = [
            (3, 1, 65534, "port 65534 with count 3 runs past port 65535"),
            (2, 1, 0, "port 0 picks one free port; with count 2 give a first port instead"),
            (65, 1, 1000, "count: must be between 1 and 64, got 65"),
            (2, -0.5, 1000, "speed_spread: must be 0 or more, got -0.5"),
        ]
        for error in errors {
            configuration.port = error.port
            #expect {
                _ = try configuration.nodes(count: error.count, speedSpread: error.spread)
            } throws: { thrown in
                (thrown as? SimulatorSettingError)?.description == error.message
            }
        }
    }
}
