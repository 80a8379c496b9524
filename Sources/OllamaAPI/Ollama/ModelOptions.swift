/// A request's `options`, typed as Ollama types them (`api.Options` and `api.Runner` in Ollama's
/// api/types.go, read by `Options.FromMap`).
///
/// Ollama decodes `options` into a `map[string]any` first, so every JSON number arrives as a Go
/// `float64`: an integer option accepts `1.0` and also `1.9`, which it truncates to `1`; a float
/// option accepts `1`. A `null` value leaves the option unset. A key Ollama does not know is
/// logged as `invalid option provided` and ignored (``ignoredKeys``). A value of the wrong type
/// is refused with Ollama's text (``ModelOptionError``), which its handlers answer with a 500.
public struct ModelOptions: Sendable, Hashable {
    /// The options given, by their JSON key, with the type Ollama reads them as.
    public private(set) var values: [String: ModelOptionValue] = [:]
    /// Keys Ollama does not know, sorted; Ollama logs each and carries on.
    public private(set) var ignoredKeys: [String] = []

    /// No options: every one at the model's default.
    public init() {}

    /// Reads `object` as Ollama's `Options.FromMap` does.
    ///
    /// Go walks the map in random order and reports the first bad option it meets; this walks
    /// the keys sorted, so with several bad options the error names the first by name.
    /// - Throws: ``ModelOptionError`` for the first option whose value has the wrong type.
    public init(_ object: JSONObject?) throws(ModelOptionError) {
        for key in (object ?? [:]).keys.sorted() {
            guard let type = Self.types[key] else {
                ignoredKeys.append(key)
                continue
            }
            guard let value = object?[key], value != .null else { continue }
            values[key] = try type.read(value, option: key)
        }
    }

    /// Every option Ollama knows, with its Go type: the `json` tags of `api.Options` and `api.Runner`.
    public static let types: [String: ModelOptionType] = [
        "num_ctx": .integer, "num_batch": .integer, "num_gpu": .integer, "main_gpu": .integer,
        "use_mmap": .boolean, "num_thread": .integer, "draft_num_predict": .integer,
        "num_keep": .integer, "seed": .integer, "num_predict": .integer, "top_k": .integer,
        "top_p": .float, "min_p": .float, "typical_p": .float, "repeat_last_n": .integer,
        "temperature": .float, "repeat_penalty": .float, "presence_penalty": .float,
        "frequency_penalty": .float, "stop": .strings,
    ]

    /// The value of integer option `key`, if given.
    public func integer(_ key: String) -> Int? {
        if case .integer(let value) = values[key] { return value }
        return nil
    }

    /// `num_predict`: the most tokens to generate (negative means no limit).
    public var numPredict: Int? { integer("num_predict") }

    /// `seed`: the sampling seed, so the same seed gives the same answer.
    public var seed: Int? { integer("seed") }

    /// `num_ctx`: the context window in tokens (at most the model's context length).
    public var numCtx: Int? { integer("num_ctx") }

    /// `num_keep`: the prompt tokens kept from its start when a long prompt is truncated.
    public var numKeep: Int? { integer("num_keep") }
}

/// The Go type of an option, which decides what JSON it accepts.
public enum ModelOptionType: String, Sendable, Hashable, CaseIterable {
    /// Go `int` (or `*int`): any JSON number, truncated toward zero.
    case integer
    /// Go `float32`: any JSON number.
    case float
    /// Go `bool` (or `*bool`): `true` or `false`.
    case boolean
    /// Go `[]string`: an array whose items are all strings.
    case strings

    /// `value` as this type, or the error Ollama gives for `option`.
    func read(_ value: JSONValue, option: String) throws(ModelOptionError) -> ModelOptionValue {
        switch (self, value) {
        case (.integer, .int(let number)): return .integer(Int(number))
        case (.integer, .double(let number)): return .integer(Self.goInt(number))
        case (.float, .int(let number)): return .float(Float(number))
        case (.float, .double(let number)): return .float(Float(number))
        case (.boolean, .bool(let flag)): return .boolean(flag)
        case (.strings, .array(let items)):
            var strings: [String] = []
            for item in items {
                guard case .string(let text) = item else { throw ModelOptionError(option: option, problem: .arrayItemNotString) }
                strings.append(text)
            }
            return .strings(strings)
        default: throw ModelOptionError(option: option, problem: .wrongType(self))
        }
    }

    /// Go's `int64(f)`: the fraction dropped; out of range gives the minimum, as on amd64.
    private static func goInt(_ number: Double) -> Int {
        let whole = number.rounded(.towardZero)
        return Int(exactly: whole) ?? Int.min
    }
}

/// An option's value, in the type Ollama reads it as.
public enum ModelOptionValue: Sendable, Hashable {
    /// A Go `int` option's value.
    case integer(Int)
    /// A Go `float32` option's value.
    case float(Float)
    /// A Go `bool` option's value.
    case boolean(Bool)
    /// A Go `[]string` option's value (`stop`).
    case strings([String])
}

/// An option whose value has the wrong type; ``description`` is Ollama's exact text.
public struct ModelOptionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The option's JSON key (`num_predict`).
    public var option: String
    /// What is wrong with its value.
    public var problem: Problem

    /// What is wrong with an option's value.
    public enum Problem: Sendable, Hashable {
        /// The value is not of the option's type.
        case wrongType(ModelOptionType)
        /// A string-array option holds an item that is not a string.
        case arrayItemNotString
    }

    /// The error for `option`'s value.
    public init(option: String, problem: Problem) {
        self.option = option
        self.problem = problem
    }

    /// Ollama's message, word for word (`option "num_predict" must be of type integer`).
    public var description: String {
        let quoted = "\"\(option)\""
        switch problem {
        case .wrongType(.integer): return "option \(quoted) must be of type integer"
        case .wrongType(.float): return "option \(quoted) must be of type float32"
        case .wrongType(.boolean): return "option \(quoted) must be of type boolean"
        case .wrongType(.strings): return "option \(quoted) must be of type array"
        case .arrayItemNotString: return "option \(quoted) must be of an array of strings"
        }
    }
}
