import Gateway
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NodeSimulator
import OllamaAPI
import ServiceLifecycle
import TestHTTP
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A gateway started over a node that is not up yet (`start` with no nodes given falls back to
/// the local Ollama, which may be down): it serves, answers 503s that say why, and serves
/// normally once the node answers its probes.
struct NodeDownTests {
    static let generate = #"{"model":"llama3.2","prompt":"hi","stream":false}"#
    static let chat = #"{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}"#

    @Test func aDownNodeGets503sThatNameItUntilItComesUp() async throws {
        // The port stays bound (not listening: connections are refused) until the node takes
        // it, so no other test's server can take it in between, which once hung this test.
        let reserved = try Self.ReservedPort()
        defer { reserved.release() }
        let port = reserved.port
        let url = "http://127.0.0.1:\(port)"
        var configuration = GatewayConfiguration(port: 0, nodes: [NodeEndpoint(id: "127.0.0.1:\(port)", url: url)])
        configuration.probeInterval = .seconds(3600)  // the test probes by hand
        configuration.probeTimeout = .seconds(30)
        // A refused connection is retried until the connect timeout: keep the first round short,
        // but not under what a connect takes on a machine busy with the whole suite (200 ms was:
        // the node, up, was refused as down).
        configuration.connectTimeout = .seconds(1)
        configuration.health.successesToHealthy = 1
        configuration.health.slowProbe = .seconds(30)
        try await Self.withGateway(configuration) { client, gateway in
            let expected =
                "no healthy Ollama node is available: \(url) is down (probe failed: connection refused); "
                + "start Ollama there or point the gateway at running nodes"
            let ollama = try await client.post("/api/generate", Self.generate)
            #expect(ollama.status == 503)
            #expect(try ollama.json()["error"]?.stringValue == expected)
            #expect(ollama.headers.first(name: "Retry-After") == "1")
            let openAI = try await client.post("/v1/chat/completions", Self.chat)
            #expect(openAI.status == 503)
            let detail = try openAI.json()["error"]?.objectValue
            #expect(detail?["message"]?.stringValue == expected)
            #expect(detail?["type"]?.stringValue == "api_error")

            var node = SimulatorConfiguration.testing
            node.host = "127.0.0.1"
            node.port = port
            var logger = Logger(label: "test.node")
            logger.logLevel = .critical
            let (ports, sink) = AsyncStream<Int>.makeStream()
            let simulator = ServiceGroup(
                configuration: .init(
                    services: [NodeSimulator(configuration: node, logger: logger).makeApplication { sink.yield($0) }],
                    logger: logger
                )
            )
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    do {
                        try await simulator.run()
                    } catch {
                        sink.finish()  // a node that cannot start ends the wait for its port
                        throw error
                    }
                }
                var iterator = ports.makeAsyncIterator()
                #expect(await iterator.next() == port)
                var failure: (any Error)?
                do {
                    await gateway.monitor.probeAll()
                    let served = try await client.post("/api/generate", Self.generate)
                    #expect(served.status == 200, "\(served.text)")
                    #expect(try served.json()["done"] == .bool(true))
                    let chat = try await client.post("/v1/chat/completions", Self.chat)
                    #expect(chat.status == 200, "\(chat.text)")
                } catch {
                    failure = error
                }
                // Stopped and waited for before leaving the group, never cancelled (apple/swift-nio#3481).
                await simulator.triggerGracefulShutdown()
                try await tasks.waitForAll()
                if let failure { throw failure }
            }
        }
    }

    /// A loopback port bound with `SO_REUSEADDR` and never listened on: a connection to it is
    /// refused, the kernel gives it to nobody else, and a server with `SO_REUSEADDR` (the
    /// simulator's) can still bind it.
    final class ReservedPort: Sendable {
        let port: Int
        private let descriptor: Int32

        init() throws {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw ClusterError("socket() failed: errno \(errno)") }
            var one: Int32 = 1
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
                }
            }
            guard bound else {
                close(descriptor)
                throw ClusterError("cannot bind 127.0.0.1:0: errno \(errno)")
            }
            self.descriptor = descriptor
            self.port = Int(UInt16(bigEndian: address.sin_port))
        }

        func release() { close(descriptor) }
    }

    /// Runs `body` against a gateway with `configuration`, on an ephemeral port.
    static func withGateway(
        _ configuration: GatewayConfiguration,
        _ body: @Sendable (TestClient, Gateway) async throws -> Void
    ) async throws {
        var logger = Logger(label: "test.gateway")
        logger.logLevel = .critical
        let gateway = Gateway(configuration: configuration, logger: logger)
        let (ports, sink) = AsyncStream<Int>.makeStream()
        let group = ServiceGroup(
            configuration: .init(services: [gateway.makeApplication { sink.yield($0) }], logger: logger)
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next() ?? 0
            do {
                try await body(TestClient(port: port), gateway)
            } catch {
                // Stopped and waited for, never cancelled: cancelling a server while a connection
                // it accepted is not served yet traps in NIO (apple/swift-nio#3481).
                await group.triggerGracefulShutdown()
                while await tasks.nextResult() != nil {}
                try? await gateway.shutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            try await gateway.shutdown()
        }
    }
}
