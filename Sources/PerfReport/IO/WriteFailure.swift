import Foundation

/// Why writing a file failed, in words a reader can act on.
///
/// Foundation's errors for an atomic write (`Data.write(to:options: .atomic)`) often say only
/// "The operation could not be completed"; this names the usual causes instead.
public enum WriteFailure {
    /// The reason writing `path` failed with `error`: a missing directory, a directory where the
    /// file should be, a directory that cannot be written, or else the system's own message.
    public static func reason(path: String, _ error: any Error) -> String {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            return "directory \(directory) does not exist"
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return "\(url.path) is a directory"
        }
        if !FileManager.default.isWritableFile(atPath: directory) {
            return "directory \(directory) is not writable"
        }
        return (error as NSError).localizedDescription
    }
}
