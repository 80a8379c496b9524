import NIOCore
import NIOHTTP1
import OllamaAPI

/// What a ``LoadDriver`` sends: closed-loop clients or planned send times.
enum DrivePlan: Sendable {
    /// `clients` clients, each sending its next request over its own connection when the last
    /// ended, until `deadline` or `limit` requests. `fixedPrompt` sends prompt 0 every time (warm-up).
    case closed(clients: Int, deadline: ContinuousClock.Instant?, limit: Int?, fixedPrompt: Bool)
    /// Request `indices[i]` at `offsets[i]` (seconds from the run start, ascending), at most
    /// `maxInFlight` at once.
    case open(indices: [Int], offsets: [Double], maxInFlight: Int)

    /// This plan shared among `loops` event loops: at most `loops` parts, none of them empty
    /// unless the plan is (then one empty part); clients and in-flight slots as evenly as they
    /// go, planned sends in turn.
    func split(into loops: Int) -> [DrivePlan] {
        switch self {
        case .closed(let clients, let deadline, let limit, let fixedPrompt):
            let parts = max(1, min(loops, clients))
            return (0..<parts).map { part in
                .closed(clients: Self.share(clients, part, of: parts), deadline: deadline, limit: limit, fixedPrompt: fixedPrompt)
            }
        case .open(let indices, let offsets, let maxInFlight):
            let parts = max(1, min(loops, maxInFlight, offsets.count))
            return (0..<parts).map { part in
                let mine = Array(stride(from: part, to: offsets.count, by: parts))
                return .open(
                    indices: mine.map { indices[$0] },
                    offsets: mine.map { offsets[$0] },
                    maxInFlight: Self.share(maxInFlight, part, of: parts)
                )
            }
        }
    }

    /// Part `part` of `total` shared among `parts`: the first `total % parts` parts get one more.
    private static func share(_ total: Int, _ part: Int, of parts: Int) -> Int {
        total / parts + (part < total % parts ? 1 : 0)
    }
}

/// Sends part of a run's requests from one NIO event loop and times them there; a run has one
/// driver per event loop of its group (``DrivePlan/split(into:)``).
///
/// Everything happens on `loop`: the pacing timer, the choice of connection, the write, the
/// timing of each chunk and the bookkeeping of a finished request. A request costs no Swift task
/// and no thread hop, so the generator takes little of the CPU it shares with the server it
/// measures (with a task and a `Task.sleep` per request it took about 200 µs per request, as
/// much as the server). The run's `stop` is polled every 100 ms.
final class LoadDriver {
    private let runner: LoadRunner
    private let loop: any EventLoop
    private let sink: ResultSink
    private let runStart: ContinuousClock.Instant
    private let plan: DrivePlan
    private let stop: @Sendable () -> Bool
    private let done: EventLoopPromise<Void>
    /// Open loop: connections free for the next send.
    private var idle: [LoadConnection] = []
    /// Connections carrying a request, to cancel them.
    private var busy: [ObjectIdentifier: LoadConnection] = [:]
    private var inFlight = 0
    /// Open loop: the position of the next planned send.
    private var issued = 0
    private var stopped = false
    private var cancelled = false
    private var ended = false
    private var templates: [Int?: BodyTemplate?] = [:]
    private var pacer: Scheduled<Void>?
    private var stopPoll: Scheduled<Void>?

    init(
        runner: LoadRunner,
        loop: any EventLoop,
        sink: ResultSink,
        runStart: ContinuousClock.Instant,
        plan: DrivePlan,
        stop: @escaping @Sendable () -> Bool
    ) {
        self.runner = runner
        self.loop = loop
        self.sink = sink
        self.runStart = runStart
        self.plan = plan
        self.stop = stop
        done = loop.makePromise(of: Void.self)
    }

    /// Runs the plan on every event loop of the runner's group and returns when every request
    /// has finished; cancelling the task ends the requests in flight as `cancelled`.
    static func drive(
        _ plan: DrivePlan,
        runner: LoadRunner,
        sink: ResultSink,
        runStart: ContinuousClock.Instant,
        stop: @escaping @Sendable () -> Bool
    ) async {
        let loops = Array(runner.group.makeIterator())
        await withTaskGroup(of: Void.self) { group in
            for (loop, part) in zip(loops, plan.split(into: loops.count)) {
                group.addTask { await drive(part, on: loop, runner: runner, sink: sink, runStart: runStart, stop: stop) }
            }
        }
    }

    private static func drive(
        _ plan: DrivePlan,
        on loop: any EventLoop,
        runner: LoadRunner,
        sink: ResultSink,
        runStart: ContinuousClock.Instant,
        stop: @escaping @Sendable () -> Bool
    ) async {
        let driver = try? await loop.submit {
            let driver = LoadDriver(runner: runner, loop: loop, sink: sink, runStart: runStart, plan: plan, stop: stop)
            driver.start()
            return NIOLoopBound(driver, eventLoop: loop)
        }.get()
        guard let driver else { return }
        await withTaskCancellationHandler {
            try? await loop.flatSubmit { driver.value.done.futureResult }.get()
        } onCancel: {
            loop.execute { driver.value.cancel() }
        }
    }

    private func start() {
        pollStop()
        switch plan {
        case .closed(let clients, _, _, _):
            for _ in 0..<clients { nextClosed(over: nil, first: true) }
            finishIfDone()
        case .open:
            pace()
        }
    }

    /// Checks the run's `stop` every 100 ms until the run ends.
    private func pollStop() {
        stopPoll = loop.assumeIsolated().scheduleTask(in: .milliseconds(100)) { [weak self] in
            guard let self, !self.ended else { return }
            if !self.stopped, self.stop() { self.halt() }
            self.pollStop()
        }
    }

    // MARK: - Plans

    /// Closed loop: the next request of a client whose connection is `connection`, if the run goes on.
    /// A client's `first` request goes out even past the deadline (a loaded machine that started
    /// the driver late), so a run with a duration measures at least one request per client.
    private func nextClosed(over connection: LoadConnection?, first: Bool = false) {
        guard case .closed(_, let deadline, let limit, let fixedPrompt) = plan else { return }
        if !stopped, stop() { halt() }
        let now = ContinuousClock.now
        let late = !first && deadline.map({ now >= $0 }) == true
        let index = stopped || late ? nil : sink.nextIndex()
        guard let index, limit.map({ index < $0 }) ?? true else {
            connection?.close()
            return
        }
        send(index: fixedPrompt ? 0 : index, intended: now, over: connection)
    }

    /// Open loop: sends every request that is due, then waits for the next one's time (or, at the
    /// in-flight cap, for a request to finish).
    private func pace() {
        guard case .open(let indices, let offsets, let maxInFlight) = plan else { return }
        pacer = nil
        if !stopped, stop() { halt() }
        let now = ContinuousClock.now
        while !stopped, issued < offsets.count, inFlight < maxInFlight {
            let intended = runStart + .seconds(offsets[issued])
            guard intended <= now else {
                pacer = loop.assumeIsolated().scheduleTask(in: (intended - now).timeAmount) { [weak self] in
                    self?.pace()
                }
                return
            }
            let index = indices[issued]
            issued += 1
            send(index: index, intended: intended, over: idle.popLast())
        }
        finishIfDone()
    }

    // MARK: - Requests

    /// Sends request `index`, planned for `intended`, over `connection` or a new one. A reused
    /// connection the server closed just as the request went out gets the request once more, on
    /// a new connection, as HTTP clients do.
    private func send(index: Int, intended: ContinuousClock.Instant, over connection: LoadConnection?) {
        let (text, maxTokens) = runner.prompt(index)
        let body = template(maxTokens)?.body(prompt: text) ?? ByteBuffer(bytes: runner.target.body(prompt: text, maxTokens: maxTokens))
        let recorder = ResponseRecorder(
            target: runner.target,
            intendedStart: (intended - runStart).inSeconds,
            actualStart: (ContinuousClock.now - runStart).inSeconds
        )
        inFlight += 1
        attempt(0, body: body, recorder: recorder, intended: intended, over: connection)
    }

    private func attempt(
        _ attempt: Int,
        body: ByteBuffer,
        recorder: ResponseRecorder,
        intended: ContinuousClock.Instant,
        over connection: LoadConnection?
    ) {
        if let connection, connection.isActive {
            dispatch(attempt, body: body, recorder: recorder, intended: intended, over: connection)
            return
        }
        connection?.close()
        LoadConnection.connect(to: runner.address, on: loop, tls: runner.tls, timeout: timeout) { [self] outcome in
            switch outcome {
            case .success(let connection) where !cancelled:
                dispatch(attempt, body: body, recorder: recorder, intended: intended, over: connection)
            case .success(let connection):
                connection.close()
                finished(recorder.finish(at: Self.elapsed(since: intended), error: .cancelled), connection: nil)
            case .failure:
                finished(recorder.finish(at: Self.elapsed(since: intended), error: cancelled ? .cancelled : .connect), connection: nil)
            }
        }
    }

    private func dispatch(
        _ attempt: Int,
        body: ByteBuffer,
        recorder: ResponseRecorder,
        intended: ContinuousClock.Instant,
        over connection: LoadConnection
    ) {
        let wasReused = connection.reused
        let id = ObjectIdentifier(connection)
        busy[id] = connection
        let promise = loop.makePromise(of: RequestResult.self)
        connection.start(
            LoadRequest(head: runner.head, body: body, recorder: recorder, intended: intended, timeout: timeout, promise: promise)
        )
        promise.futureResult.assumeIsolated().whenSuccess { [self] result in
            busy[id] = nil
            if result.error == .connect, wasReused, attempt == 0, !cancelled {
                connection.close()
                self.attempt(1, body: body, recorder: recorder, intended: intended, over: nil)
                return
            }
            finished(result, connection: connection.isActive ? connection : nil)
        }
    }

    /// Records a finished request and moves the plan on; `connection` is still usable when given.
    private func finished(_ result: RequestResult, connection: LoadConnection?) {
        inFlight -= 1
        sink.append(result)
        switch plan {
        case .closed:
            nextClosed(over: connection)
            finishIfDone()
        case .open:
            if let connection { idle.append(connection) }
            if pacer == nil { pace() } else { finishIfDone() }
        }
    }

    // MARK: - Ending

    /// No further sends: a stop, or the task's cancellation.
    private func halt() {
        stopped = true
        pacer?.cancel()
        pacer = nil
        finishIfDone()
    }

    private func cancel() {
        cancelled = true
        halt()
        for connection in busy.values { connection.cancel() }
    }

    private func finishIfDone() {
        let sending: Bool
        switch plan {
        case .closed: sending = false
        case .open(_, let offsets, _): sending = !stopped && issued < offsets.count
        }
        guard !ended, !sending, inFlight == 0 else { return }
        ended = true
        stopPoll?.cancel()
        stopPoll = nil
        for connection in idle { connection.close() }
        idle.removeAll()
        done.succeed()
    }

    /// The body template for `maxTokens`, made on first use (prompt files may give each prompt its own cap).
    private func template(_ maxTokens: Int?) -> BodyTemplate? {
        if let known = templates[maxTokens] { return known }
        let made = BodyTemplate(target: runner.target, maxTokens: maxTokens)
        templates[maxTokens] = .some(made)
        return made
    }

    private var timeout: TimeAmount { runner.target.timeout.timeAmount }

    private static func elapsed(since start: ContinuousClock.Instant) -> Double {
        (ContinuousClock.now - start).inSeconds
    }
}
