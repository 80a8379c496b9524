import Foundation
import Synchronization

/// The soak's children: simulated nodes with faults on, and a gateway over them. Knows how to
/// kill a node and bring it back on the same port, and stops everything at the end.
final class SoakCluster: Sendable {
    private let configuration: SoakConfiguration
    private let nodes: Mutex<[SoakChild]>
    private let nodePorts: [Int]
    private let restarts = Atomic<Int>(0)
    /// The gateway child.
    let gateway: SoakChild
    /// The gateway's base URL, `http://127.0.0.1:PORT`.
    let gatewayURL: String

    private init(configuration: SoakConfiguration, nodes: [SoakChild], nodePorts: [Int], gateway: SoakChild, gatewayPort: Int) {
        self.configuration = configuration
        self.nodes = Mutex(nodes)
        self.nodePorts = nodePorts
        self.gateway = gateway
        gatewayURL = "http://127.0.0.1:\(gatewayPort)"
    }

    /// Starts the nodes, then the gateway over them; stops whatever started when a child fails.
    static func start(_ configuration: SoakConfiguration) async throws(SoakError) -> SoakCluster {
        var started: [SoakChild] = []
        do throws(SoakError) {
            var ports: [Int] = []
            for index in 0..<configuration.nodes {
                let node = try startNode(index, port: 0, seed: configuration.faults.seed + index, configuration)
                started.append(node)
                ports.append(try await node.listeningPort(within: .seconds(30)))
            }
            let file = configuration.workDirectory.appendingPathComponent("gateway.yaml")
            do {
                try gatewayFile(configuration, ports: ports).write(to: file, atomically: true, encoding: .utf8)
            } catch {
                throw SoakError.childFailed("gateway", "cannot write its configuration \(file.path): \(error)")
            }
            let gateway = try SoakChild(
                name: "gateway",
                executable: configuration.executable,
                arguments: ["start", "--config", file.path, "--listen", "127.0.0.1:0", "--log-level", "warning"],
                log: configuration.workDirectory.appendingPathComponent("gateway.log")
            )
            started.append(gateway)
            let port = try await gateway.listeningPort(within: .seconds(30))
            return SoakCluster(configuration: configuration, nodes: Array(started.dropLast()), nodePorts: ports, gateway: gateway, gatewayPort: port)
        } catch {
            for child in started { await child.stop() }
            throw error
        }
    }

    /// SIGKILLs node `index` and starts it again on its port; the node's restart count picks a new fault seed.
    func killAndRestart(node index: Int) async throws(SoakError) {
        let node = nodes.withLock { $0[index] }
        node.send(SIGKILL)
        guard await node.waitForExit(within: .seconds(10)) else { throw .childFailed(node.name, "survived SIGKILL for 10s") }
        let restart = restarts.add(1, ordering: .relaxed).newValue
        // The port may take a moment to be free again: retry a bounded number of times.
        var lastError: SoakError?
        for _ in 0..<10 {
            let seed = configuration.faults.seed + configuration.nodes * restart + index
            let fresh = try Self.startNode(index, port: nodePorts[index], seed: seed, configuration)
            do throws(SoakError) {
                _ = try await fresh.listeningPort(within: .seconds(10))
                nodes.withLock { $0[index] = fresh }
                return
            } catch {
                lastError = error
                await fresh.stop()
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        throw lastError ?? .childFailed(node.name, "did not restart")
    }

    /// Stops the gateway, then every node (SIGTERM, SIGKILL after a grace period).
    func stop() async {
        await gateway.stop()
        for node in nodes.withLock({ $0 }) { await node.stop() }
    }

    private static func startNode(_ index: Int, port: Int, seed: Int, _ configuration: SoakConfiguration) throws(SoakError) -> SoakChild {
        let faults = configuration.faults
        return try SoakChild(
            name: "node \(index)",
            executable: configuration.executable,
            arguments: [
                "node-sim", "--host", "127.0.0.1", "--port", "\(port)",
                "--num-parallel", "\(parallel(configuration))", "--max-queue", "\(configuration.streams * 2)",
                "--error-rate", "\(faults.errorRate)", "--mid-stream-failure-rate", "\(faults.midStreamFailureRate)",
                "--mid-stream-failure-mode", index % 2 == 0 ? "error_line" : "drop_connection",
                "--hang-rate", "\(faults.hangRate)", "--fault-seed", "\(seed)", "--log-level", "warning",
            ],
            log: configuration.workDirectory.appendingPathComponent("node-\(index).log")
        )
    }

    /// Slots per node: every stream can be served at once even with one node down.
    private static func parallel(_ configuration: SoakConfiguration) -> Int {
        configuration.streams / (configuration.nodes - 1) + 1
    }

    /// The gateway's configuration file: the nodes, a queue for every stream, node timeouts well
    /// under the client timeout, and probes every second so a killed node is noticed quickly.
    static func gatewayFile(_ configuration: SoakConfiguration, ports: [Int]) -> String {
        let timeout = "\(Int(configuration.gatewayTimeout.inSeconds * 1000))ms"
        let slots = parallel(configuration)
        var lines = ["strategy: least-outstanding", "nodes:"]
        for port in ports {
            lines += ["  - url: http://127.0.0.1:\(port)", "    max_in_flight: \(slots)", "    num_parallel: \(slots)"]
        }
        lines += [
            "queue_size: \(configuration.streams * 2)",
            "queue_timeout: \(timeout)",
            "probe_interval: 1s",
            "probe_timeout: 1s",
            "max_attempts: 2",
            "connect_timeout: 1s",
            "response_timeout: \(timeout)",
            "idle_timeout: \(timeout)",
            "debug_endpoints: false",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
