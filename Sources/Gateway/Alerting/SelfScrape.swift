import Alerting
import Telemetry

/// The gateway's own scrape of its registry as the series a Prometheus scraping it would store:
/// each sample with its labels, `job="ollamamax"` and `instance` (the listen address) added, and
/// `up` 1, so the shipped rules' `{job="ollamamax"}` selectors find them.
public enum SelfScrape {
    public static let job = "ollamamax"

    public static func samples(_ families: [ExpositionFamily], instance: String) -> [(labels: Labels, value: Double)] {
        var samples: [(labels: Labels, value: Double)] = [(Labels(["__name__": "up", "job": job, "instance": instance]), 1)]
        for family in families {
            for sample in family.samples {
                var labels = sample.labels
                labels["__name__"] = sample.name
                labels["job"] = job
                labels["instance"] = instance
                samples.append((Labels(labels), sample.value))
            }
        }
        return samples
    }
}
