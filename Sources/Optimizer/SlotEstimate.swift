/// How many requests a (node, model) pair runs at once before one waits for a slot: the node's
/// real `OLLAMA_NUM_PARALLEL`, learned instead of configured.
///
/// Fed one point per answered request (the pair's requests in flight at its admission, itself
/// included, and whether it waited for a slot on the node), it keeps per in-flight count the
/// share of requests that waited (an EWMA, so a node restarted with other slots is relearned).
/// With k in flight at the gateway, at most k − 1 others hold slots at the node, so a request
/// that waited proves fewer than k slots; at k up to the slots no request waits, past them a
/// growing share does (all of them once every slot is held by requests that have just begun).
/// The gateway releases a request when the node's answer ends, before the client has it, so
/// its count does not lag the node's in a closed loop (other clients of the node make requests
/// wait earlier, which lowers the estimate: the safe side).
public struct SlotEstimate: Sendable, Hashable {
    /// The share of waiting requests at one count and how many requests it is made of.
    public struct Share: Sendable, Hashable {
        public var waited: Double
        public var requests: Int
    }

    /// Weight of a new request in its count's share.
    public let weight: Double
    /// Requests a count needs before it says anything.
    public let minimumRequests: Int
    /// The share of waiting requests from which a count is over the slots. Low, because at one
    /// over the slots a request waits only until the first running one ends, often briefly,
    /// and such short waits blur into the allowance (``waited(slotWait:promptEval:timePerOutputToken:)``).
    public static let overShare = 0.25
    /// Share of waiting requests by requests in flight at admission.
    public private(set) var shareByInFlight: [Int: Share] = [:]

    /// - Parameters:
    ///   - weight: EWMA weight of a new request, (0, 1].
    ///   - minimumRequests: requests a count needs to count, 1 or more.
    public init(weight: Double = 0.2, minimumRequests: Int = 3) {
        self.weight = weight
        self.minimumRequests = minimumRequests
    }

    /// Adds one request admitted with `inFlight` of the pair's requests in flight (itself
    /// included) that did or did not wait for a slot.
    public mutating func record(inFlight: Int, waited: Bool) {
        guard inFlight > 0 else { return }
        let value = waited ? 1.0 : 0.0
        if var share = shareByInFlight[inFlight] {
            share.waited += weight * (value - share.waited)
            share.requests += 1
            shareByInFlight[inFlight] = share
        } else {
            shareByInFlight[inFlight] = Share(waited: value, requests: 1)
        }
    }

    /// The most requests in flight seen to run without waiting (under ``overShare`` of the
    /// requests admitted at that count waited): the node's slots. Nil until a count has
    /// ``minimumRequests``.
    public var slots: Int? {
        shareByInFlight.filter { $0.value.requests >= minimumRequests && $0.value.waited < Self.overShare }.keys.max()
    }

    /// The fewest requests in flight, over ``slots``, seen to wait (``overShare`` or more
    /// waited): the node runs fewer at once. Nil until such a count has ``minimumRequests``.
    public var full: Int? {
        let free = slots ?? 0
        return shareByInFlight.filter { $0.key > free && $0.value.requests >= minimumRequests && $0.value.waited >= Self.overShare }
            .keys.min()
    }

    /// Whether a request waited for a slot: its `slotWait` (first token less the node's load
    /// and prompt times) is over 10 ms plus a tenth of its `promptEval` plus one and a half
    /// tokens' decode (`timePerOutputToken`). The allowance covers the network, the first
    /// token's decode and the node's clocks, which start a little after the request reached it.
    public static func waited(slotWait: Duration, promptEval: Duration, timePerOutputToken: Duration?) -> Bool {
        let allowance = 0.01 + 0.1 * promptEval.seconds + 1.5 * (timePerOutputToken?.seconds ?? 0)
        return slotWait.seconds > allowance
    }
}
