import Foundation
import OllamaAPI
import Testing

struct ValueTests {
    @Test(arguments: [
        ("5m", 300.0), ("10s", 10), ("1h30m", 5400), ("300ms", 0.3), ("1.5h", 5400), ("-1", -1), ("-1m", -60),
        ("0", 0), ("42", 42), ("2h45m30s", 9930), ("1us", 1e-6),
    ])
    func goDurationsParse(text: String, seconds: Double) {
        let parsed = GoDuration.parse(text)
        #expect(parsed.map { abs($0 - seconds) < 1e-12 } == true, "\(text) parsed as \(String(describing: parsed))")
    }

    @Test(arguments: ["", "5x", "m", "5m3", "1..5s", "five minutes"])
    func badDurationsAreRejected(text: String) {
        #expect(GoDuration.parse(text) == nil)
    }

    @Test func timesLookLikeGo() {
        #expect(OllamaTime.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(OllamaTime.format(Date(timeIntervalSince1970: 1_700_000_000.5)) == "2023-11-14T22:13:20.5Z")
        let precise = OllamaTime.format(Date(timeIntervalSince1970: 1_700_000_000.123456))
        #expect(precise.hasPrefix("2023-11-14T22:13:20.123456"))
        #expect(precise.hasSuffix("Z"))
    }

    @Test func keepAliveKeepsItsShape() throws {
        let number = try OllamaJSON.decode(EmbeddingsRequest.self, from: Data(#"{"model":"m","keep_alive":0}"#.utf8))
        #expect(number.keepAlive == .seconds(0))
        #expect(String(decoding: try OllamaJSON.encode(number), as: UTF8.self).contains(#""keep_alive":0"#))
        let text = try OllamaJSON.decode(EmbeddingsRequest.self, from: Data(#"{"model":"m","keep_alive":"1h"}"#.utf8))
        #expect(text.keepAlive?.seconds == 3600)
        #expect(KeepAlive.duration("soon").seconds == nil)
    }

    @Test func embedInputTreatsAnEmptyStringAsNoInput() {
        #expect(EmbedInput.single("").texts == [])
        #expect(EmbedInput.single("a").texts == ["a"])
        #expect(EmbedInput.batch(["a", "b"]).texts == ["a", "b"])
    }

    @Test func integersStayIntegers() throws {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(#"{"seed":42,"t":0.5,"big":9007199254740993}"#.utf8))
        #expect(value.objectValue?["seed"] == .int(42))
        #expect(value.objectValue?["t"] == .double(0.5))
        #expect(value.objectValue?["big"] == .int(9_007_199_254_740_993))
    }
}
