import CompressNIO
import NIOCore
import SwiftProtobuf

/// Why a profile could not be written or read.
public struct ProfileCodingError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

extension Perftools_Profiles_Profile {
    /// The protobuf encoding, not compressed.
    public func encoded() throws(ProfileCodingError) -> [UInt8] {
        do {
            return try serializedBytes()
        } catch {
            throw ProfileCodingError(description: "could not encode the profile: \(error)")
        }
    }

    /// The profile as pprof serves it: the protobuf encoding, gzipped.
    public func gzipped() throws(ProfileCodingError) -> [UInt8] {
        var plain = ByteBuffer(bytes: try encoded())
        do {
            let compressor = CompressionAlgorithm.gzip().compressor
            try compressor.startStream()
            // zlib's bound for the whole input: one deflate call with `finish` writes it all.
            var packed = ByteBuffer()
            packed.reserveCapacity(compressor.maxSize(from: plain))
            try compressor.streamDeflate(from: &plain, to: &packed, flush: .finish)
            try compressor.finishStream()
            return Array(packed.readableBytesView)
        } catch {
            throw ProfileCodingError(description: "could not encode the profile: \(error)")
        }
    }

    /// Reads a pprof profile, gzipped (as served) or not.
    public init(pprof bytes: [UInt8]) throws(ProfileCodingError) {
        var data = bytes
        if bytes.starts(with: [0x1f, 0x8b]) {
            var buffer = ByteBuffer(bytes: bytes)
            do {
                let plain = try buffer.decompress(with: .gzip(), maxSize: 1 << 30)
                data = Array(plain.readableBytesView)
            } catch {
                throw ProfileCodingError(description: "the profile's gzip stream is damaged: \(error)")
            }
        }
        do {
            try self.init(serializedBytes: data)
        } catch {
            throw ProfileCodingError(description: "not a pprof profile (profile.proto): \(error)")
        }
    }

    /// The string at `index` of the string table, or "" when out of range.
    public func text(_ index: Int64) -> String {
        index >= 0 && index < Int64(stringTable.count) ? stringTable[Int(index)] : ""
    }
}
