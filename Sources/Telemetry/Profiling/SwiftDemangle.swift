#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Readable names for Swift symbols, from the Swift runtime's own demangler.
public enum SwiftDemangle {
    /// `symbol` demangled when it is a Swift symbol (`$s...`, `_$s...`), else `symbol` itself.
    public static func name(_ symbol: String) -> String {
        guard symbol.hasPrefix("$s") || symbol.hasPrefix("_$s") || symbol.hasPrefix("$S") else { return symbol }
        return symbol.withCString { pointer in
            guard let demangled = swiftDemangle(pointer, strlen(pointer), nil, nil, 0) else { return symbol }
            defer { free(demangled) }
            return String(cString: demangled)
        }
    }
}

/// The runtime's exported demangler: returns a `malloc`ed string the caller frees, or nil.
@_silgen_name("swift_demangle")
private func swiftDemangle(
    _ mangledName: UnsafePointer<CChar>?,
    _ mangledNameLength: Int,
    _ outputBuffer: UnsafeMutablePointer<CChar>?,
    _ outputBufferSize: UnsafeMutablePointer<Int>?,
    _ flags: UInt32
) -> UnsafeMutablePointer<CChar>?
