/// One histogram or summary series (labels without `le`/`quantile`) as found in the body.
private struct SeriesParts {
    var labels: [String: String]
    var firstLine: Int
    var buckets: [(le: Double, leText: String, count: Double, line: Int)] = []
    var sum: Double?
    var count: (value: Double, line: Int)?
}

extension ExpositionChecker {
    /// Bucket order, cumulative counts, `+Inf` present and equal to `_count`, `_sum`/`_count` present.
    func histograms() -> [(line: Int, message: String)] {
        var found: [(line: Int, message: String)] = []
        for family in familyNames(ofType: "histogram") {
            let (parts, stray) = collect(family, splitting: "le")
            found += stray
            for series in parts {
                found += checkBuckets(of: series, family: family)
                found += missingSumOrCount(series, family: family, kind: "histogram")
            }
        }
        return found
    }

    /// Summaries need `_sum` and `_count` for every series.
    func summaries() -> [(line: Int, message: String)] {
        var found: [(line: Int, message: String)] = []
        for family in familyNames(ofType: "summary") {
            for series in collect(family, splitting: "quantile").parts {
                found += missingSumOrCount(series, family: family, kind: "summary")
            }
        }
        return found
    }

    private func familyNames(ofType type: String) -> [String] {
        var seen: Set<String> = []
        return samples.map(\.family).filter { resolver.type(of: $0) == type && seen.insert($0).inserted }
    }

    /// Groups a family's samples into series, in order of first appearance. Also returns
    /// problems with individual samples (no `le`, unparsable `le`, foreign names).
    private func collect(
        _ family: String,
        splitting identity: String
    ) -> (parts: [SeriesParts], stray: [(line: Int, message: String)]) {
        var parts: [SeriesParts] = []
        var index: [[String: String]: Int] = [:]
        var stray: [(line: Int, message: String)] = []
        let isHistogram = identity == "le"
        for placed in samples where placed.family == family {
            let sample = placed.sample
            let line = placed.line
            var labels = sample.labels
            let identityValue = labels.removeValue(forKey: identity)
            let slot: Int
            if let existing = index[labels] {
                slot = existing
            } else {
                parts.append(SeriesParts(labels: labels, firstLine: line))
                slot = parts.count - 1
                index[labels] = slot
            }
            switch sample.name {
            case family + "_sum":
                parts[slot].sum = sample.value
            case family + "_count":
                parts[slot].count = (sample.value, line)
            case family + "_bucket" where isHistogram:
                let series = ExpositionFormat.series(sample.name, sample.labels)
                guard let leText = identityValue else {
                    stray.append((line, "line \(line): histogram bucket \(series) has no \"le\" label"))
                    continue
                }
                guard let le = LineLexer.parseGoFloat(leText) else {
                    stray.append((line, "line \(line): le=\"\(leText)\" on \(series) is not a number"))
                    continue
                }
                parts[slot].buckets.append((le, leText, sample.value, line))
            case family where !isHistogram:
                break
            default:
                let expected =
                    isHistogram
                    ? "\(family)_bucket, \(family)_sum or \(family)_count"
                    : "\(family), \(family)_sum or \(family)_count"
                stray.append(
                    (
                        line,
                        "line \(line): sample \(sample.name) does not belong in \(family): "
                            + "expected \(expected)"
                    )
                )
            }
        }
        return (parts, stray)
    }

    private func checkBuckets(of series: SeriesParts, family: String) -> [(line: Int, message: String)] {
        var found: [(line: Int, message: String)] = []
        let name = ExpositionFormat.series(family, series.labels)
        for (previous, bucket) in zip(series.buckets, series.buckets.dropFirst()) where bucket.le < previous.le {
            found.append(
                (
                    bucket.line,
                    "line \(bucket.line): bucket le=\"\(bucket.leText)\" of \(name) comes after "
                        + "le=\"\(previous.leText)\"; buckets must be in increasing le order"
                )
            )
        }
        // Compare in le order so a misordered bucket is reported once, above, not twice.
        let sorted = series.buckets.enumerated().sorted { ($0.element.le, $0.offset) < ($1.element.le, $1.offset) }
            .map(\.element)
        for (previous, bucket) in zip(sorted, sorted.dropFirst()) where bucket.count < previous.count {
            found.append(
                (
                    bucket.line,
                    "line \(bucket.line): bucket le=\"\(bucket.leText)\" of \(name) counts "
                        + "\(ExpositionFormat.number(bucket.count)), fewer than the "
                        + "\(ExpositionFormat.number(previous.count)) in bucket le=\"\(previous.leText)\" below it; "
                        + "bucket counts must be cumulative"
                )
            )
        }
        guard let infinite = series.buckets.last(where: { $0.le == .infinity }) else {
            found.append((series.firstLine, "line \(series.firstLine): histogram \(name) has no le=\"+Inf\" bucket"))
            return found
        }
        if let count = series.count, count.value != infinite.count {
            found.append(
                (
                    count.line,
                    "line \(count.line): le=\"+Inf\" bucket of \(name) is "
                        + "\(ExpositionFormat.number(infinite.count)) but \(family)_count is "
                        + "\(ExpositionFormat.number(count.value)); they must be equal"
                )
            )
        }
        return found
    }

    private func missingSumOrCount(
        _ series: SeriesParts,
        family: String,
        kind: String
    ) -> [(line: Int, message: String)] {
        let name = ExpositionFormat.series(family, series.labels)
        var found: [(line: Int, message: String)] = []
        if series.sum == nil {
            found.append((series.firstLine, "line \(series.firstLine): \(kind) \(name) has no \(family)_sum sample"))
        }
        if series.count == nil {
            found.append((series.firstLine, "line \(series.firstLine): \(kind) \(name) has no \(family)_count sample"))
        }
        return found
    }
}
