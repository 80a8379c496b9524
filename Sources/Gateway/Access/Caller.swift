/// Who sent a request: the key's name (never the key), its role and its allowed models.
public struct Caller: Sendable, Hashable {
    /// The key's name from the key file, which logs, metrics and errors may show.
    public let name: String
    public let role: Role
    /// The models the key may use, normalised (``ModelKey``); nil for every model.
    public let models: Set<String>?

    /// The caller of the router request being answered; set around each router handler when
    /// keys are configured (``Router/add(_:owner:access:)``).
    @TaskLocal static var current: Caller?

    public init(name: String, role: Role, models: [String]? = nil) {
        self.name = name
        self.role = role
        self.models = models.map { Set($0.map(ModelKey.normalize)) }
    }

    /// Whether the key may use `model` (any spelling Ollama accepts: `llama3.2` is `llama3.2:latest`).
    public func allows(model: String) -> Bool {
        guard let models else { return true }
        return models.contains(ModelKey.normalize(model))
    }

    /// The 403 message for a model outside the key's list.
    func modelRefusal(_ model: String) -> String {
        let list = (models ?? []).sorted().joined(separator: ", ")
        return "API key \"\(name)\" may not use model \"\(model)\"; its models: \(list)"
    }
}
