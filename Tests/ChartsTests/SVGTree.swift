import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG parsed as XML: every element with its attributes and text, in document order.
/// Parsing fails (and the test with it) when the document is not well-formed.
final class SVGTree: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""

        var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }
        func number(_ key: String) -> Double { Double(attributes[key] ?? "") ?? .nan }
    }

    private(set) var elements: [Element] = []
    private var open: [Int] = []
    private var error: (any Error)?

    static func parse(_ svg: String) throws -> SVGTree {
        let tree = SVGTree()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = tree
        guard parser.parse() else {
            throw parser.parserError ?? tree.error ?? CocoaError(.propertyListReadCorrupt)
        }
        return tree
    }

    func parser(
        _ parser: XMLParser,
        didStartElement name: String,
        namespaceURI: String?,
        qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        open.append(elements.count)
        elements.append(Element(name: name, attributes: attributes))
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        _ = open.popLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        // Text belongs to the innermost open element; <title> tooltips keep their own.
        if let index = open.last { elements[index].text += string }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { error = parseError }

    /// Elements carrying every one of `classes`.
    func with(_ classes: String...) -> [Element] {
        elements.filter { e in classes.allSatisfy { e.classes.contains($0) } }
    }

    /// Text of every `<text>` element.
    var texts: [String] { elements.filter { $0.name == "text" }.map(\.text) }

    var root: Element? { elements.first }
}
