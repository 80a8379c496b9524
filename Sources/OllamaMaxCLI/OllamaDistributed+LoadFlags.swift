import ArgumentParser
import LoadGenerator

/// What the flags of `load` mean: the checks that need several of them, and the library values they make.
extension OllamaDistributed.Load.Run {
    func validate() throws {
        let modes = [rate != nil, ramp != nil, sweep].filter { $0 }.count + (concurrency != nil && !sweep ? 1 : 0)
        if modes > 1 { throw ValidationError("--concurrency, --rate, --ramp and --sweep exclude each other: pick one load model") }
        if modes == 0 {
            throw ValidationError("say how to load: --concurrency C (closed loop), --rate R (open loop), --ramp FROM:TO or --sweep")
        }
        if sweep {
            if slo == nil { throw ValidationError("--sweep needs --slo: it finds the highest rate that meets it") }
            if duration == nil { throw ValidationError("--sweep needs --duration, shared by its steps") }
            if sweepSteps < 1 { throw ValidationError("--sweep-steps: must be at least 1") }
            if !(sweepGoodput > 0 && sweepGoodput <= 1) { throw ValidationError("--sweep-goodput: must be in (0, 1]") }
        }
        if duration == nil && requests == nil { throw ValidationError("bound the run: give --duration (e.g. 30s) and/or --requests N") }
        if ramp != nil && duration == nil { throw ValidationError("--ramp needs --duration: the rate rises over it") }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency: must be at least 1, got \(concurrency)") }
        if let rate, !(rate > 0 && rate.isFinite) { throw ValidationError("--rate: must be a positive number of requests per second") }
        if let requests, requests < 1 { throw ValidationError("--requests: must be at least 1, got \(requests)") }
        if warmup < 0 { throw ValidationError("--warmup: must be 0 or more") }
        if promptTokens < 1 || outputTokens < 1 { throw ValidationError("--prompt-tokens and --output-tokens must be at least 1") }
        if maxInFlight < 1 { throw ValidationError("--max-in-flight: must be at least 1") }
        for given in url {
            guard given.hasPrefix("http://") || given.hasPrefix("https://") else {
                throw ValidationError("--url: \"\(given)\" is not an http(s) URL; write e.g. http://127.0.0.1:8080")
            }
            do { _ = try LoadAddress(url: given) } catch { throw ValidationError("--url: \(error)") }
        }
        if url.count > 1, sweep {
            throw ValidationError("--sweep takes one --url; a side-by-side run (several --url) takes --concurrency, --rate or --ramp")
        }
        if Set(url.map(LoadTarget.normalized)).count < url.count {
            throw ValidationError("--url: the same server is given twice; a side-by-side run needs different servers")
        }
    }

    /// The endpoint to load: `--endpoint`, else the API's default.
    /// - Throws: ``CLIError`` (exit 2) naming `--api` and `--endpoint` when the API has no such route.
    func chosenEndpoint() throws(CLIError) -> LoadTarget.Endpoint {
        let chosen = endpoint ?? api.defaultEndpoint
        if let problem = LoadTarget.problem(api: api, endpoint: chosen) {
            let others = LoadTarget.API.allCases.filter { $0.endpoints.contains(chosen) }.map(\.rawValue)
            let served = api.endpoints.map(\.rawValue).joined(separator: " or ")
            throw .invalidInput(
                "--api \(api.rawValue) --endpoint \(chosen.rawValue): \(problem); use --endpoint \(served), "
                    + "or --api \(others.joined(separator: " or ")) for \(chosen.rawValue)"
            )
        }
        return chosen
    }

    /// The load model the flags chose (``validate()`` made sure there is exactly one).
    func mode(duration: Duration?) throws(CLIError) -> LoadMode {
        do {
            if let concurrency { return .closed(concurrency: concurrency) }
            if let rate { return .open(try OpenLoopSchedule(rate: rate, arrivals: arrivals, seed: seed)) }
            return .ramp(try RampSchedule(parsing: ramp ?? "", duration: duration ?? .zero, arrivals: arrivals, seed: seed))
        } catch {
            throw .invalidInput("\(rate == nil ? "--ramp" : "--rate"): \(error)")
        }
    }

    static func runner(
        _ target: LoadTarget,
        prompt: @escaping @Sendable (Int) -> (text: String, maxTokens: Int?)
    ) throws(CLIError) -> LoadRunner {
        do {
            return try LoadRunner(target: target, prompt: prompt)
        } catch {
            throw .failure("--url: \(error)", code: 1)
        }
    }

    func promptProvider() throws(CLIError) -> @Sendable (Int) -> (text: String, maxTokens: Int?) {
        let outputTokens = outputTokens
        guard let prompts else {
            let synthetic = SyntheticPrompts(seed: seed, promptTokens: promptTokens, outputTokens: outputTokens)
            return { index in (synthetic.prompt(index), outputTokens) }
        }
        let file: PromptFile
        do {
            file = try PromptFile(path: prompts)
        } catch {
            throw .invalidInput("--prompts: \(error)")
        }
        return { index in
            let entry = file.prompt(index)
            return (entry.text, entry.maxTokens ?? outputTokens)
        }
    }
}

extension LoadTarget.API: ExpressibleByArgument {}
extension LoadTarget.Endpoint: ExpressibleByArgument {}
extension Arrivals: ExpressibleByArgument {}
