import Foundation

/// A flame graph: stacks merged into a tree, each frame as wide as its samples, the root at the
/// bottom, the callees above their caller (Brendan Gregg's layout, drawn in pure Swift).
///
/// Frames narrower than ``minimumWidth`` are left out (their samples still count in their
/// parent), a label is cut to its frame (`…`) and dropped when not even three characters fit,
/// and every frame keeps its full name, samples and share in a tooltip. Colours go by module:
/// the part of a Swift name before its first `.` (`Gateway`, `NIOPosix`), one warm hue each;
/// native and kernel frames (`[libc.so.6]`, C names) share one grey-blue.
public struct FlameGraph: Sendable {
    /// One frame of the merged tree: its samples and its callees.
    public final class Node: Sendable {
        public let name: String
        public let samples: Int
        public let children: [Node]

        init(name: String, samples: Int, children: [Node]) {
            self.name = name
            self.samples = samples
            self.children = children
        }
    }

    public let root: Node
    public let title: String
    public static let width = 1200.0
    static let rowHeight = 17.0
    static let fontSize = 11.0
    static let margin = 10.0
    static let header = 40.0
    /// Frames narrower than this many pixels are not drawn.
    public static let minimumWidth = 0.5

    /// Merges `stacks` (each root first, with its samples) under a root named `title`.
    public init(stacks: [(frames: [String], samples: Int)], title: String) {
        self.title = title
        root = Self.merge(stacks.filter { $0.samples > 0 }, name: "all")
    }

    /// From collapsed-stack text (`a;b;c 12` per line); lines that are not such are skipped.
    public init(collapsed text: String, title: String) {
        var stacks: [(frames: [String], samples: Int)] = []
        for line in text.split(separator: "\n") {
            guard let space = line.lastIndex(of: " "), let count = Int(line[line.index(after: space)...]) else { continue }
            stacks.append((line[..<space].split(separator: ";").map(String.init), count))
        }
        self.init(stacks: stacks, title: title)
    }

    private static func merge(_ stacks: [(frames: [String], samples: Int)], name: String) -> Node {
        var groups: [String: [(frames: [String], samples: Int)]] = [:]
        var order: [String] = []
        var total = 0
        for stack in stacks {
            total += stack.samples
            guard let first = stack.frames.first else { continue }
            if groups[first] == nil { order.append(first) }
            groups[first, default: []].append((Array(stack.frames.dropFirst()), stack.samples))
        }
        // Callees in name order, as flame graphs sort them (the x axis is not time).
        let children = order.sorted().map { merge(groups[$0] ?? [], name: $0) }
        return Node(name: name, samples: total, children: children)
    }

    /// The deepest stack's length, the root included.
    public var depth: Int { Self.depth(root) }

    private static func depth(_ node: Node) -> Int { 1 + (node.children.map(depth).max() ?? 0) }

    /// The module a frame's colour goes by: a Swift name's first component (of the function a
    /// closure, specialization or async part is `in`, `of` or `for`), else `native`.
    public static func module(of name: String) -> String {
        if name.hasPrefix("[") || name.hasPrefix("_") { return "native" }
        var name = Substring(name)
        for separator in [" in ", " of ", " for "] {
            if let range = name.range(of: separator, options: .backwards) { name = name[range.upperBound...] }
        }
        if name.hasPrefix("conformance ") { name = name.dropFirst("conformance ".count) }
        let head = name.prefix { $0 != "." && $0 != "(" && $0 != " " && $0 != "<" }
        guard head.count < name.count, name[head.endIndex] == ".", let first = head.first, first.isUppercase else {
            return "native"
        }
        return String(head)
    }

    /// A warm colour for `module` (stable: a hash of its name picks the hue), grey-blue for native.
    static func colour(_ module: String) -> String {
        if module == "native" { return "#8fa7c2" }
        var hash: UInt32 = 2_166_136_261
        for byte in module.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let red = 205 + Int(hash % 50)
        let green = 80 + Int((hash >> 8) % 120)
        let blue = 40 + Int((hash >> 16) % 50)
        return "rgb(\(red),\(green),\(blue))"
    }

    /// The SVG document.
    public func svg() -> String {
        let rows = Double(depth)
        let height = Self.header + rows * Self.rowHeight + Self.margin
        var svg = SVG(width: Self.width, height: height)
        svg.text(title, x: Self.width / 2, y: 24, size: 16, anchor: "middle", weight: "bold")
        let scale = root.samples > 0 ? (Self.width - 2 * Self.margin) / Double(root.samples) : 0
        draw(root, x: Self.margin, level: 0, scale: scale, bottom: height - Self.margin, into: &svg)
        let description =
            "Flame graph of \(root.samples) samples: each frame is as wide as the samples in it and its callees, "
            + "the root at the bottom."
        return svg.render(title: title, description: description)
    }

    private func draw(_ node: Node, x: Double, level: Int, scale: Double, bottom: Double, into svg: inout SVG) {
        let width = Double(node.samples) * scale
        guard width >= Self.minimumWidth else { return }
        let y = bottom - Double(level + 1) * Self.rowHeight
        let share = root.samples > 0 ? Double(node.samples) / Double(root.samples) * 100 : 0
        let tooltip = "\(node.name) (\(node.samples) samples, \(format(share))%)"
        svg.add("<g><title>\(escape(tooltip))</title>")
        let fill = Self.colour(Self.module(of: node.name))
        svg.add(
            "<rect class=\"frame\" data-name=\"\(escape(node.name))\" data-samples=\"\(node.samples)\" x=\"\(n(x))\" y=\"\(n(y))\" "
                + "width=\"\(n(max(width - 0.5, 0)))\" height=\"\(n(Self.rowHeight - 1))\" fill=\"\(fill)\" rx=\"2\"/>"
        )
        let room = width - 6
        if room >= TextMetrics.width("abc", size: Self.fontSize) {
            let label = TextMetrics.fit(node.name, width: room, size: Self.fontSize)
            svg.text(label, x: x + 3, y: y + Self.rowHeight - 5, size: Self.fontSize, cls: "label")
        }
        svg.add("</g>")
        var childX = x
        for child in node.children {
            draw(child, x: childX, level: level + 1, scale: scale, bottom: bottom, into: &svg)
            childX += Double(child.samples) * scale
        }
    }

    private func format(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
