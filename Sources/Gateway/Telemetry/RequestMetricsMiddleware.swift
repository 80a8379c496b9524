import HTTPTypes
import Hummingbird
import NIOCore
import OllamaAPI
import Synchronization
import Telemetry

/// Records every request: count by method, route template and status; duration to the last
/// byte of the answer; body bytes both ways; requests in flight.
///
/// The route label is the router's template (`/api/blobs/{digest}`), never the raw path, so the
/// number of series stays bounded; requests no route matches are `unmatched`.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: GatewayMetrics

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let started = ContinuousClock.now
        let method = request.method.rawValue
        metrics.httpInFlight.add(1)
        metrics.activeTasks.add(1)
        let received = ByteTally()
        var request = request
        let declaredLength = request.headers[.contentLength].flatMap(Int.init)
        if declaredLength == nil {
            // No Content-Length (a chunked upload): count the body as the handler reads it.
            let body = request.body
            request.body = RequestBody(asyncSequence: CountingSequence(base: body, tally: received))
        }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            finish(
                method: method,
                route: Self.route(context),
                status: status,
                started: started,
                sent: 0,
                received: declaredLength ?? received.value
            )
            throw error
        }
        let recording = RequestRecording(
            metrics: metrics,
            method: method,
            route: Self.route(context),
            status: response.status.code,
            started: started,
            received: { declaredLength ?? received.value }
        )
        let body = response.body
        var counted = response
        counted.body = ResponseBody(contentLength: body.contentLength) { writer in
            let inner = body
            defer { recording.finish() }
            try await inner.write(CountingWriter(base: writer, tally: recording.sent))
        }
        return counted
    }

    private func finish(method: String, route: String, status: Int, started: ContinuousClock.Instant, sent: Int, received: Int) {
        RequestRecording.record(
            metrics,
            method: method,
            route: route,
            status: status,
            started: started,
            sent: sent,
            received: received
        )
    }

    static func route(_ context: Context) -> String {
        guard let path = context.endpointPath else { return "unmatched" }
        // Hummingbird writes parameters as `{name}` and a catch-all as `**`.
        return path
    }
}

/// One request's numbers, recorded exactly once: when its answer is written, or when the answer
/// is dropped unwritten (the closure holding this goes away).
final class RequestRecording: Sendable {
    let metrics: GatewayMetrics
    let method: String
    let route: String
    let status: Int
    let started: ContinuousClock.Instant
    let received: @Sendable () -> Int
    let sent = ByteTally()
    private let done = Atomic<Bool>(false)

    init(
        metrics: GatewayMetrics,
        method: String,
        route: String,
        status: Int,
        started: ContinuousClock.Instant,
        received: @escaping @Sendable () -> Int
    ) {
        self.metrics = metrics
        self.method = method
        self.route = route
        self.status = status
        self.started = started
        self.received = received
    }

    func finish() {
        guard !done.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Self.record(
            metrics,
            method: method,
            route: route,
            status: status,
            started: started,
            sent: sent.value,
            received: received()
        )
    }

    deinit {
        finish()
    }

    static func record(
        _ metrics: GatewayMetrics,
        method: String,
        route: String,
        status: Int,
        started: ContinuousClock.Instant,
        sent: Int,
        received: Int
    ) {
        metrics.httpRequests.increment(method, route, String(status))
        metrics.httpDuration.observe((ContinuousClock.now - started).inSeconds, method, route)
        metrics.requestSize.increment(by: Int64(received), method, route)
        metrics.responseSize.increment(by: Int64(sent), method, route)
        metrics.networkReceive.increment(by: Int64(received), "client")
        metrics.networkTransmit.increment(by: Int64(sent), "client")
        metrics.httpInFlight.add(-1)
        metrics.activeTasks.add(-1)
    }
}

/// A byte count shared between a body writer and the code that records it.
final class ByteTally: Sendable {
    private let count = Atomic<Int>(0)

    func add(_ bytes: Int) {
        count.add(bytes, ordering: .relaxed)
    }

    var value: Int { count.load(ordering: .relaxed) }
}

/// Passes an answer's buffers through, counting their bytes.
struct CountingWriter: ResponseBodyWriter {
    var base: any ResponseBodyWriter
    let tally: ByteTally

    mutating func write(_ buffer: ByteBuffer) async throws {
        tally.add(buffer.readableBytes)
        try await base.write(buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await base.finish(trailingHeaders)
    }
}

/// A request body that counts its bytes as they are read.
struct CountingSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let tally: ByteTally

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let tally: ByteTally

        mutating func next() async throws -> ByteBuffer? {
            let buffer = try await base.next()
            if let buffer { tally.add(buffer.readableBytes) }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), tally: tally)
    }
}
