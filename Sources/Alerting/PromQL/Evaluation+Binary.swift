extension Evaluation {
    func evaluateBinary(_ binary: BinaryExpression) throws(PromQLError) -> Value {
        let left = try evaluate(binary.lhs)
        let right = try evaluate(binary.rhs)
        switch (left, right) {
        case (.scalar(let lhs), .scalar(let rhs)):
            let (value, keep) = BinaryArithmetic.apply(binary.op, lhs, rhs)
            if binary.op.isComparison { return .scalar(keep ? 1 : 0) }
            return .scalar(value)
        case (.vector(let lhs), .scalar(let rhs)):
            return .vector(try unique(vectorScalar(binary, lhs, rhs, scalarOnLeft: false)))
        case (.scalar(let lhs), .vector(let rhs)):
            return .vector(try unique(vectorScalar(binary, rhs, lhs, scalarOnLeft: true)))
        case (.vector(let lhs), .vector(let rhs)):
            let result: [VectorSample]
            switch binary.op {
            case .and: result = setAnd(lhs, rhs, binary.matching)
            case .or: result = setOr(lhs, rhs, binary.matching)
            case .unless: result = setUnless(lhs, rhs, binary.matching)
            default: result = try vectorVector(binary, lhs, rhs)
            }
            return .vector(try unique(result))
        default:
            throw .evaluation("binary expression must contain only scalar and instant vector types")
        }
    }

    /// A vector and a scalar: arithmetic keeps every element, a comparison filters (or, with `bool`,
    /// yields 0/1) and always keeps the vector element's value.
    private func vectorScalar(
        _ binary: BinaryExpression,
        _ vector: [VectorSample],
        _ scalar: Double,
        scalarOnLeft: Bool
    ) -> [VectorSample] {
        var result: [VectorSample] = []
        result.reserveCapacity(vector.count)
        for sample in vector {
            let (lhs, rhs) = scalarOnLeft ? (scalar, sample.value) : (sample.value, scalar)
            var (value, keep) = BinaryArithmetic.apply(binary.op, lhs, rhs)
            if binary.op.isComparison && scalarOnLeft { value = rhs }
            if binary.returnBool {
                value = keep ? 1 : 0
                keep = true
            }
            guard keep else { continue }
            var labels = sample.labels
            if binary.op.dropsMetricName || binary.returnBool { labels = labels.droppingMetricName }
            result.append(VectorSample(labels: labels, value: value, timestampMs: time))
        }
        return result
    }

    /// The labels two series are matched on: the `on(...)` labels, or all but `ignoring(...)` and `__name__`.
    func signature(_ labels: Labels, _ matching: VectorMatching) -> Labels {
        if matching.on { return labels.keeping(matching.labels) }
        return labels.removing(matching.labels + [Labels.metricName])
    }

    private func setAnd(_ lhs: [VectorSample], _ rhs: [VectorSample], _ matching: VectorMatching) -> [VectorSample] {
        if lhs.isEmpty || rhs.isEmpty { return [] }
        let right = Set(rhs.map { signature($0.labels, matching) })
        return lhs.filter { right.contains(signature($0.labels, matching)) }
    }

    private func setOr(_ lhs: [VectorSample], _ rhs: [VectorSample], _ matching: VectorMatching) -> [VectorSample] {
        if lhs.isEmpty { return rhs }
        if rhs.isEmpty { return lhs }
        let left = Set(lhs.map { signature($0.labels, matching) })
        return lhs + rhs.filter { !left.contains(signature($0.labels, matching)) }
    }

    private func setUnless(_ lhs: [VectorSample], _ rhs: [VectorSample], _ matching: VectorMatching) -> [VectorSample] {
        if lhs.isEmpty || rhs.isEmpty { return lhs }
        let right = Set(rhs.map { signature($0.labels, matching) })
        return lhs.filter { !right.contains(signature($0.labels, matching)) }
    }

    /// Arithmetic and comparisons between two vectors with one-to-one or group_left/group_right matching.
    private func vectorVector(
        _ binary: BinaryExpression,
        _ lhs: [VectorSample],
        _ rhs: [VectorSample]
    ) throws(PromQLError)
        -> [VectorSample]
    {
        if lhs.isEmpty || rhs.isEmpty { return [] }
        let matching = binary.matching
        let oneToMany = matching.cardinality == .oneToMany
        // For group_right swap the sides, so the right side is always the "one" side.
        let (many, one) = oneToMany ? (rhs, lhs) : (lhs, rhs)
        var oneSide: [Labels: VectorSample] = [:]
        oneSide.reserveCapacity(one.count)
        for sample in one {
            let key = signature(sample.labels, matching)
            if let duplicate = oneSide[key] {
                let matched =
                    matching.on
                    ? sample.labels.keeping(matching.labels)
                    : sample.labels.removing(matching.labels + [Labels.metricName])
                throw .evaluation(
                    "found duplicate series for the match group \(matched) on the \(oneToMany ? "left" : "right") hand-side of the operation: [\(sample.labels), \(duplicate.labels)];many-to-many matching not allowed: matching labels must be unique on one side"
                )
            }
            oneSide[key] = sample
        }
        var matchedOneToOne = Set<Labels>()
        var matchedMany: [Labels: Set<Labels>] = [:]
        var result: [VectorSample] = []
        for sample in many {
            let key = signature(sample.labels, matching)
            guard let partner = oneSide[key] else { continue }
            let (lhsValue, rhsValue) = oneToMany ? (partner.value, sample.value) : (sample.value, partner.value)
            var (value, keep) = BinaryArithmetic.apply(binary.op, lhsValue, rhsValue)
            if binary.returnBool {
                value = keep ? 1 : 0
            } else if !keep {
                continue
            }
            var labels = resultLabels(sample.labels, partner.labels, binary.op, matching)
            if binary.returnBool { labels = labels.droppingMetricName }
            if matching.cardinality == .oneToOne {
                if !matchedOneToOne.insert(key).inserted {
                    throw .evaluation("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                }
            } else if !matchedMany[key, default: []].insert(labels).inserted {
                throw .evaluation("multiple matches for labels: grouping labels must ensure unique matches")
            }
            result.append(VectorSample(labels: labels, value: value, timestampMs: time))
        }
        return result
    }

    /// Prometheus' `resultMetric`: the "many" side's labels, minus `__name__` for arithmetic, restricted to
    /// `on(...)` or without `ignoring(...)` for one-to-one matching, plus the `group_x(...)` labels of the
    /// "one" side.
    private func resultLabels(_ many: Labels, _ one: Labels, _ op: BinaryOperator, _ matching: VectorMatching) -> Labels {
        var labels = many
        if op.dropsMetricName { labels = labels.droppingMetricName }
        if matching.cardinality == .oneToOne {
            labels = matching.on ? labels.keeping(matching.labels) : labels.removing(matching.labels)
        }
        for name in matching.include {
            if let value = one[name] {
                labels = labels.setting(name, to: value)
            } else {
                labels = labels.removing(name)
            }
        }
        return labels
    }
}

/// The arithmetic of PromQL's binary operators on two numbers, with Go's float semantics.
enum BinaryArithmetic {
    /// The value and, for comparisons, whether the comparison holds (the value is then the left operand).
    static func apply(_ op: BinaryOperator, _ lhs: Double, _ rhs: Double) -> (value: Double, keep: Bool) {
        switch op {
        case .add: return (lhs + rhs, true)
        case .subtract: return (lhs - rhs, true)
        case .multiply: return (lhs * rhs, true)
        case .divide: return (lhs / rhs, true)
        case .power: return (GoMath.pow(lhs, rhs), true)
        case .modulo: return (GoMath.mod(lhs, rhs), true)
        case .atan2: return (GoMath.atan2(lhs, rhs), true)
        case .equal: return (lhs, lhs == rhs)
        case .notEqual: return (lhs, lhs != rhs)
        case .greater: return (lhs, lhs > rhs)
        case .less: return (lhs, lhs < rhs)
        case .greaterOrEqual: return (lhs, lhs >= rhs)
        case .lessOrEqual: return (lhs, lhs <= rhs)
        case .and, .or, .unless: return (lhs, true)
        }
    }
}
