import Foundation
import PerfReport

/// A small SVG writer: elements are appended as strings, attributes escaped.
///
/// Text is set in a monospaced font whose advance is known (DejaVu Sans Mono, 0.602 em), so
/// ``TextMetrics`` can measure labels and the layouts keep them from overlapping, as
/// swift-collections-benchmark does with fixed font metrics on Linux.
struct SVG {
    let width: Double
    let height: Double
    private(set) var body: [String] = []

    init(width: Double, height: Double) {
        self.width = width.rounded(.up)
        self.height = height.rounded(.up)
    }

    mutating func add(_ element: String) { body.append(element) }

    mutating func rect(
        x: Double,
        y: Double,
        w: Double,
        h: Double,
        fill: String,
        stroke: String? = nil,
        cls: String? = nil,
        opacity: Double? = nil,
        rx: Double = 0
    ) {
        var a = "x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(w, 0)))\" height=\"\(n(max(h, 0)))\" fill=\"\(fill)\""
        if let stroke { a += " stroke=\"\(stroke)\"" }
        if let opacity { a += " fill-opacity=\"\(n(opacity))\"" }
        if rx > 0 { a += " rx=\"\(n(rx))\"" }
        add("<rect \(a)\(Self.cls(cls))/>")
    }

    mutating func line(
        _ x1: Double,
        _ y1: Double,
        _ x2: Double,
        _ y2: Double,
        stroke: String,
        width: Double = 1,
        dash: String? = nil,
        cls: String? = nil
    ) {
        let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        add(
            "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\"\(d)\(Self.cls(cls))/>"
        )
    }

    mutating func polyline(
        _ points: [(Double, Double)],
        stroke: String,
        width: Double = 2,
        dash: String? = nil,
        cls: String? = nil,
        data: [String: String] = [:]
    ) {
        guard !points.isEmpty else { return }
        let p = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        add(
            "<polyline points=\"\(p)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\" stroke-linejoin=\"round\"\(d)\(Self.cls(cls))\(Self.data(data))/>"
        )
    }

    /// A marker: `circle` (filled), `ring` (hollow), `diamond` or `square`, with an optional tooltip.
    mutating func marker(
        _ shape: String,
        x: Double,
        y: Double,
        r: Double,
        color: String,
        cls: String? = nil,
        data: [String: String] = [:],
        title: String? = nil
    ) {
        let t = title.map { "<title>\(escape($0))</title>" } ?? ""
        let attrs = Self.cls(cls) + Self.data(data)
        switch shape {
        case "ring":
            add("<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\" fill=\"white\" stroke=\"\(color)\" stroke-width=\"2\"\(attrs)>\(t)</circle>")
        case "diamond":
            let p = "\(n(x)),\(n(y - r * 1.3)) \(n(x + r * 1.3)),\(n(y)) \(n(x)),\(n(y + r * 1.3)) \(n(x - r * 1.3)),\(n(y))"
            add("<polygon points=\"\(p)\" fill=\"\(color)\"\(attrs)>\(t)</polygon>")
        case "square":
            add("<rect x=\"\(n(x - r))\" y=\"\(n(y - r))\" width=\"\(n(2 * r))\" height=\"\(n(2 * r))\" fill=\"\(color)\"\(attrs)>\(t)</rect>")
        default:
            add("<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\" fill=\"\(color)\"\(attrs)>\(t)</circle>")
        }
    }

    /// Text; `anchor` is `start`, `middle` or `end`. `title` adds a tooltip (the full text of a truncated label).
    mutating func text(
        _ string: String,
        x: Double,
        y: Double,
        size: Double = 12,
        anchor: String = "start",
        fill: String = Palette.ink,
        weight: String? = nil,
        cls: String? = nil,
        title: String? = nil,
        rotate: Double? = nil
    ) {
        let w = weight.map { " font-weight=\"\($0)\"" } ?? ""
        let r = rotate.map { " transform=\"rotate(\(n($0)) \(n(x)) \(n(y)))\"" } ?? ""
        let t = title.map { "<title>\(escape($0))</title>" } ?? ""
        add(
            "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\"\(w)\(r)\(Self.cls(cls))>\(t)\(escape(string))</text>"
        )
    }

    /// The document, with a white background, a `<title>` and a `<desc>` for screen readers.
    func render(title: String, description: String) -> String {
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"\(TextMetrics.fontFamily)\" role=\"img\">\n"
        out += "<title>\(escape(title))</title>\n<desc>\(escape(description))</desc>\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"white\"/>\n"
        out += body.joined(separator: "\n")
        out += "\n</svg>\n"
        return out
    }

    private static func cls(_ cls: String?) -> String { cls.map { " class=\"\(escape($0))\"" } ?? "" }

    private static func data(_ data: [String: String]) -> String {
        data.sorted { $0.key < $1.key }.map { " data-\($0.key)=\"\(escape($0.value))\"" }.joined()
    }
}

/// A coordinate with at most two decimals.
func n(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let rounded = (value * 100).rounded() / 100
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.2f", rounded)
}

/// Escapes text for XML content and attribute values.
func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.append(c)
        }
    }
    return out
}

/// Text widths for the monospaced chart font.
enum TextMetrics {
    static let fontFamily = "DejaVu Sans Mono, Liberation Mono, Courier New, monospace"
    /// Advance of one character in em (DejaVu Sans Mono; Courier New is 0.600).
    static let advance = 0.602

    static func width(_ text: String, size: Double) -> Double { Double(text.count) * advance * size }

    /// `text` cut to fit `width`, ending in `…` when cut.
    static func fit(_ text: String, width: Double, size: Double) -> String {
        let capacity = Int(width / (advance * size))
        guard text.count > capacity else { return text }
        guard capacity > 1 else { return "" }
        return String(text.prefix(capacity - 1)) + "…"
    }

    /// Words broken into lines no wider than `width`; a word longer than a line is cut.
    static func wrap(_ text: String, width: Double, size: Double) -> [String] {
        let capacity = max(Int(width / (advance * size)), 1)
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if candidate.count <= capacity {
                current = candidate
            } else {
                if !current.isEmpty { lines.append(current) }
                current = fit(String(word), width: width, size: size)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}

/// Okabe & Ito's colour-blind-safe palette, with fixed roles.
enum Palette {
    static let ink = "#222222"
    static let grid = "#dddddd"
    static let axis = "#666666"
    static let muted = "#777777"
    static let orange = "#E69F00"
    static let skyBlue = "#56B4E9"
    static let bluishGreen = "#009E73"
    static let yellow = "#F0E442"
    static let blue = "#0072B2"
    static let vermillion = "#D55E00"
    static let reddishPurple = "#CC79A7"
    static let black = "#000000"

    static let baseline = blue
    static let current = orange
    static let regression = vermillion
    static let improvement = bluishGreen

    /// Series colours in order; yellow is left out, too pale for lines on white.
    static let series = [blue, orange, bluishGreen, vermillion, reddishPurple, skyBlue, black]

    static func series(_ index: Int) -> String { series[index % series.count] }
}
