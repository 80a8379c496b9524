import Foundation
import LocalCluster
import NIOCore
import NIOEmbedded
import NodeSimulator
import OllamaAPI
import TestHTTP
import Testing

@testable import Gateway

/// Request heads: over the size or count limit, a 431 (not a reset); too slow, the connection
/// is closed without holding a slot.
@Suite(.timeLimit(.minutes(3)))
struct HeaderLimitTests {
    @Test func aHeadOverTheSizeOrCountLimitGets431AndAJSONError() async throws {
        try await withCluster([fastNode()]) { client, cluster in
            let port = try BodyLimitTests.port(cluster)
            let huge = "GET /api/tags HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 100 * 1024))\r\n\r\n"
            let many = "GET /api/tags HTTP/1.1\r\nHost: x\r\n" + (0..<101).map { "X-Field-\($0): v\r\n" }.joined() + "\r\n"
            for head in [huge, many] {
                let raw = try await DataPlaneTests.exchange(port: port, head)
                #expect(raw.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"), "\(raw.prefix(200))")
                let error = try BodyLimitTests.body(of: raw)["error"]?.stringValue
                #expect(error?.hasPrefix("request header too large (limits: 81920 bytes in all") == true)
            }
            // 100 fields are within the limit.
            let fine = "GET /api/version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + (0..<97).map { "X-F\($0): v\r\n" }.joined() + "\r\n"
            #expect(try await DataPlaneTests.exchange(port: port, fine).hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(try await client.get("/api/version").status == 200)
        }
    }

    @Test func aSlowHeadIsDisconnectedAfterTheHeaderTimeoutWithoutBlockingOthers() async throws {
        try await withCluster([fastNode()], configure: { $0.headerTimeout = .seconds(1) }) { client, cluster in
            let port = try BodyLimitTests.port(cluster)
            let opened = ContinuousClock.now
            // Half a head, then nothing: the gateway ends the connection, having answered nothing.
            // On a loaded machine the second may pass before the half head is written: the write
            // then finds the connection closed, which is the same answer (nothing).
            async let slow: String = {
                do {
                    return try await DataPlaneTests.exchange(port: port, "POST /api/generate HTTP/1.1\r\nHost: x\r\nContent-Type: app")
                } catch ChannelError.ioOnClosedChannel {
                    return ""
                }
            }()
            let served = try await client.post("/api/generate", #"{"model":"llama3.2","prompt":"x","stream":false}"#)
            #expect(served.status == 200)
            #expect(try await slow == "")
            #expect(ContinuousClock.now - opened >= .seconds(1))
            #expect(cluster.gateway.pool.status().allSatisfy { $0.node.inFlight == 0 })
            #expect(cluster.gateway.pool.queued == 0)
        }
    }

    // MARK: The watch alone, on an embedded loop's clock

    static func watched(timeout: TimeAmount = .seconds(10)) throws -> (EmbeddedChannel, HeaderTimeout) {
        let watch = HeaderTimeout(timeout: timeout)
        let channel = EmbeddedChannel(handler: watch)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return (channel, watch)
    }

    @Test func aConnectionThatSendsNoHeadIsClosedAtTheTimeout() throws {
        let (channel, _) = try Self.watched()
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        try channel.writeInbound(ByteBuffer(string: "GET / HT"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test func anIdleKeptAliveConnectionIsNotTimedOutUntilItsNextHeadStarts() throws {
        let (channel, watch) = try Self.watched()
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n"))
        watch.headArrived()
        watch.requestEnded()
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        try channel.writeInbound(ByteBuffer(string: "GET /api"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test func aLongBodyOrAnswerAfterTheHeadIsNotTimedOut() throws {
        let (channel, watch) = try Self.watched()
        try channel.writeInbound(ByteBuffer(string: "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n"))
        watch.headArrived()
        for _ in 0..<20 {
            try channel.writeInbound(ByteBuffer(string: "xxxxx"))
            channel.embeddedEventLoop.advanceTime(by: .seconds(5))
        }
        #expect(channel.isActive)
    }

    // MARK: Lingering

    @Test func lingeringEndsAfterTheSilenceTheTotalTimeOrTheBytes() {
        let limits = LingeringClose.Limits(time: .seconds(30), timeout: .seconds(5), bytes: 1000)
        let start = NIODeadline.uptimeNanoseconds(0)
        var lingering = LingeringClose(limits: limits, now: start)
        #expect(lingering.deadline == nil)
        #expect(!lingering.isOver(now: start + .seconds(60)))
        lingering.answerSent(now: start)
        #expect(lingering.deadline == start + .seconds(5))
        // Reads keep it open, up to the total time.
        for second in 1...40 {
            let now = start + .seconds(Int64(second))
            lingering.read(10, now: now)
            #expect(lingering.isOver(now: now) == (second >= 30), "\(second)")
        }
        var quiet = LingeringClose(limits: limits, now: start)
        quiet.answerSent(now: start)
        quiet.read(1, now: start + .seconds(2))
        #expect(!quiet.isOver(now: start + .seconds(6)))
        #expect(quiet.isOver(now: start + .seconds(7)))
        var flood = LingeringClose(limits: limits, now: start)
        flood.read(1001, now: start)
        #expect(flood.isOver(now: start))
        #expect(LingeringClose.Limits.forBodies(upTo: 1 << 30).bytes == 1 << 30)
        #expect(LingeringClose.Limits.forBodies(upTo: 32 << 20).bytes == 256 << 20)
    }
}
