import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import Testing

@testable import Gateway

/// The rules the data plane and the router's proxy share, pinned once.
struct RelayRulesTests {
    @Test(arguments: [(500, true), (502, true), (503, true), (599, true), (499, false), (404, false), (400, false), (200, false)])
    func onlyA5xxIsTriedAgainOnAnotherNode(status: Int, retried: Bool) {
        #expect(RelayRules.retryable(status: status) == retried)
    }

    @Test func theBackoffDoublesFromItsBaseUpToASecond() {
        let caps = (1...8).map { RelayRules.backoffCap(attempt: $0, base: .milliseconds(25)) }
        #expect(caps == [0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.0, 1.0])
        #expect(RelayRules.backoffCap(attempt: 100, base: .milliseconds(25)) == 1.0)
        for attempt in 1...4 {
            let pause = RelayRules.backoffNanoseconds(attempt: attempt, base: .milliseconds(25))
            #expect((0...Int64(RelayRules.backoffCap(attempt: attempt, base: .milliseconds(25)) * 1e9)).contains(pause))
        }
    }

    @Test func errorsAreWordedOnce() {
        struct Refused: Error, CustomStringConvertible { var description: String { "connection refused" } }
        #expect(RelayRules.attemptError(node: "gpu-a", Refused()) == "gpu-a: connection refused")
        #expect(RelayRules.attemptError(node: "gpu-a", status: 503, body: "busy") == "gpu-a: 503 busy")
        #expect(RelayRules.exhausted(lastError: "gpu-a: 503 busy") == "no node could serve the request: gpu-a: 503 busy")
        #expect(RelayRules.midStream(node: "gpu-a", Refused()) == "node gpu-a failed mid-stream: connection refused")
        #expect(RelayRules.exhausted(lastError: RelayRules.noAttemptYet) == "no node could serve the request: no node answered")
        #expect(RelayRules.describe(IOError(errnoCode: ECONNREFUSED, reason: "connect")) == "connection refused")
    }

    @Test func durationsInMessagesAreWrittenToTheMillisecond() {
        #expect(RelayRules.text(.seconds(0.3)) == "0.3s")
        #expect(RelayRules.text(.seconds(30)) == "30.0s")
        #expect(RelayRules.text(.milliseconds(1500)) == "1.5s")
    }

    @Test func hopByHopHeadersAndTheGatewaysOwnStayBehind() {
        let node: HTTPHeaders = [
            "Content-Type": "application/x-ndjson", "Connection": "keep-alive", "Transfer-Encoding": "chunked",
            "Date": "Thu, 03 Dec 2026 10:00:00 GMT", "Server": "ollama", "X-Custom": "1", "Content-Length": "12",
        ]
        let relayed = RelayRules.relayedHeaders(node)
        #expect(relayed.map(\.name) == ["Content-Type", "X-Custom"])
        #expect(RelayRules.responseFields(node).map(\.name.rawName) == ["Content-Type", "X-Custom"])
        #expect(RelayRules.isHopByHop("CONNECTION"))
        #expect(!RelayRules.isHopByHop("X-Request-ID"))
    }

    @Test func inferenceRoutesAreTheDataPlanesButShowAndPush() {
        #expect(RelayRules.inferencePaths == DataPlane.paths.subtracting(["/api/show", "/api/push"]))
    }
}
