import ConfigFile
import NodeSimulator
import Testing

/// `contention` per model and `faults.slowdowns` in the YAML file: good values apply, bad ones
/// name the key.
struct ContentionConfigTests {
    @Test func contentionAndSlowdownsApplyFromTheFile() throws {
        let file = try SimulatorFile.parse(
            """
            models:
              - name: big
                contention: gpu
              - name: small
                contention: [1, 1.5, 1.8]
              - name: plain
            faults:
              slowdowns:
                - {after: 30s, factor: 3}
                - after: 90
                  factor: 1
            """,
            source: "sim.yaml"
        )
        let configuration = SimulatorConfiguration().applying(file)
        #expect(configuration.models.map(\.contention) == [.gpu, .curve([1, 1.5, 1.8]), .none])
        #expect(
            configuration.faults.slowdowns == [Slowdown(after: .seconds(30), factor: 3), Slowdown(after: .seconds(90), factor: 1)]
        )
        #expect(configuration.problems().isEmpty)
    }

    @Test func badContentionAndSlowdownsNameTheKey() throws {
        #expect(throws: ConfigError.self) {
            try SimulatorFile.parse("models:\n  - name: a\n    contention: fast\n", source: "sim.yaml")
        }
        do {
            _ = try SimulatorFile.parse("models:\n  - name: a\n    contention: fast\n", source: "sim.yaml")
        } catch {
            #expect(error.description.contains("contention"), "\(error)")
            #expect(error.description.contains("\"fast\" is not a contention"), "\(error)")
        }
        do {
            _ = try SimulatorFile.parse("faults:\n  slowdowns:\n    - {after: soon, factor: 3}\n", source: "sim.yaml")
            Issue.record("a bad duration was accepted")
        } catch {
            #expect(error.description.hasPrefix("sim.yaml: faults.slowdowns[0].after: \"soon\" is not a duration"), "\(error)")
        }
        do {
            _ = try SimulatorFile.parse("faults:\n  slowdowns:\n    - {after: 1s, factr: 3}\n", source: "sim.yaml")
            Issue.record("an unknown key was accepted")
        } catch {
            #expect(error.description.contains("factr"), "\(error)")
        }
        let file = try SimulatorFile.parse(
            "models:\n  - name: a\n    contention: [1, 3]\nfaults:\n  slowdowns:\n    - {after: 1s, factor: 0}\n",
            source: "sim.yaml"
        )
        let problems = SimulatorConfiguration().applying(file).problems()
        #expect(problems.contains { $0.hasPrefix("models[0] (a:latest).contention: s(2) = 3.0") }, "\(problems)")
        #expect(problems.contains("faults.slowdowns[0].factor: must be a positive number, got 0.0"), "\(problems)")
    }
}
