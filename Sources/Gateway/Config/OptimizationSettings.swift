import Foundation
import Optimizer

/// How the gateway adapts its limits (docs/optimizer.md): the level of the fast limiter, one
/// ``AdaptiveLimit`` per (node, model), and the interval of the slow knobs.
///
/// `off` is the static behaviour: every node takes up to its `max_in_flight`, whatever its
/// answers say. Any other level learns each pair's limit from its time to first token and its
/// drops, with the static limits as the ceiling.
public struct OptimizationSettings: Sendable, Hashable {
    /// How fast limits move and how much latency inflation they tolerate (`--optimization-level`).
    public var level: OptimizationLevel
    /// Time between rounds of the slow knobs (`--optimization-interval`); the fast limiter
    /// adapts per window, not per interval.
    public var interval: Duration
    /// The other gateways in front of the same nodes (`--peer`, `optimization.peers`), base
    /// URLs: each is asked for its requests in flight every ``PeerService/period``, and they
    /// count with this gateway's own at admission (docs/optimizer.md "Several gateways").
    public var peers: [String]

    /// - Parameters:
    ///   - level: the limiter's preset; `balanced`, as the seed's `OptimizationLevel`. It
    ///     queues a burst as Ollama would and refuses at once only a request expected to wait
    ///     past the queue timeout (docs/optimizer.md, "The queue per model").
    ///   - interval: the slow knobs' period; 5 minutes, as the seed's `OptimizationInterval`.
    ///   - peers: the other gateways' base URLs; none by default.
    public init(level: OptimizationLevel = .balanced, interval: Duration = .seconds(300), peers: [String] = []) {
        self.level = level
        self.interval = interval
        self.peers = peers
    }

    /// Every problem with the values, each naming its setting.
    func problems() -> [String] {
        var found = interval > .zero ? [] : ["optimization.interval: must be positive"]
        for (index, peer) in peers.enumerated() where !Self.isBaseURL(peer) {
            // A value with a user or password is not repeated.
            let shown = peer.contains("@") ? "" : " \"\(peer)\""
            found.append(
                "optimization.peers[\(index)]:\(shown) is not a gateway's base URL (http or https, a host, no user or password); "
                    + "write e.g. http://10.0.0.2:11434"
            )
        }
        return found
    }

    /// Whether `text` is an `http://` or `https://` URL with a host, no query and no user or
    /// password (those would reach the peer's log lines; a peer key goes in `OLLAMAMAX_PEER_KEY`).
    static func isBaseURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return false
        }
        return !(url.host ?? "").isEmpty && url.query == nil && url.user == nil && url.password == nil
    }
}
