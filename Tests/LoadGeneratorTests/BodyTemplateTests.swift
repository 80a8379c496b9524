import Foundation
import NIOCore
import Testing

@testable import LoadGenerator

/// Bodies made from a template are the same JSON as bodies encoded whole.
struct BodyTemplateTests {
    static let prompts = [
        "the of and to", "", "say \"hi\" and \\ back", "line\nbreak\ttab\rreturn", "nul \u{0} bell \u{7} esc \u{1B}",
        "ünïcödé 日本語 🦙", "ends with a backslash \\",
    ]

    static func object(_ bytes: some Collection<UInt8>) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }

    @Test(arguments: LoadTarget.API.allCases)
    func everyEndpointAndPromptEncodesAsTheWholeBodyDoes(api: LoadTarget.API) throws {
        for endpoint in LoadTarget.Endpoint.allCases {
            for stream in [true, false] {
                for maxTokens in [nil, 7] as [Int?] {
                    let target = LoadTarget(url: "http://127.0.0.1:1", model: "llama3.2", api: api, endpoint: endpoint, stream: stream)
                    let template = try #require(BodyTemplate(target: target, maxTokens: maxTokens))
                    for prompt in Self.prompts {
                        let made = template.body(prompt: prompt)
                        #expect(
                            try Self.object(made.readableBytesView) == Self.object(target.body(prompt: prompt, maxTokens: maxTokens)),
                            "\(api) \(endpoint) stream \(stream) max \(String(describing: maxTokens)): \(String(buffer: made))"
                        )
                    }
                }
            }
        }
    }

    @Test func aModelNameHoldingTheMarkerFallsBackToWholeEncoding() {
        let target = LoadTarget(url: "http://127.0.0.1:1", model: "ollamamax-load-prompt-4f9c2e", stream: false)
        #expect(BodyTemplate(target: target, maxTokens: 4) == nil)
    }
}
