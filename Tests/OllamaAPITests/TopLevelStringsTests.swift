import Foundation
import OllamaAPI
import Testing

struct TopLevelStringsTests {
    static let keys: Set<String> = ["model", "name"]

    @Test(arguments: [
        (#"{"model":"llama3.2","prompt":"hi"}"#, ["model": "llama3.2"]),
        (#"  {"prompt":{"model":"nested"},"model":"top"}"#, ["model": "top"]),
        (#"{"messages":[{"role":"user","content":"a \"model\": \"x\""}],"model":"m:1b"}"#, ["model": "m:1b"]),
        (#"{"model":"a","model":"b"}"#, ["model": "b"]),
        (#"{"model":5,"name":"n"}"#, ["name": "n"]),
        (#"{"model":"caf\u00e9 \ud83e\udd99 \n\"q\"\\"}"#, ["model": "café 🦙 \n\"q\"\\"]),
        (#"{"model":"lone \ud800 x"}"#, ["model": "lone \u{FFFD} x"]),
        (#"{ "options" : { "temperature" : 0.5 , "stop" : [ "}" , "]" ] } , "name" : "n" }"#, ["name": "n"]),
        (#"{}"#, [:]),
        (#"{"stream":false,"keep_alive":-1,"format":null}"#, [:]),
    ])
    func findsTopLevelStrings(json: String, expected: [String: String]) {
        #expect(TopLevelStrings.scan(Array(json.utf8), keys: Self.keys) == expected)
    }

    @Test(arguments: ["", "[]", #""model""#, "{", #"{"model""#, #"{"model":"x""#, #"{"model":}"#, #"{"a":1,}"#, #"{"a" 1}"#, "{]"])
    func rejectsWhatIsNotAnObject(json: String) {
        #expect(TopLevelStrings.scan(Array(json.utf8), keys: Self.keys) == nil)
    }

    /// The scanner agrees with Foundation's decoder on seeded random objects with nested values.
    @Test(arguments: 0..<20)
    func agreesWithJSONDecoder(seed: Int) throws {
        var random = SeededRandom(state: UInt64(seed) &+ 0x9E37_79B9_7F4A_7C15)
        var object: JSONObject = [:]
        for index in 0..<random.below(6) {
            object["k\(index)"] = Self.value(depth: 0, random: &random)
        }
        if random.below(4) > 0 { object["model"] = .string(Self.text(random: &random)) }
        if random.below(2) > 0 { object["name"] = Self.value(depth: 1, random: &random) }
        let data = try JSONEncoder().encode(JSONValue.object(object))
        var expected: [String: String] = [:]
        for key in Self.keys { if case .string(let text)? = object[key] { expected[key] = text } }
        #expect(TopLevelStrings.scan(data, keys: Self.keys) == expected, "\(String(decoding: data, as: UTF8.self))")
    }

    static func value(depth: Int, random: inout SeededRandom) -> JSONValue {
        switch random.below(depth > 2 ? 4 : 6) {
        case 0: .string(text(random: &random))
        case 1: random.below(2) == 0 ? .int(Int64(random.below(2000)) - 100) : .double(Double(random.below(2000)) / 8 - 100)
        case 2: .bool(random.below(2) == 0)
        case 3: .null
        case 4: .array((0..<random.below(4)).map { _ in value(depth: depth + 1, random: &random) })
        default:
            .object(
                Dictionary(
                    uniqueKeysWithValues: (0..<random.below(4)).map { ("model\($0)", value(depth: depth + 1, random: &random)) }
                )
            )
        }
    }

    static func text(random: inout SeededRandom) -> String {
        let pieces = ["a", "Z", " ", "\"", "\\", "/", "\n", "\t", "é", "🦙", "}", "]", ",", ":", "\u{01}", "model"]
        return (0..<random.below(8)).map { _ in pieces[random.below(pieces.count)] }.joined()
    }
}

/// SplitMix64: a small deterministic generator for property tests.
struct SeededRandom {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
