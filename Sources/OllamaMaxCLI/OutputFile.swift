import Foundation
import PerfReport

/// Where a command writes a file it was asked for (`--output`, `--junit`): atomically, or not at all.
enum OutputFile {
    /// Writes `data` to `path` with Foundation's atomic write (a reader never sees half a file;
    /// on failure nothing changes at `path`), or throws a ``CLIError`` naming `flag`, the path and why.
    static func write(_ data: Data, to path: String, flag: String) throws(CLIError) {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .invalidInput("\(flag) \(path): cannot write (\(WriteFailure.reason(path: path, error))); nothing was written")
        }
    }
}
