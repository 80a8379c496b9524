import ConfigFile
import Testing

@testable import Gateway

/// Sizes as `--max-body-size` and `max_body_size:` take them.
struct ByteSizeTests {
    @Test func sizesAreBytesOrANumberWithAUnit() {
        #expect(ByteSize.parse("33554432") == 33_554_432)
        #expect(ByteSize.parse("32MiB") == 32 << 20)
        #expect(ByteSize.parse("32 mib") == 32 << 20)
        #expect(ByteSize.parse("64MB") == 64_000_000)
        #expect(ByteSize.parse("1.5GiB") == 3 << 29)
        #expect(ByteSize.parse("512k") == 512 << 10)
        #expect(ByteSize.parse("10B") == 10)
    }

    @Test func anythingElseIsNotASize() {
        for text in ["", "MiB", "-1MiB", "0", "12 parsecs", "1e9", "0.1"] {
            #expect(ByteSize.parse(text) == nil, "\(text)")
        }
    }

    @Test func theConfigFileTakesASizeAndAHeaderTimeout() throws {
        let file = try GatewayFile.parse("max_body_size: 64MiB\nheader_timeout: 2s\n", source: "gateway.yaml")
        var configuration = GatewayConfiguration()
        try file.apply(to: &configuration, source: "gateway.yaml")
        #expect(configuration.maxBodyBytes == 64 << 20)
        #expect(configuration.headerTimeout == .seconds(2))
        let bad = try GatewayFile.parse("max_body_size: lots\n", source: "gateway.yaml")
        #expect(throws: ConfigError.self) { try bad.apply(to: &configuration, source: "gateway.yaml") }
        do {
            try bad.apply(to: &configuration, source: "gateway.yaml")
        } catch {
            #expect(
                error.description
                    == #"gateway.yaml: max_body_size: "lots" is not a size; write bytes (33554432) or a size such as 32MiB, 64MB or 1GiB"#
            )
        }
    }
}
