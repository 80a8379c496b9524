import Foundation
import Hummingbird
import NIOCore
import OllamaAPI
import Telemetry
import TestHTTP
import Testing

@testable import Gateway

/// TTFT and inter-token gaps on the named-event routes come from content deltas, not from the
/// events a node sends before any token.
@Suite(.timeLimit(.minutes(3)))
struct ContentDeltaTimingTests {
    static func frame(_ name: String, _ data: String) -> ByteBuffer {
        ByteBuffer(string: "event: \(name)\ndata: \(data)\n\n")
    }

    /// A node that sends its opening events at once, the first delta `firstDelay` later, a second
    /// delta `gap` after it, and the closing events (usage included) `gap` after that.
    static func earlyStartNode(path: String, opening: [ByteBuffer], delta: ByteBuffer, closing: [ByteBuffer]) -> FakeNode {
        FakeNode("early", models: ["llama3.2:latest"]) { router, _ in
            router.post(RouterPath(path)) { request, _ in
                _ = try await request.body.collect(upTo: 1 << 20)
                return Response(
                    status: .ok,
                    headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        // The node's own pacing, which the gateway measures (not a wait for the test).
                        for frame in opening { try await writer.write(frame) }
                        try await Task.sleep(for: firstDelay)
                        try await writer.write(delta)
                        try await Task.sleep(for: gap)
                        try await writer.write(delta)
                        try await Task.sleep(for: gap)
                        for frame in closing { try await writer.write(frame) }
                        try await writer.finish(nil)
                    }
                )
            }
        }
    }

    static let firstDelay = Duration.milliseconds(300)
    static let gap = Duration.milliseconds(50)

    static func expectDeltaTiming(_ client: TestClient, path: String, body: String) async throws {
        let answer = try await client.post(path, body)
        #expect(answer.status == 200)
        let families = try await GatewayMetricsTests.scrape(client)
        let labels = ["node": "early", "model": "llama3.2:latest"]
        #expect(families.value("ollamamax_time_to_first_token_seconds_count", labels) == 1)
        #expect((families.value("ollamamax_time_to_first_token_seconds_sum", labels) ?? 0) >= firstDelay.inSeconds)
        // At most one gap, between the two deltas (none if a busy machine read both at once): the
        // opening and closing events end none. Counting every chunk would give three or more.
        #expect((families.value("ollamamax_inter_token_latency_seconds_count", labels) ?? -1) <= 1)
        #expect(families.value("ollamamax_output_tokens_total", labels) == 2)
        #expect(families.value("ollamamax_prompt_tokens_total", labels) == 9)
    }

    @Test func messagesTimeTheFirstTokenFromTheFirstContentBlockDelta() async throws {
        let node = Self.earlyStartNode(
            path: "/v1/messages",
            opening: [
                Self.frame("message_start", #"{"type":"message_start","message":{"usage":{"input_tokens":9,"output_tokens":0}}}"#),
                Self.frame("content_block_start", #"{"type":"content_block_start","index":0}"#),
                Self.frame("ping", #"{"type":"ping"}"#),
            ],
            delta: Self.frame("content_block_delta", #"{"type":"content_block_delta","delta":{"type":"text_delta","text":"x"}}"#),
            closing: [
                Self.frame("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
                Self.frame("message_delta", #"{"type":"message_delta","usage":{"input_tokens":9,"output_tokens":2}}"#),
                Self.frame("message_stop", #"{"type":"message_stop"}"#),
            ]
        )
        try await withFakeNodes([node], configure: { $0.monitoring.enabled = true }) { client, _ in
            try await Self.expectDeltaTiming(
                client,
                path: "/v1/messages",
                body: MessagesAndResponsesTests.messages(stream: true)
            )
        }
    }

    @Test func responsesTimeTheFirstTokenFromTheFirstDeltaEvent() async throws {
        let node = Self.earlyStartNode(
            path: "/v1/responses",
            opening: [
                Self.frame("response.created", #"{"type":"response.created","sequence_number":0}"#),
                Self.frame("response.in_progress", #"{"type":"response.in_progress","sequence_number":1}"#),
            ],
            delta: Self.frame("response.output_text.delta", #"{"type":"response.output_text.delta","delta":"x"}"#),
            closing: [
                Self.frame("response.output_text.done", #"{"type":"response.output_text.done","text":"xx"}"#),
                Self.frame(
                    "response.completed",
                    #"{"type":"response.completed","response":{"usage":{"input_tokens":9,"output_tokens":2,"total_tokens":11}}}"#
                ),
            ]
        )
        try await withFakeNodes([node], configure: { $0.monitoring.enabled = true }) { client, _ in
            try await Self.expectDeltaTiming(
                client,
                path: "/v1/responses",
                body: MessagesAndResponsesTests.responses(stream: true)
            )
        }
    }
}
