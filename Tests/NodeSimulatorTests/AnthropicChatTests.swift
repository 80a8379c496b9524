import Foundation
import OllamaAPI
import Testing

@testable import NodeSimulator

/// A `/v1/messages` request as the chat Ollama's `FromMessagesRequest` makes of it, on the
/// bodies of Ollama's middleware tests.
struct AnthropicChatTests {
    static func chat(_ json: String) throws -> AnthropicChat {
        try AnthropicChat(OllamaJSON.decode(AnthropicMessagesRequest.self, from: Data(json.utf8)))
    }

    static func refusal(_ json: String) throws -> String? {
        do {
            _ = try chat(json)
            return nil
        } catch let refusal as AnthropicChat.Refusal {
            return refusal.message
        }
    }

    @Test func optionsAreOllamasNamesForTheAnthropicFields() throws {
        let chat = try Self.chat(
            #"""
            {"model":"m","max_tokens":2048,"temperature":0.7,"top_p":0.9,"top_k":40,"stop_sequences":["\n","END"],
             "tool_choice":{"type":"any"},"metadata":{"user_id":"u"},"messages":[{"role":"user","content":"Hello"}]}
            """#
        )
        #expect(
            chat.options == ["num_predict": 2048, "temperature": 0.7, "top_p": 0.9, "top_k": 40, "stop": .array(["\n", "END"])]
        )
        #expect(chat.messages.map(\.role) == ["user"])
        #expect(chat.messages.map(\.content) == ["Hello"])
        #expect(chat.think == nil)
    }

    @Test func systemBlocksJoinIntoOneSystemMessageFirst() throws {
        let chat = try Self.chat(
            #"{"model":"m","max_tokens":5,"system":[{"type":"text","text":"You are "},{"type":"text","text":"helpful."}],"messages":[{"role":"user","content":"Hi"}]}"#
        )
        #expect(chat.messages.map(\.role) == ["system", "user"])
        #expect(chat.messages.map(\.content) == ["You are helpful.", "Hi"])
        let empty = try Self.chat(#"{"model":"m","max_tokens":5,"system":"","messages":[{"role":"user","content":"Hi"}]}"#)
        #expect(empty.messages.map(\.role) == ["user"])
    }

    @Test func aToolResultBecomesAToolMessageAfterTheAssistantsCall() throws {
        let chat = try Self.chat(
            #"""
            {"model":"m","max_tokens":1024,"messages":[
              {"role":"user","content":"What's the weather?"},
              {"role":"assistant","content":[{"type":"tool_use","id":"call_123","name":"get_weather","input":{"location":"Paris"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_123","content":"Sunny, 22°C"},{"type":"text","text":"Thanks"}]}]}
            """#
        )
        // A user's tool results come before its own text, as Ollama orders them.
        #expect(chat.messages.map(\.role) == ["user", "assistant", "tool", "user"])
        #expect(chat.messages.map(\.content) == ["What's the weather?", "", "Sunny, 22°C", "Thanks"])
        let blocks = try Self.chat(
            #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"c","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]}]}"#
        )
        #expect(blocks.messages.map(\.role) == ["tool"])
        #expect(blocks.messages.map(\.content) == ["ab"])
    }

    @Test func toolsBecomeFunctionsWithTheirSchema() throws {
        let chat = try Self.chat(
            #"""
            {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],
             "tools":[{"name":"get_weather","description":"Get current weather","input_schema":{"type":"object","properties":{"location":{"type":"string"}}}},
                      {"type":"web_search_20250305","name":"web_search"},{"name":"web_search","input_schema":{"type":"object"}}]}
            """#
        )
        #expect(chat.tools.map(\.function.name) == ["get_weather", "web_search"])
        #expect(chat.tools[0].function.description == "Get current weather")
        #expect(chat.tools[0].function.parameters == ["type": "object", "properties": ["location": ["type": "string"]]])
        // The built-in web search replaces a client tool of the same name.
        #expect(chat.tools[1].function.parameters?.objectValue?["required"] == ["query"])
    }

    @Test func thinkingAndEffortSetThink() throws {
        let base = #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}]"#
        #expect(try Self.chat(base + #","thinking":{"type":"enabled","budget_tokens":1000}}"#).think == .enabled(true))
        #expect(try Self.chat(base + #","thinking":{"type":"disabled"}}"#).think == .enabled(false))
        #expect(try Self.chat(base + #","output_config":{"effort":" XHigh "}}"#).think == .level("high"))
        #expect(try Self.chat(base + #","output_config":{"effort":"extreme"}}"#).think == nil)
        #expect(try Self.chat(base + #","thinking":{"type":"disabled"},"output_config":{"effort":"low"}}"#).think == .enabled(false))
    }

    @Test func ollamasChecksComeInItsOrder() throws {
        #expect(try Self.refusal(#"{"model":"","max_tokens":0,"messages":[]}"#) == "model is required")
        #expect(try Self.refusal(#"{"model":"m","max_tokens":0,"messages":[]}"#) == "max_tokens is required and must be positive")
        #expect(try Self.refusal(#"{"model":"m","max_tokens":1,"messages":[]}"#) == "messages is required")
        #expect(
            try Self.refusal(
                #"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","data":"YQ="}}]}]}"#
            )
                == "invalid base64 image data: illegal base64 data at input byte 3"
        )
        #expect(try Self.refusal(#"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"mystery"}]}]}"#) == nil)
    }

    /// Go's `base64.StdEncoding.DecodeString` error offsets (`CorruptInputError`).
    @Test(
        arguments: [
            ("", nil), ("YWJj", nil), ("YQ==", nil), ("YWI=", nil), ("YW\nJj", nil), ("abc", 0), ("YWJjZ", 4), ("ab!d", 2),
            ("YQ=", 3), ("Y===", 1), ("YQ==YQ==", 4), ("YQ=x", 2), ("YWI=x", 4),
        ] as [(String, Int?)]
    )
    func base64ErrorsAtGosOffsets(text: String, offset: Int?) {
        #expect(AnthropicChat.base64Error(text) == offset)
    }
}
