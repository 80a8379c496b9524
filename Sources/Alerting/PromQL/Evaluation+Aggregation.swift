extension Evaluation {
    /// One aggregation group's running state, as Prometheus keeps it.
    private struct Group {
        var labels: Labels
        var value: Double
        var mean: Double
        var count: Int
        var heap: [VectorSample] = []
    }

    func evaluateAggregation(_ aggregation: Aggregation) throws(PromQLError) -> [VectorSample] {
        let op = aggregation.op
        var parameter = 0.0
        var valueLabel = ""
        if let expression = aggregation.parameter {
            if op == .countValues {
                valueLabel = try string(expression)
            } else {
                parameter = try scalar(expression)
            }
        }
        let input = try vector(aggregation.expression)
        var k = 0
        if op == .topk || op == .bottomk {
            guard parameter >= -9_223_372_036_854_775_808.0, parameter <= 9_223_372_036_854_775_807.0 else {
                throw .evaluation("Scalar value \(GoFloat.print(parameter)) overflows int64")
            }
            let wide = GoMath.int64(parameter)
            if wide < 1 { return [] }
            k = Int(clamping: wide)
        }
        var grouping = aggregation.grouping
        if op == .countValues {
            guard LabelName.isValid(valueLabel) else {
                throw .evaluation("invalid label name \(GoQuote.quote(valueLabel))")
            }
            if !aggregation.without { grouping.append(valueLabel) }
        }
        let groupingSet = Set(grouping)

        var groups: [Labels: Int] = [:]
        var ordered: [Group] = []
        for var sample in input {
            if op == .countValues {
                sample.labels = sample.labels.setting(valueLabel, to: GoFloat.format(sample.value, "f"))
            }
            let key: Labels
            if aggregation.without {
                key = sample.labels.removing(groupingSet.union([Labels.metricName]))
            } else {
                key = sample.labels.keeping(groupingSet)
            }
            guard let index = groups[key] else {
                groups[key] = ordered.count
                var group = Group(labels: key, value: sample.value, mean: sample.value, count: 1)
                switch op {
                case .stddev, .stdvar: group.value = 0
                case .topk, .bottomk, .quantile: group.heap = [sample]
                case .group: group.value = 1
                default: break
                }
                ordered.append(group)
                continue
            }
            accumulate(&ordered[index], sample, op, k: k)
        }

        var result: [VectorSample] = []
        for group in ordered {
            var value = group.value
            switch op {
            case .avg: value = group.mean
            case .count, .countValues: value = Double(group.count)
            case .stdvar: value = group.value / Double(group.count)
            case .stddev: value = (group.value / Double(group.count)).squareRoot()
            case .topk, .bottomk:
                let descending = op == .topk
                let sorted = group.heap.sorted { descending ? Heap.topkLess($1, $0) : Heap.bottomkLess($1, $0) }
                for sample in sorted {
                    result.append(VectorSample(labels: sample.labels, value: sample.value, timestampMs: time))
                }
                continue
            case .quantile: value = Quantile.of(parameter, group.heap.map(\.value))
            default: break
            }
            result.append(VectorSample(labels: group.labels, value: value, timestampMs: time))
        }
        return result
    }

    private func accumulate(_ group: inout Group, _ sample: VectorSample, _ op: AggregationOperator, k: Int) {
        let value = sample.value
        switch op {
        case .sum:
            group.value += value
        case .avg:
            group.count += 1
            if group.mean.isInfinite {
                if value.isInfinite && (group.mean > 0) == (value > 0) { return }
                if !value.isInfinite && !value.isNaN { return }
            }
            let count = Double(group.count)
            group.mean += value / count - group.mean / count
        case .group:
            return
        case .max:
            if group.value < value || group.value.isNaN { group.value = value }
        case .min:
            if group.value > value || group.value.isNaN { group.value = value }
        case .count, .countValues:
            group.count += 1
        case .stddev, .stdvar:
            group.count += 1
            let delta = value - group.mean
            group.mean += delta / Double(group.count)
            group.value += delta * (value - group.mean)
        case .topk:
            Heap.offer(sample, into: &group.heap, k: k, less: Heap.topkLess)
        case .bottomk:
            Heap.offer(sample, into: &group.heap, k: k, less: Heap.bottomkLess)
        case .quantile:
            group.heap.append(sample)
        }
    }
}

/// Go's `container/heap` as `topk` and `bottomk` use it, so ties keep the same elements as Prometheus.
enum Heap {
    /// `vectorByValueHeap.Less`: a NaN on the left is always "less".
    static func topkLess(_ a: VectorSample, _ b: VectorSample) -> Bool {
        a.value.isNaN || a.value < b.value
    }

    /// `vectorByReverseValueHeap.Less`.
    static func bottomkLess(_ a: VectorSample, _ b: VectorSample) -> Bool {
        a.value.isNaN || a.value > b.value
    }

    /// Keeps the k "largest" (by `less`) samples: replaces the root when the new sample beats it.
    static func offer(
        _ sample: VectorSample,
        into heap: inout [VectorSample],
        k: Int,
        less: (VectorSample, VectorSample) -> Bool
    ) {
        let beatsRoot = less(heap[0], sample)
        guard heap.count < k || beatsRoot else { return }
        if heap.count == k {
            if k == 1 {
                heap[0] = sample
                return
            }
            pop(&heap, less: less)
        }
        heap.append(sample)
        up(&heap, heap.count - 1, less: less)
    }

    private static func pop(_ heap: inout [VectorSample], less: (VectorSample, VectorSample) -> Bool) {
        let last = heap.count - 1
        heap.swapAt(0, last)
        down(&heap, 0, last, less: less)
        heap.removeLast()
    }

    private static func up(_ heap: inout [VectorSample], _ start: Int, less: (VectorSample, VectorSample) -> Bool) {
        var child = start
        while true {
            let parent = (child - 1) / 2
            if parent == child || !less(heap[child], heap[parent]) { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private static func down(
        _ heap: inout [VectorSample],
        _ start: Int,
        _ count: Int,
        less: (VectorSample, VectorSample) -> Bool
    ) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            if left >= count { break }
            var child = left
            if left + 1 < count && less(heap[left + 1], heap[left]) { child = left + 1 }
            if !less(heap[child], heap[parent]) { break }
            heap.swapAt(parent, child)
            parent = child
        }
    }
}
