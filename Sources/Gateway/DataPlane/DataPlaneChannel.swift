import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOSSL

/// The server's HTTP/1 connection pipeline: Hummingbird's, with the ``DataPlaneHandler`` in
/// front of the conversion to HTTPTypes.
///
/// The handler sees NIO's own request parts, so the requests it answers are never converted to
/// HTTPTypes and back (that conversion was about a tenth of the gateway's CPU per request), and
/// it sees the HTTP version, so an HTTP/1.0 client without keep-alive is disconnected after its
/// answer on every route. Everything else is ``HTTP1Channel``'s set-up but the decoder limits
/// (``HeaderLimits``) and the slow-header watch (``HeaderTimeout``): no pipelining assistance
/// (the handler keeps answers in order), and the connection-state handler for Hummingbird's
/// router (without an idle timeout: the handler keeps it).
///
/// With ``ServerTLS`` the connection starts with its TLS handshake (NIO SSL's server handler
/// first in the pipeline); a client that speaks plain HTTP to it fails the handshake and is
/// disconnected, and nothing else sees its bytes.
struct DataPlaneChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let plane: DataPlane
    /// The certificate served; nil: plain HTTP.
    let tls: ServerTLS?

    /// The server builder for `plane`'s gateway, over TLS with `tls`.
    static func builder(_ plane: DataPlane, tls: ServerTLS?) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in DataPlaneChannel(responder: responder, plane: plane, tls: tls) }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let sync = channel.pipeline.syncOperations
            if let tls { try sync.addHandler(NIOSSLServerHandler(context: tls.context)) }
            // After TLS, before the decoder: it sees a head's bytes before they are a head.
            let headerTimeout = HeaderTimeout(timeout: plane.settings.headerTimeout)
            try sync.addHandler(headerTimeout)
            try sync.configureHTTPServerPipeline(
                withPipeliningAssistance: false,
                withErrorHandling: false,
                withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: HeaderLimits().decoder
            )
            try sync.addHandler(plane.makeHandler(headerTimeout: headerTimeout))
            try sync.addHandler(HTTP1ToHTTPServerCodec(secure: tls != nil))
            try sync.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}
