import ArgumentParser
import Gateway

/// `start`'s bounds on what a client sends: `--max-body-size` and `--header-timeout`.
struct LimitOptions: ParsableArguments {
    @Option(
        help: """
            The largest request body, as bytes or with a unit (32MiB, 64MB, 1GiB; default 32MiB): a bigger one gets \
            413 on every route but blob uploads (POST /api/blobs/:digest, model weights, unlimited).
            """
    )
    var maxBodySize: String?

    @Option(
        help: """
            The time a client has to send a whole request head (default 10s): a slower one is disconnected, \
            holding no node.
            """
    )
    var headerTimeout: String?

    /// `configuration` with the flags given laid over it.
    func apply(to configuration: inout GatewayConfiguration) throws(CLIError) {
        if let maxBodySize {
            guard let bytes = ByteSize.parse(maxBodySize) else {
                throw .invalidInput("--max-body-size: \"\(maxBodySize)\" is not a size; \(ByteSize.examples)")
            }
            configuration.maxBodyBytes = bytes
        }
        if let headerTimeout {
            configuration.headerTimeout = try DurationFlag.positive(headerTimeout, flag: "--header-timeout")
        }
    }
}
