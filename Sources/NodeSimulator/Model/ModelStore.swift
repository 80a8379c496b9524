/// The models a simulated node has on disk: what `/api/tags` lists and `/api/pull`, `/api/copy`,
/// `/api/create` and `/api/delete` change.
public actor ModelStore {
    private var models: [SimulatedModel]
    /// Blob digests uploaded with `POST /api/blobs/:digest` (contents are not kept).
    private var blobs: Set<String> = []
    /// Models `/api/pull` can fetch.
    public let registry: [SimulatedModel]

    public init(models: [SimulatedModel], registry: [SimulatedModel]) {
        self.models = models
        self.registry = registry
    }

    /// Every model, most recently modified first (as Ollama sorts `/api/tags`).
    public func all() -> [SimulatedModel] {
        models.sorted { ($0.modifiedAt, $1.name) > ($1.modifiedAt, $0.name) }
    }

    /// The model called `name` (tag defaults to `latest`, case ignored).
    public func find(_ name: String) -> SimulatedModel? {
        models.first { ModelName.matches($0.name, name) }
    }

    /// The registry entry for `name`, for pulling.
    public func findInRegistry(_ name: String) -> SimulatedModel? {
        registry.first { ModelName.matches($0.name, name) } ?? models.first { ModelName.matches($0.name, name) }
    }

    /// Adds `model`, replacing a model of the same name.
    public func add(_ model: SimulatedModel) {
        models.removeAll { ModelName.matches($0.name, model.name) }
        models.append(model)
    }

    public func hasBlob(_ digest: String) -> Bool {
        blobs.contains(digest)
    }

    public func addBlob(_ digest: String) {
        blobs.insert(digest)
    }

    /// Removes `name`; `false` if there was no such model.
    public func remove(_ name: String) -> Bool {
        let before = models.count
        models.removeAll { ModelName.matches($0.name, name) }
        return models.count < before
    }
}
