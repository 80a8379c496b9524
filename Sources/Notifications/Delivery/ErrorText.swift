import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Errors from NIO, NIOSSL and AsyncHTTPClient in a few words, for delivery errors and logs.
enum ErrorText {
    static func describe(_ error: any Error) -> String {
        switch error {
        case ChannelError.ioOnClosedChannel, ChannelError.alreadyClosed, ChannelError.eof:
            return "the peer closed the connection"
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return describe(first.error) }
            return "cannot resolve the host name"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        case let error as NIOSSLError:
            return "TLS failed: \(error); check the peer's certificate and the trusted CAs"
        case let error as NIOSSLExtraError:
            return "TLS failed: \(error); check the peer's certificate and the trusted CAs"
        case let error as HTTPClientError:
            return "\(error)"
        case let error as SMTPDecodingError:
            return error.description
        default:
            return String(describing: error)
        }
    }
}
