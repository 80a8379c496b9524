import Foundation
import Testing

@testable import Charts

/// The flame graph `profile --format svg` draws: well-formed, frames sized by samples, labels inside their frames.
struct FlameGraphTests {
    static let stacks: [(frames: [String], samples: Int)] = [
        (["worker", "main", "Gateway.work()", "Gateway.plantedHotSpin()"], 70),
        (["worker", "main", "Gateway.work()", "NIOCore.ByteBuffer.write()"], 20),
        (["worker", "main", "[libc.so.6]"], 7),
        (["worker", "main", "Gateway.work()", "tiny"], 0),
        (["io", "epoll_wait"], 3),
    ]

    static func frames(_ tree: SVGTree) -> [SVGTree.Element] { tree.elements.filter { $0.classes.contains("frame") } }

    @Test func framesAreAsWideAsTheirSamplesAndThePlantedFunctionIsTheWidestUnderItsParent() throws {
        let graph = FlameGraph(stacks: Self.stacks, title: "CPU profile")
        #expect(graph.root.samples == 100)
        #expect(graph.depth == 5)
        let tree = try SVGTree.parse(graph.svg())
        #expect(tree.root?.name == "svg")
        let frames = Self.frames(tree)
        let byName = Dictionary(frames.map { ($0.attributes["data-name"] ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        let planted = try #require(byName["Gateway.plantedHotSpin()"])
        let sibling = try #require(byName["NIOCore.ByteBuffer.write()"])
        let parent = try #require(byName["Gateway.work()"])
        #expect(planted.number("width") > sibling.number("width"))
        #expect(planted.attributes["data-samples"] == "70")
        // 70 of 100 samples over 1180 px, less the half-pixel gap.
        #expect(abs(planted.number("width") - (1180 * 0.7 - 0.5)) < 0.01)
        // A callee sits one row above its caller, within its span.
        #expect(planted.number("y") < parent.number("y"))
        #expect(planted.number("x") >= parent.number("x"))
        #expect(planted.number("x") + planted.number("width") <= parent.number("x") + parent.number("width") + 0.01)
        // A stack without samples draws nothing.
        #expect(byName["tiny"] == nil)
        // Every frame has its full name, samples and share in a tooltip.
        #expect(tree.elements.contains { $0.name == "title" && $0.text == "Gateway.plantedHotSpin() (70 samples, 70%)" })
    }

    @Test func labelsFitInsideTheirFramesSoTheyNeverOverlap() throws {
        let tree = try SVGTree.parse(FlameGraph(stacks: Self.stacks, title: "CPU profile").svg())
        let frames = Self.frames(tree)
        let labels = tree.with("label")
        #expect(!labels.isEmpty)
        for label in labels {
            let width = TextMetrics.width(label.text, size: label.number("font-size"))
            let x = label.number("x")
            let frame = try #require(
                frames.first { abs($0.number("x") + 3 - x) < 0.01 && abs($0.number("y") + FlameGraph.rowHeight - 5 - label.number("y")) < 0.01 }
            )
            #expect(x + width <= frame.number("x") + frame.number("width"), "label \(label.text) overflows its frame")
        }
        // The narrow frames (3 samples: 35 px) still get a cut label; none is empty.
        #expect(labels.allSatisfy { !$0.text.isEmpty })
    }

    @Test func coloursGoByModule() throws {
        #expect(FlameGraph.module(of: "Gateway.RelayExchange.upstreamEnd()") == "Gateway")
        #expect(FlameGraph.module(of: "NIOPosix.SelectableEventLoop.run()") == "NIOPosix")
        #expect(FlameGraph.module(of: "protocol witness for NIOCore.ChannelHandler.read() in conformance Gateway.Relay") == "Gateway")
        #expect(FlameGraph.module(of: "[libc.so.6]") == "native")
        #expect(FlameGraph.module(of: "epoll_wait") == "native")
        #expect(FlameGraph.module(of: "closure #1 in Gateway.work()") == "Gateway")
        #expect(FlameGraph.module(of: "(1) suspend resume partial function for NIOPosix.run()") == "NIOPosix")
        let tree = try SVGTree.parse(FlameGraph(stacks: Self.stacks, title: "CPU profile").svg())
        let fill = Dictionary(
            Self.frames(tree).map { ($0.attributes["data-name"] ?? "", $0.attributes["fill"] ?? "") },
            uniquingKeysWith: { a, _ in a }
        )
        #expect(fill["Gateway.work()"] == fill["Gateway.plantedHotSpin()"])
        #expect(fill["Gateway.work()"] != fill["NIOCore.ByteBuffer.write()"])
        #expect(fill["[libc.so.6]"] == fill["epoll_wait"])
    }

    @Test func collapsedTextReadsAsTheSameStacks() {
        let text = "worker;main;Gateway.work() 5\nworker;main 2\nnot a line\n"
        let graph = FlameGraph(collapsed: text, title: "t")
        #expect(graph.root.samples == 7)
        #expect(graph.root.children.map(\.name) == ["worker"])
        #expect(graph.root.children.first?.children.first?.children.map(\.samples) == [5])
    }
}
