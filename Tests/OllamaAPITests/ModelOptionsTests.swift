import OllamaAPI
import Testing

/// `options` read as Ollama's `Options.FromMap` reads them: the same types, the same refusals.
struct ModelOptionsTests {
    /// Every option Ollama knows (api.Options and api.Runner in its api/types.go) and its Go type.
    static let table: [(String, ModelOptionType)] = [
        ("num_ctx", .integer), ("num_batch", .integer), ("num_gpu", .integer), ("main_gpu", .integer),
        ("use_mmap", .boolean), ("num_thread", .integer), ("draft_num_predict", .integer), ("num_keep", .integer),
        ("seed", .integer), ("num_predict", .integer), ("top_k", .integer), ("top_p", .float), ("min_p", .float),
        ("typical_p", .float), ("repeat_last_n", .integer), ("temperature", .float), ("repeat_penalty", .float),
        ("presence_penalty", .float), ("frequency_penalty", .float), ("stop", .strings),
    ]

    @Test func everyOllamaOptionHasItsGoType() {
        #expect(ModelOptions.types.count == Self.table.count)
        for (key, type) in Self.table {
            #expect(ModelOptions.types[key] == type, "\(key)")
        }
    }

    @Test(arguments: table)
    func aStringForAnyNonStringOptionIsRefusedWithOllamasText(key: String, type: ModelOptionType) {
        let expected: String
        switch type {
        case .integer: expected = "option \"\(key)\" must be of type integer"
        case .float: expected = "option \"\(key)\" must be of type float32"
        case .boolean: expected = "option \"\(key)\" must be of type boolean"
        case .strings: expected = "option \"\(key)\" must be of type array"
        }
        #expect(throws: ModelOptionError(option: key, problem: .wrongType(type))) { try ModelOptions([key: "many"]) }
        #expect(ModelOptionError(option: key, problem: .wrongType(type)).description == expected)
    }

    @Test func integerOptionsTakeAnyNumberAndDropTheFraction() throws {
        let options = try ModelOptions(["num_predict": 7, "seed": .double(42.0), "top_k": .double(1.9), "num_keep": .double(-2.7)])
        #expect(options.numPredict == 7)
        #expect(options.seed == 42)
        #expect(options.integer("top_k") == 1)
        #expect(options.integer("num_keep") == -2)
        #expect(throws: ModelOptionError(option: "num_predict", problem: .wrongType(.integer))) {
            try ModelOptions(["num_predict": true])
        }
        #expect(throws: ModelOptionError(option: "main_gpu", problem: .wrongType(.integer))) {
            try ModelOptions(["main_gpu": ["0"]])
        }
    }

    @Test func floatOptionsTakeIntegersAndRefuseBooleans() throws {
        let options = try ModelOptions(["temperature": 1, "top_p": .double(0.5)])
        #expect(options.values["temperature"] == .float(1))
        #expect(options.values["top_p"] == .float(0.5))
        #expect(throws: ModelOptionError(option: "temperature", problem: .wrongType(.float))) {
            try ModelOptions(["temperature": false])
        }
    }

    @Test func booleanOptionsTakeOnlyBooleans() throws {
        #expect(try ModelOptions(["use_mmap": false]).values["use_mmap"] == .boolean(false))
        #expect(throws: ModelOptionError(option: "use_mmap", problem: .wrongType(.boolean))) { try ModelOptions(["use_mmap": 1]) }
    }

    @Test func stopTakesAnArrayOfStringsOnly() throws {
        #expect(try ModelOptions(["stop": ["a", "b"]]).values["stop"] == .strings(["a", "b"]))
        #expect(try ModelOptions(["stop": []]).values["stop"] == .strings([]))
        #expect(throws: ModelOptionError(option: "stop", problem: .wrongType(.strings))) { try ModelOptions(["stop": "\n"]) }
        let mixed = ModelOptionError(option: "stop", problem: .arrayItemNotString)
        #expect(throws: mixed) { try ModelOptions(["stop": ["a", 1]]) }
        #expect(mixed.description == "option \"stop\" must be of an array of strings")
    }

    @Test func nullLeavesAnOptionUnsetAndUnknownKeysAreIgnored() throws {
        let options = try ModelOptions(["num_predict": .null, "mirostat": "x", "Temperature": 2, "seed": 3])
        #expect(options.values == ["seed": .integer(3)])
        #expect(options.ignoredKeys == ["Temperature", "mirostat"])
        #expect(try ModelOptions(nil) == ModelOptions())
    }

    @Test func theFirstBadOptionByNameIsReported() {
        #expect(throws: ModelOptionError(option: "num_ctx", problem: .wrongType(.integer))) {
            try ModelOptions(["top_p": "x", "num_ctx": "y", "stop": 1])
        }
    }
}
