import AsyncHTTPClient
import Foundation
import LocalCluster
import NIOCore
import NIOHTTP1
import NIOPosix
import OllamaAPI
import TestHTTP
import Testing

@testable import Gateway

/// The data plane's requests in the gateway queue: they wait without a task, on the client
/// connection's event loop, and leave it served, timed out, or with their client.
@Suite(.timeLimit(.minutes(3)))
struct DataPlaneQueueTests {
    static let long = #"{"model":"llama3.2","prompt":"x","options":{"num_predict":400}}"#
    static let short = #"{"model":"llama3.2","prompt":"y","stream":false,"options":{"num_predict":2}}"#

    /// A streamed request that holds the node's one slot from its first chunk until `release`.
    struct Holder {
        let task: Task<Void, any Error>
        let release: AsyncStream<Void>.Continuation

        /// Opens the stream and returns once its first chunk arrived.
        static func hold(_ client: TestClient) async throws -> Holder {
            let (released, release) = AsyncStream<Void>.makeStream()
            let (started, start) = AsyncStream<Void>.makeStream()
            let task = Task {
                let response = try await client.open("/api/generate", DataPlaneQueueTests.long)
                var body = response.body.makeAsyncIterator()
                _ = try await body.next()
                start.yield()
                for await _ in released { break }
                // Leaving drops the response: the connection closes and the node's slot is free.
            }
            for await _ in started { break }
            return Holder(task: task, release: release)
        }

        func end() async throws {
            release.yield()
            try await task.value
        }
    }

    static func oneSlot(_ configuration: inout GatewayConfiguration) {
        configuration.nodes[0].maxInFlight = 1
    }

    @Test func aQueuedRequestIsServedWhenTheNodeFreesUp() async throws {
        try await withCluster([fastNode(decodeRate: 10)], configure: Self.oneSlot) { client, cluster in
            let pool = cluster.gateway.pool
            let holder = try await Holder.hold(client)
            let waiting = Task { try await client.post("/api/generate", Self.short) }
            try await eventually("the second request waits in the gateway queue") { pool.queued == 1 }
            #expect(pool.snapshot()[0].inFlight == 1)
            try await holder.end()
            let answer = try await waiting.value
            #expect(answer.status == 200)
            #expect(answer.headers.first(name: "X-OllamaMax-Node") == "sim-0")
            #expect(try answer.json()["done"] == true)
            #expect(pool.queued == 0)
            try await eventually("the node has nothing in flight") { pool.snapshot()[0].inFlight == 0 }
        }
    }

    @Test func aQueuedRequestTimesOutWith503AndRetryAfter() async throws {
        try await withCluster(
            [fastNode(decodeRate: 10)],
            configure: {
                Self.oneSlot(&$0)
                $0.queue.queueTimeout = .seconds(0.3)
            }
        ) { client, cluster in
            let holder = try await Holder.hold(client)
            let answer = try await client.post("/api/generate", Self.short)
            #expect(answer.status == 503)
            #expect(answer.headers.first(name: "Retry-After") == "1")
            #expect(
                try answer.json()["error"]
                    == "server busy, please try again.  timed out after 0.3s in the gateway queue"
            )
            #expect(cluster.gateway.pool.queued == 0)
            // The node's slot is still the holder's, untouched.
            #expect(cluster.gateway.pool.snapshot()[0].inFlight == 1)
            try await holder.end()
        }
    }

    @Test func aClientThatLeavesWhileQueuedLeavesTheQueue() async throws {
        try await withCluster([fastNode(decodeRate: 10)], configure: Self.oneSlot) { client, cluster in
            let pool = cluster.gateway.pool
            let holder = try await Holder.hold(client)
            let port = try #require(URLComponents(string: cluster.gatewayURL)?.port)
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get()
            try await channel.writeAndFlush(ByteBuffer(string: DataPlaneTests.post("/api/generate", Self.short)))
            try await eventually("the request waits in the gateway queue") { pool.queued == 1 }
            try await channel.close()
            try await eventually("the request left the queue with its client") { pool.queued == 0 }
            // The holder keeps its slot, and when it ends no one is left to take it.
            #expect(pool.snapshot()[0].inFlight == 1)
            try await holder.end()
            try await eventually("the node has nothing in flight") { pool.snapshot()[0].inFlight == 0 }
            #expect(pool.queued == 0)
        }
    }
}
