import NIOCore

/// How a connection ends when its client may still be sending a body the gateway refused (a
/// 413, a 431, a refusal before an upload ended): as nginx's `lingering_close`.
///
/// Closing a socket with unread bytes in its receive buffer makes the kernel send a reset,
/// which throws away the answer the client has not read yet: a client that sends its whole body
/// before reading (Python's `http.client`, a chunked upload) would see "connection reset"
/// instead of the 413. So after the answer the gateway shuts only its sending side (the client
/// reads the answer, then end-of-stream), and keeps reading and dropping what still arrives,
/// until the client closes, goes quiet for ``Limits/timeout``, has lingered ``Limits/time`` in
/// all, or sent ``Limits/bytes`` more: then it closes.
///
/// A pure record of one connection's lingering: the handler feeds it reads and asks it when to
/// close.
struct LingeringClose: Sendable {
    /// How long and how much a refused client may keep sending.
    struct Limits: Sendable, Equatable {
        /// The longest the gateway lingers in all (nginx's `lingering_time`, 30 s).
        var time: TimeAmount = .seconds(30)
        /// The longest silence it waits through (nginx's `lingering_timeout`, 5 s).
        var timeout: TimeAmount = .seconds(5)
        /// The most bytes it reads and drops.
        var bytes: Int = 256 << 20

        /// Lingering that outlasts a body of `maxBodyBytes` sent after its 413 whatever the
        /// limit: at least 256 MiB.
        static func forBodies(upTo maxBodyBytes: Int) -> Limits {
            Limits(bytes: max(256 << 20, maxBodyBytes))
        }
    }

    let limits: Limits
    /// When the answer was sent and lingering began; nil while the answer is still being
    /// written (what arrives meanwhile is dropped too).
    private(set) var started: NIODeadline?
    private(set) var lastRead: NIODeadline
    /// Bytes read and dropped since the request was refused.
    private(set) var discarded = 0

    init(limits: Limits, now: NIODeadline) {
        self.limits = limits
        lastRead = now
    }

    /// The answer is out: lingering proper begins.
    mutating func answerSent(now: NIODeadline) {
        guard started == nil else { return }
        started = now
        lastRead = now
    }

    /// `bytes` arrived and were dropped.
    mutating func read(_ bytes: Int, now: NIODeadline) {
        discarded += bytes
        lastRead = now
    }

    /// Whether the client sent more than the gateway reads after a refusal.
    var overBytes: Bool { discarded > limits.bytes }

    /// When the connection is to close if nothing else arrives; nil before the answer is out.
    var deadline: NIODeadline? {
        guard let started else { return nil }
        return min(started + limits.time, lastRead + limits.timeout)
    }

    /// Whether the connection is to close now.
    func isOver(now: NIODeadline) -> Bool {
        if overBytes { return true }
        guard let deadline else { return false }
        return now >= deadline
    }
}
