extension SimulatorConfiguration {
    /// Every problem with the values, each naming its key; empty when the configuration is usable.
    public func problems() -> [String] {
        var found: [String] = []
        if !(0...65535).contains(port) { found.append("port: \(port) is not a TCP port (0-65535)") }
        if limits.numParallel < 1 { found.append("num_parallel: must be at least 1, got \(limits.numParallel)") }
        if limits.maxQueue < 0 { found.append("max_queue: must be 0 or more, got \(limits.maxQueue)") }
        if limits.maxLoadedModels < 1 { found.append("max_loaded_models: must be at least 1, got \(limits.maxLoadedModels)") }
        if maxBodyBytes < 1 { found.append("max_body_bytes: must be positive, got \(maxBodyBytes)") }
        if models.isEmpty { found.append("models: a node needs at least one model") }
        for (list, entries) in [("models", models), ("registry", registry)] {
            for (index, model) in entries.enumerated() {
                let at = "\(list)[\(index)] (\(model.name))"
                if model.prefillTokensPerSecond <= 0 { found.append("\(at).prefill_tokens_per_second: must be positive") }
                if model.decodeTokensPerSecond <= 0 { found.append("\(at).decode_tokens_per_second: must be positive") }
                if model.loadTime < .zero { found.append("\(at).load_seconds: must be 0 or more") }
                if model.jitter < 0 || model.jitter > 1 { found.append("\(at).jitter: must be between 0 and 1") }
                if model.minOutputTokens < 0 || model.maxOutputTokens < model.minOutputTokens {
                    found.append("\(at).min_output_tokens/max_output_tokens: need 0 <= min <= max")
                }
                if model.embeddingLength < 1 { found.append("\(at).embedding_length: must be at least 1") }
                if model.contextLength < 1 { found.append("\(at).context_length: must be at least 1") }
                if let problem = model.contention.problem { found.append("\(at).contention: \(problem)") }
            }
        }
        let rates: [(String, Double)] = [
            ("error_rate", faults.errorRate), ("mid_stream_failure_rate", faults.midStreamFailureRate),
            ("latency_spike_rate", faults.latencySpikeRate), ("hang_rate", faults.hangRate),
        ]
        for (key, rate) in rates where !(0...1).contains(rate) {
            found.append("faults.\(key): must be between 0 and 1, got \(rate)")
        }
        if faults.latencySpike < .zero { found.append("faults.latency_spike_seconds: must be 0 or more") }
        for (index, slowdown) in faults.slowdowns.enumerated() {
            if let problem = slowdown.problem { found.append("faults.slowdowns[\(index)].\(problem)") }
        }
        return found
    }

    /// This configuration with the file's values laid over it.
    public func applying(_ file: SimulatorFile) -> SimulatorConfiguration {
        var copy = self
        if let host = file.host { copy.host = host }
        if let port = file.port { copy.port = port }
        if let version = file.version { copy.version = version }
        if let value = file.numParallel { copy.limits.numParallel = value }
        if let value = file.maxQueue { copy.limits.maxQueue = value }
        if let value = file.maxLoadedModels { copy.limits.maxLoadedModels = value }
        if let value = file.maxBodyBytes { copy.maxBodyBytes = value }
        if let value = file.keepAliveDuration { copy.limits.defaultKeepAlive = value }
        if let models = file.models { copy.models = models.map(\.model) }
        if let registry = file.registry { copy.registry = registry.map(\.model) }
        if let faults = file.faults {
            if let value = faults.errorRate { copy.faults.errorRate = value }
            if let value = faults.midStreamFailureRate { copy.faults.midStreamFailureRate = value }
            if let value = faults.midStreamFailureMode { copy.faults.midStreamFailureMode = value }
            if let value = faults.latencySpikeRate { copy.faults.latencySpikeRate = value }
            if let value = faults.latencySpikeSeconds { copy.faults.latencySpike = .seconds(value) }
            if let value = faults.hangRate { copy.faults.hangRate = value }
            if let value = faults.seed { copy.faults.seed = value }
            if let value = faults.slowdowns { copy.faults.slowdowns = value.compactMap(\.slowdown) }
        }
        return copy
    }
}
