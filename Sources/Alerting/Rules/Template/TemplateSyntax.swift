import Foundation

/// The parsed form of a Go text/template, restricted to what Prometheus rule templates use: text, actions
/// with pipelines, variables, `if`/`else if`/`else`, `range` and `with`.
indirect enum TemplateNode: Sendable {
    case text(String)
    case action(TemplatePipeline)
    case conditional(kind: ControlKind, pipeline: TemplatePipeline, body: [TemplateNode], otherwise: [TemplateNode]?)

    enum ControlKind: String, Sendable {
        case `if`, range, with
    }
}

/// `$x := cmd arg | cmd arg`: optional variable declarations and piped commands.
struct TemplatePipeline: Sendable {
    var variables: [String] = []
    var isDeclaration = true
    var commands: [TemplateCommand] = []

    /// Go's `PipeNode.String()`.
    var printed: String {
        let declaration = variables.isEmpty ? "" : variables.joined(separator: ", ") + (isDeclaration ? " := " : " = ")
        return declaration + commands.map(\.printed).joined(separator: " | ")
    }
}

/// One command of a pipeline, with where it stands for error messages.
struct TemplateCommand: Sendable {
    var operands: [TemplateOperand]
    /// Go's `CommandNode.String()`, e.g. `humanize "x"`.
    var printed: String
    /// `line:column` as Go reports it (column 0-based), counted in Prometheus' full template text.
    var location: String
    /// Where each operand stands, for errors Go reports at an argument rather than at the command.
    var sites: [TemplateSite] = []

    /// The whole command as an error site.
    var site: TemplateSite { TemplateSite(location: location, printed: printed) }
}

/// A node of a template as Go's execution errors name it: `template: NAME:LOCATION: executing … at <PRINTED>`.
struct TemplateSite: Sendable {
    /// `line:column` as Go reports it.
    var location: String
    /// Go's `Node.String()` of the node.
    var printed: String
}

/// One operand of a command.
indirect enum TemplateOperand: Sendable {
    case dot
    case null
    case bool(Bool)
    /// A number literal: `isFloat` when written with `.`, `e` or `p` (Go then makes it a float64).
    case number(Double, isFloat: Bool)
    case string(String)
    /// `.A.B` on dot.
    case field([String])
    /// `$x.A.B`.
    case variable(String, fields: [String])
    /// A function name.
    case function(String)
    /// `(pipeline).A.B`.
    case parenthesized(TemplatePipeline, fields: [String])
}

/// Splits template text into nodes and parses actions, checking function names and variables as Go
/// does at parse time.
struct TemplateParser {
    private enum Piece {
        case text(String)
        /// An action's content and the byte offset where it starts.
        case action(String, offset: Int)
    }

    /// What Prometheus puts before every alert template: `{{$labels := .Labels}}…{{$value := .Value}}`.
    static let prefixLength = 112

    private let name: String
    private var text = ""
    private var pieces: [Piece] = []
    private var index = 0
    private var scopes: [[String]]

    init(name: String, predeclared: [String]) {
        self.name = name
        scopes = [["$"] + predeclared]
    }

    mutating func parse(_ text: String) throws(TemplateError) -> [TemplateNode] {
        self.text = text
        pieces = try TemplateParser.split(text, name: name)
        index = 0
        let (nodes, terminator) = try parseList()
        if let terminator { throw error("unexpected {{\(terminator)}}") }
        return nodes
    }

    private var currentOffset = 0

    private func error(_ message: String) -> TemplateError {
        TemplateError("template: \(name):\(location(of: currentOffset).line): \(message)")
    }

    /// Go's position: 1-based line and 0-based byte column in Prometheus' full template text.
    private func location(of offset: Int) -> (line: Int, column: Int) {
        let bytes = Array(text.utf8)
        var line = 1
        var lineStart = -TemplateParser.prefixLength
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart)
    }

    /// Nodes up to `{{end}}` or `{{else…}}`; returns which keyword stopped the list (nil at the end).
    private mutating func parseList() throws(TemplateError) -> ([TemplateNode], String?) {
        var nodes: [TemplateNode] = []
        while index < pieces.count {
            let piece = pieces[index]
            index += 1
            switch piece {
            case .text(let text):
                nodes.append(.text(text))
            case .action(let source, let offset):
                currentOffset = offset
                var tokens = try TemplateTokenizer.tokens(source, base: offset, templateName: name)
                guard let first = tokens.first else { throw error("missing value for command") }
                if case .word(let word) = first.token {
                    switch word {
                    case "end":
                        return (nodes, "end")
                    case "else":
                        tokens.removeFirst()
                        if tokens.isEmpty { return (nodes, "else") }
                        guard case .word("if") = tokens[0].token else { throw error("unexpected \(source) in else") }
                        tokens.removeFirst()
                        // `else if` is an `if` nested in the else branch that shares the outer `end`.
                        let node = try parseControl(.if, tokens)
                        return (nodes + [node], "else-if")
                    case "if", "range", "with":
                        tokens.removeFirst()
                        let kind = TemplateNode.ControlKind(rawValue: word) ?? .if
                        nodes.append(try parseControl(kind, tokens))
                        continue
                    case "define", "template", "block", "break", "continue":
                        throw error("{{\(word)}} is not supported in alert templates by the embedded evaluator")
                    default:
                        break
                    }
                }
                nodes.append(.action(try parsePipeline(tokens)))
            }
        }
        return (nodes, nil)
    }

    private mutating func parseControl(
        _ kind: TemplateNode.ControlKind,
        _ tokens: [PlacedToken]
    ) throws(TemplateError) -> TemplateNode {
        scopes.append([])
        defer { scopes.removeLast() }
        let pipeline = try parsePipeline(tokens)
        let (body, terminator) = try parseList()
        var otherwise: [TemplateNode]?
        switch terminator {
        case "end":
            break
        case "else":
            let (elseBody, elseTerminator) = try parseList()
            guard elseTerminator == "end" else { throw error("unexpected EOF") }
            otherwise = elseBody
        case "else-if":
            // The nested `if` consumed everything up to the shared `end`: it is the last node of `body`.
            var nested = body
            let chained = nested.removeLast()
            return .conditional(kind: kind, pipeline: pipeline, body: nested, otherwise: [chained])
        default:
            throw error("unexpected EOF")
        }
        return .conditional(kind: kind, pipeline: pipeline, body: body, otherwise: otherwise)
    }

    private mutating func parsePipeline(_ tokens: [PlacedToken]) throws(TemplateError) -> TemplatePipeline {
        var pipeline = TemplatePipeline()
        var rest = tokens[...]
        // Declarations: `$x :=`, `$x, $y :=` or `$x =`.
        if let assignIndex = rest.firstIndex(where: { $0.token == .declare || $0.token == .assign }) {
            let head = rest[..<assignIndex]
            let names = head.compactMap { placed -> String? in
                if case .variable(let name, let fields) = placed.token, fields.isEmpty { return name }
                return nil
            }
            let commas = head.filter { $0.token == .comma }.count
            if names.count == commas + 1, names.count + commas == head.count, names.count <= 2 {
                pipeline.isDeclaration = rest[assignIndex].token == .declare
                pipeline.variables = names
                rest = rest[(assignIndex + 1)...]
                if !pipeline.isDeclaration {
                    for variable in names where !isDeclared(variable) { throw error("undefined variable \(GoQuote.quote(variable))") }
                }
            }
        }
        var operands: [TemplateOperand] = []
        var printed: [String] = []
        var sites: [TemplateSite] = []
        var commandOffset = rest.first?.offset ?? currentOffset
        func finish() throws(TemplateError) {
            guard !operands.isEmpty else { throw error("missing value for command") }
            let (line, column) = location(of: commandOffset)
            pipeline.commands.append(
                TemplateCommand(operands: operands, printed: printed.joined(separator: " "), location: "\(line):\(column)", sites: sites)
            )
            operands = []
            printed = []
            sites = []
        }
        func site(_ offset: Int, _ text: String) -> TemplateSite {
            let (line, column) = location(of: offset)
            return TemplateSite(location: "\(line):\(column)", printed: text)
        }
        var position = rest.startIndex
        while position < rest.endIndex {
            let placed = rest[position]
            position += 1
            if operands.isEmpty { commandOffset = placed.offset }
            switch placed.token {
            case .pipe:
                try finish()
            case .leftParen:
                var depth = 1
                let start = position
                while position < rest.endIndex, depth > 0 {
                    if rest[position].token == .leftParen { depth += 1 }
                    if rest[position].token == .rightParen { depth -= 1 }
                    position += 1
                }
                guard depth == 0 else { throw error("unclosed left paren") }
                let inner = try parsePipeline(Array(rest[start..<(position - 1)]))
                // Go places a parenthesized pipeline at its first token, and a field chain on it at the field.
                var innerSite = site(start < position - 1 ? rest[start].offset : placed.offset, inner.printed)
                var fields: [String] = []
                if position < rest.endIndex, case .field(let chain) = rest[position].token {
                    fields = chain
                    innerSite = site(rest[position].offset, "(\(inner.printed))" + fields.map { "." + $0 }.joined())
                    position += 1
                }
                operands.append(.parenthesized(inner, fields: fields))
                printed.append("(\(inner.printed))" + fields.map { "." + $0 }.joined())
                sites.append(innerSite)
            case .rightParen:
                throw error("unexpected right paren")
            default:
                operands.append(try operand(placed.token))
                printed.append(placed.text)
                // Go places `$x.a.b` at its first field.
                var offset = placed.offset
                if case .variable(_, let fields) = placed.token, !fields.isEmpty, let dot = placed.text.utf8.firstIndex(of: UInt8(ascii: ".")) {
                    offset += placed.text.utf8.distance(from: placed.text.utf8.startIndex, to: dot)
                }
                sites.append(site(offset, placed.text))
            }
        }
        try finish()
        if pipeline.isDeclaration {
            scopes[scopes.count - 1] += pipeline.variables
        }
        return pipeline
    }

    private func isDeclared(_ variable: String) -> Bool {
        scopes.contains { $0.contains(variable) }
    }

    private func operand(_ token: TemplateToken) throws(TemplateError) -> TemplateOperand {
        switch token {
        case .dot: return .dot
        case .field(let chain): return .field(chain)
        case .string(let text): return .string(text)
        case .number(let value, let isFloat): return .number(value, isFloat: isFloat)
        case .variable(let variable, let fields):
            guard isDeclared(variable) else { throw error("undefined variable \(GoQuote.quote(variable))") }
            return .variable(variable, fields: fields)
        case .word(let word):
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "nil": return .null
            default:
                guard TemplateFunctions.names.contains(word) else {
                    throw error("function \(GoQuote.quote(word)) not defined")
                }
                return .function(word)
            }
        default:
            throw error("unexpected token in command")
        }
    }

    /// Splits text and `{{…}}` actions, applying `{{- ` and ` -}}` whitespace trimming and dropping comments.
    private static func split(_ text: String, name: String) throws(TemplateError) -> [Piece] {
        let utf8Start = text.utf8.startIndex
        var pieces: [Piece] = []
        var rest = Substring(text)
        var trimNextText = false
        while true {
            guard let open = rest.range(of: "{{") else {
                let tail = trimNextText ? Substring(rest.drop { $0.isWhitespace }) : rest
                if !tail.isEmpty { pieces.append(.text(String(tail))) }
                return pieces
            }
            var before = rest[..<open.lowerBound]
            if trimNextText { before = before.drop { $0.isWhitespace } }
            var inside = rest[open.upperBound...]
            if inside.hasPrefix("- ") || inside.hasPrefix("-\t") || inside.hasPrefix("-\n") || inside.hasPrefix("-\r") {
                while let last = before.last, last.isWhitespace { before = before.dropLast() }
                inside = inside.dropFirst(2)
            }
            if !before.isEmpty { pieces.append(.text(String(before))) }
            let (content, afterClose, trimRight) = try closeAction(inside, name: name)
            let trimmed = content.trimmingCharacters(in: .whitespacesAndNewlines)
            if !(trimmed.hasPrefix("/*") && trimmed.hasSuffix("*/")) {
                let offset = text.utf8.distance(from: utf8Start, to: content.startIndex.samePosition(in: text.utf8) ?? utf8Start)
                pieces.append(.action(String(content), offset: offset))
            }
            trimNextText = trimRight
            rest = afterClose
        }
    }

    /// Finds the `}}` closing an action, skipping quoted strings; reports ` -}}` trimming.
    private static func closeAction(_ text: Substring, name: String) throws(TemplateError) -> (Substring, Substring, Bool) {
        var position = text.startIndex
        var quote: Character?
        while position < text.endIndex {
            let character = text[position]
            if let open = quote {
                if character == "\\" && open != "`" {
                    position = text.index(after: position)
                } else if character == open {
                    quote = nil
                }
            } else if character == "\"" || character == "`" || character == "'" {
                quote = character
            } else if text[position...].hasPrefix("}}") {
                var content = text[..<position]
                var trimRight = false
                if content.hasSuffix(" -") || content.hasSuffix("\t-") || content.hasSuffix("\n-") {
                    content = content.dropLast(2)
                    trimRight = true
                }
                return (content, text[text.index(position, offsetBy: 2)...], trimRight)
            }
            if position < text.endIndex { position = text.index(after: position) }
        }
        throw TemplateError("template: \(name):1: unclosed action")
    }
}
