/// Why a soak could not run: a bad setting, or a child that would not start. Ends the soak
/// (after stopping every child); the goals are judged only for a soak that ran.
public struct SoakError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case settings([String])
        case childFailed(String, String)
    }

    private let code: Code

    /// Bad settings, each naming the setting.
    static func settings(_ problems: [String]) -> SoakError { SoakError(code: .settings(problems)) }

    /// A child (`node 1`, `gateway`) that failed, and how.
    static func childFailed(_ name: String, _ detail: String) -> SoakError { SoakError(code: .childFailed(name, detail)) }

    public var description: String {
        switch code {
        case .settings(let problems): "soak: " + problems.joined(separator: "; ")
        case .childFailed(let name, let detail): "soak: \(name) \(detail)"
        }
    }
}
