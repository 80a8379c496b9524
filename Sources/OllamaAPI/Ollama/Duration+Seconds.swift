extension Duration {
    /// The duration in seconds: the one conversion for wire formats, reports and metrics that
    /// count in seconds. Configuration and APIs keep `Duration`.
    public var inSeconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
