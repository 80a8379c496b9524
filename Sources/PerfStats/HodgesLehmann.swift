extension Stats {
    /// The Hodges-Lehmann estimate of the shift from `x` to `y`: the median of all pairwise
    /// differences `y[j] − x[i]`.
    ///
    /// It is the estimator that goes with the Mann-Whitney U test: robust to outliers like a
    /// median, but much less noisy than the difference of two medians (its efficiency relative
    /// to the difference of means is about 95% on normal data, against 64% for medians). The
    /// `n·m` differences are selected in linear expected time, not sorted.
    /// - Throws: ``StatsError`` when either sample is empty or holds NaN or an infinite value.
    public static func hodgesLehmannShift(_ x: [Double], _ y: [Double]) throws(StatsError) -> Double {
        try validate(x, "x")
        try validate(y, "y")
        let count = x.count * y.count
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { differences in
            var next = 0
            for b in y {
                for a in x {
                    differences[next] = b - a
                    next += 1
                }
            }
            let upper = select(differences, count / 2)
            if count % 2 == 1 { return upper }
            // After selecting index k, everything before it is ≤ it: the lower middle is their maximum.
            var lower = differences[0]
            for index in 1..<(count / 2) where differences[index] > lower { lower = differences[index] }
            return (lower + upper) / 2
        }
    }

    /// The `k`-th smallest element (0-based), partially reordering `values` (Hoare's quickselect
    /// with a median-of-three pivot): afterwards every element before index `k` is ≤ it.
    static func select(_ values: inout [Double], _ k: Int) -> Double {
        values.withUnsafeMutableBufferPointer { select($0, k) }
    }

    static func select(_ values: UnsafeMutableBufferPointer<Double>, _ k: Int) -> Double {
        var low = 0
        var high = values.count - 1
        while low < high {
            let middle = low + (high - low) / 2
            let (a, b, c) = (values[low], values[middle], values[high])
            let pivot = Swift.max(Swift.min(a, b), Swift.min(Swift.max(a, b), c))
            var i = low
            var j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                high = j
            } else if k >= i {
                low = i
            } else {
                return values[k]
            }
        }
        return values[k]
    }
}
