import NIOCore
import NIOSSL
import Synchronization

/// Idle keep-alive connections to the nodes, for one event loop: a request on that loop reuses
/// one or opens a new one, and gives it back when the answer ended cleanly.
///
/// The interval service sizes each node's idle connections and how long they stay
/// (``ConnectionKnobs``); without it every node keeps up to ``idleLimit``, until the node closes them.
///
/// It also watches the loop's requests in flight for node timeouts: one sweep over them every
/// `sweepInterval` costs less than a timer per request.
final class UpstreamPool {
    /// The most idle connections kept per node on one loop; more are closed when given back.
    static let idleLimit = 256

    let loop: any EventLoop
    private let tls: NIOSSLContext?
    private let connectTimeout: TimeAmount
    private let sweepInterval: TimeAmount
    /// Idle connections by node; a class per node, so taking one out and giving one back
    /// mutate the stack in place instead of going through the dictionary's storage each time.
    private var idle: [String: IdleConnections] = [:]
    private var watched: [ObjectIdentifier: RelayExchange] = [:]
    private var sweep: Scheduled<Void>?
    private let knobs: ConnectionKnobs
    /// The knobs as last copied from ``knobs``, and their generation.
    private var knobsGeneration = 0
    private var nodeKnobs: [String: NodeKnobs] = [:]

    init(loop: any EventLoop, tls: NIOSSLContext?, connectTimeout: TimeAmount, sweepInterval: TimeAmount, knobs: ConnectionKnobs) {
        self.loop = loop
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.sweepInterval = sweepInterval
        self.knobs = knobs
    }

    // MARK: Timeouts

    /// Watches `exchange` until ``unwatch(_:)``: the sweep asks it to check its timeouts.
    func watch(_ exchange: RelayExchange) {
        watched[ObjectIdentifier(exchange)] = exchange
        if sweep == nil {
            sweep = loop.assumeIsolated().scheduleTask(in: sweepInterval) { [weak self] in self?.sweepNow() }
        }
    }

    func unwatch(_ exchange: RelayExchange) {
        watched.removeValue(forKey: ObjectIdentifier(exchange))
    }

    private func sweepNow() {
        sweep = nil
        let now = NIODeadline.now()
        for exchange in Array(watched.values) { exchange.checkTimeout(now: now) }
        if !watched.isEmpty {
            sweep = loop.assumeIsolated().scheduleTask(in: sweepInterval) { [weak self] in self?.sweepNow() }
        }
    }

    // MARK: Connections

    /// An open idle connection to `node`, if there is one.
    func checkout(_ node: String) -> UpstreamConnection? {
        guard let stack = idle[node] else { return nil }
        while let connection = stack.connections.popLast() {
            stack.returned.removeLast()
            if connection.isReusable { return connection }
            connection.channel.close(promise: nil)
        }
        return nil
    }

    /// Takes a connection back after its answer ended; one that cannot carry another request is closed.
    func checkin(_ connection: UpstreamConnection) {
        let stack = idle[connection.node] ?? IdleConnections()
        guard connection.isReusable, stack.connections.count < poolSize(connection.node) else {
            connection.channel.close(promise: nil)
            return
        }
        if stack.connections.isEmpty { idle[connection.node] = stack }
        stack.connections.append(connection)
        stack.returned.append(.now())
    }

    /// The most idle connections kept to `node`, from the knobs if they changed since last read.
    private func poolSize(_ node: String) -> Int {
        if knobs.generation != knobsGeneration { (knobsGeneration, nodeKnobs) = knobs.read() }
        return nodeKnobs[node]?.poolSize ?? Self.idleLimit
    }

    /// Closes the idle connections that have outlived their node's keep-alive, and those over
    /// its pool size (the longest idle first).
    func prune(now: NIODeadline) {
        for (node, stack) in idle {
            let size = poolSize(node)
            let keepAlive = nodeKnobs[node]?.keepAliveSeconds.map { TimeAmount.nanoseconds(Int64($0 * 1e9)) }
            var expired = max(0, stack.connections.count - size)
            if let keepAlive {
                while expired < stack.returned.count, now - stack.returned[expired] > keepAlive { expired += 1 }
            }
            guard expired > 0 else { continue }
            for connection in stack.connections.prefix(expired) { connection.channel.close(promise: nil) }
            stack.connections.removeFirst(expired)
            stack.returned.removeFirst(expired)
        }
    }

    /// Opens a new connection to `node`; `done` runs on this loop.
    func connect(
        _ address: NodeAddress,
        node: String,
        _ done: @escaping (Result<UpstreamConnection, any Error>) -> Void
    ) {
        UpstreamConnection.connect(to: address, node: node, on: loop, tls: tls, timeout: connectTimeout)
            .assumeIsolated()
            .whenComplete { result in
                done(
                    result.flatMap { channel in
                        Result {
                            let handler = try channel.pipeline.syncOperations.handler(type: UpstreamHandler.self)
                            return UpstreamConnection(channel: channel, handler: handler, node: node)
                        }
                    }
                )
            }
    }

    /// Closes every idle connection.
    func closeAll() {
        for connection in idle.values.flatMap(\.connections) { connection.channel.close(promise: nil) }
        idle = [:]
        sweep?.cancel()
        sweep = nil
    }
}

/// One node's idle connections on one loop, most recently returned last.
final class IdleConnections {
    var connections: [UpstreamConnection] = []
    /// When each of ``connections`` was given back, in the same order.
    var returned: [NIODeadline] = []
}

/// One ``UpstreamPool`` per event loop, made on first use from that loop.
final class UpstreamPools: Sendable {
    private let pools = Mutex<[ObjectIdentifier: NIOLoopBound<UpstreamPool>]>([:])
    private let tls: NIOSSLContext?
    private let connectTimeout: TimeAmount
    private let sweepInterval: TimeAmount
    /// Each node's pool size and keep-alive, as the interval service sets them.
    let knobs = ConnectionKnobs()

    /// - Parameter sweepInterval: how often requests in flight are checked for node timeouts.
    init(tls: NIOSSLContext?, connectTimeout: TimeAmount, sweepInterval: TimeAmount) {
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.sweepInterval = sweepInterval
    }

    /// The pool of `loop`; call on `loop`.
    func pool(for loop: any EventLoop) -> UpstreamPool {
        pools.withLock { pools in
            if let bound = pools[ObjectIdentifier(loop)] { return bound.value }
            let pool = UpstreamPool(loop: loop, tls: tls, connectTimeout: connectTimeout, sweepInterval: sweepInterval, knobs: knobs)
            pools[ObjectIdentifier(loop)] = NIOLoopBound(pool, eventLoop: loop)
            return pool
        }
    }

    /// Closes, on every loop, the idle connections past their node's keep-alive or pool size.
    func prune() async {
        let bound = pools.withLock { Array($0.values) }
        for pool in bound {
            try? await pool.eventLoop.submit { pool.value.prune(now: .now()) }.get()
        }
    }

    /// Closes every idle connection on every loop.
    func closeAll() async {
        let bound = pools.withLock { Array($0.values) }
        for pool in bound {
            try? await pool.eventLoop.submit { pool.value.closeAll() }.get()
        }
    }
}
