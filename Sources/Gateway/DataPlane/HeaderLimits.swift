import NIOHTTP1

/// The limits on a request head (its request line and header fields), enforced by the HTTP
/// decoder: a head over any of them gets 431 (``DataPlaneHandler``'s `errorCaught`).
///
/// The sizes are NIO's and Hummingbird's defaults (80 KiB, as the request line and every
/// field's name and value count); the field count is Apache's `LimitRequestFields` (100), far
/// above what any client sends (curl sends 4, the official Python clients under 15).
struct HeaderLimits: Sendable, Equatable {
    /// The most bytes of one field (name and value), or of the request line.
    var maxHeaderFieldSize = 80 * 1024
    /// The most bytes of the whole head.
    var maxHeaderListSize = 80 * 1024
    /// The most header fields.
    var maxHeaderFieldCount = 100

    /// The limits as the NIO decoder takes them.
    var decoder: NIOHTTPDecoderLimitConfiguration {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = maxHeaderFieldSize
        limits.maxHeaderListSize = maxHeaderListSize
        limits.maxHeaderFieldCount = maxHeaderFieldCount
        return limits
    }
}
