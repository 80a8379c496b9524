import Foundation
import Notifications

/// A fixed starting time, so every test's clock is explicit.
let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// `t0` plus `seconds`.
func at(_ seconds: Double) -> Date { t0 + seconds }

/// A firing alert named `name` with extra labels, started at `startsAt`.
func alert(
    _ name: String,
    _ labels: [String: String] = [:],
    annotations: [String: String] = [:],
    startsAt: Date = t0,
    status: NotifiedAlert.Status = .firing
) -> NotifiedAlert {
    NotifiedAlert(
        labels: labels.merging(["alertname": name]) { $1 },
        annotations: annotations,
        status: status,
        startsAt: startsAt,
        endsAt: status == .resolved ? startsAt : nil,
        generatorURL: "http://gateway.test/graph?g0.expr=up"
    )
}

/// Settings parsed from `yaml` (a `notifications:` document), failing the test's expectation
/// with the problems when they do not parse.
func settings(_ yaml: String, baseDirectory: String? = nil) throws -> NotificationSettings {
    try NotificationSettings.parse(yaml: yaml, source: "test.yml", baseDirectory: baseDirectory)
}

/// The problems `yaml` has, as text (empty when it parses).
func problems(_ yaml: String, baseDirectory: String? = nil) -> String {
    do {
        _ = try NotificationSettings.parse(yaml: yaml, source: "test.yml", baseDirectory: baseDirectory)
        return ""
    } catch {
        return error.description
    }
}

/// A fresh temporary directory.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("notify-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
