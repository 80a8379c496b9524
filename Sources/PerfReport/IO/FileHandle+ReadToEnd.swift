import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension FileHandle {
    /// Everything up to the end of the file or pipe, for a child process's output.
    ///
    /// Foundation's `readDataToEndOfFile()` stops the whole process when a signal interrupts one
    /// of its reads (EINTR, e.g. a child exiting while another thread reads its pipe); here an
    /// interrupted read is retried and any other failure thrown.
    /// - Throws: `POSIXError` with the read's errno.
    public func readToEndRetryingInterrupts() throws -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count == 0 {
                return data
            } else if errno != EINTR {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        }
    }
}
