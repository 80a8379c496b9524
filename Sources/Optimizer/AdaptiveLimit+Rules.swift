/// The update rules as pure functions of numbers: what the tests pin against hand-computed values.
extension AdaptiveLimit {
    /// Gradient2's long-term latency after a window with `sample` (the `windows`-th, from 1): the
    /// plain mean over the first 10 windows, then an EMA with factor `2/(longWindow+1)`; when it
    /// ends over twice the sample (the load fell away), it decays by 5% so it follows the node down.
    public static func nextLong(_ long: Double?, sample: Double, windows: Int, longWindow: Int) -> Double {
        guard let long else { return sample }
        let factor = 2 / Double(longWindow + 1)
        var next = windows <= 10 ? long + (sample - long) / Double(windows) : long * (1 - factor) + sample * factor
        if next / sample > 2 { next *= 0.95 }
        return next
    }

    /// `clamp(tolerance·long/sample, 0.5, 1)`: 1 while the sample is within the tolerated inflation.
    public static func gradient(tolerance: Double, long: Double, sample: Double) -> Double {
        guard sample > 0 else { return 1 }
        return min(max(tolerance * long / sample, 0.5), 1)
    }

    /// `(1-s)·limit + s·target`, the target `limit + queueSize` at gradient 1 and `limit·gradient`
    /// below it. Unlike Gradient2 the queue allowance is not added under inflation: at gradient
    /// 0.5 a constant allowance `q` holds the limit at `2q`, so a one-slot node would never be found.
    public static func smoothed(_ limit: Double, gradient: Double, queueSize: Double, smoothing: Double) -> Double {
        let target = gradient >= 1 ? limit + queueSize : limit * gradient
        return (1 - smoothing) * limit + smoothing * target
    }

    /// The AIMD cut: `⌊limit·backoffRatio⌋`, at least `minLimit`.
    public static func cutLimit(_ limit: Int, backoffRatio: Double, minLimit: Int) -> Int {
        max(minLimit, Int((Double(limit) * backoffRatio + 1e-9).rounded(.down)))
    }

    /// A number for a reason: up to three decimals, no trailing zeros.
    static func format(_ value: Double) -> String {
        var text = String(Int((value * 1000).rounded()))
        let negative = text.hasPrefix("-")
        if negative { text.removeFirst() }
        while text.count < 4 { text = "0" + text }
        var integer = String(text.dropLast(3))
        var fraction = String(text.suffix(3))
        while fraction.hasSuffix("0") { fraction.removeLast() }
        if negative { integer = "-" + integer }
        return fraction.isEmpty ? integer : "\(integer).\(fraction)"
    }
}
