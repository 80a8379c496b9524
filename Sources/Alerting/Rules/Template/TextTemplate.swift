/// A compiled Go text/template as Prometheus uses them in alert labels and annotations, with
/// `$labels`, `$externalLabels`, `$externalURL` and `$value` predeclared and `missingkey=zero`.
struct TextTemplate: Sendable {
    /// The variables Prometheus defines before every alert template.
    static let predeclared = ["$labels", "$externalLabels", "$externalURL", "$value"]

    let name: String
    let text: String
    private let nodes: [TemplateNode]

    /// Parses `text`; `name` appears in messages, as `__alert_<AlertName>` in Prometheus.
    init(_ text: String, name: String) throws(TemplateError) {
        self.name = name
        self.text = text
        var parser = TemplateParser(name: name, predeclared: TextTemplate.predeclared)
        nodes = try parser.parse(text)
    }

    /// Whether the text has no actions or comments, so expanding it returns it unchanged.
    var isPlainText: Bool {
        !text.contains("{{")
    }

    /// Expands the template for one alert; errors come back in Prometheus' `<error expanding template: …>` form.
    func expand(data: AlertTemplateData, environment: TemplateEnvironment) -> String {
        if isPlainText { return text }
        do {
            return try execute(data: data, environment: environment)
        } catch {
            return "<error expanding template: error executing template \(name): \(error.message)>"
        }
    }

    func execute(data: AlertTemplateData, environment: TemplateEnvironment) throws(TemplateError) -> String {
        let root = data.value
        var executor = TemplateExecutor(
            templateName: name,
            environment: environment,
            variables: [
                ("$", root), ("$labels", .stringMap(data.labels)), ("$externalLabels", .stringMap(data.externalLabels)),
                ("$externalURL", .string(data.externalURL)), ("$value", .float(data.sampleValue)),
            ]
        )
        try executor.run(nodes, dot: root)
        return executor.output
    }
}

/// The data an alert template sees as `.`: `.Labels`, `.ExternalLabels`, `.ExternalURL`, `.Value`.
struct AlertTemplateData: Sendable {
    var labels: [String: String]
    var externalLabels: [String: String]
    var externalURL: String
    var sampleValue: Double

    var value: TemplateValue {
        .record(
            typeName: "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }",
            fields: [
                ("Labels", .stringMap(labels)), ("ExternalLabels", .stringMap(externalLabels)),
                ("ExternalURL", .string(externalURL)), ("Value", .float(sampleValue)),
            ]
        )
    }
}

/// Runs parsed template nodes, writing to `output`.
struct TemplateExecutor {
    let templateName: String
    let environment: TemplateEnvironment
    var variables: [(String, TemplateValue)]
    var output = ""

    mutating func run(_ nodes: [TemplateNode], dot: TemplateValue) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .action(let pipeline):
                let value = try evaluate(pipeline, dot: dot)
                if pipeline.variables.isEmpty { output += value.printed }
            case .conditional(let kind, let pipeline, let body, let otherwise):
                let mark = variables.count
                defer { variables.removeLast(variables.count - mark) }
                try runConditional(kind, pipeline, body, otherwise, dot: dot)
            }
        }
    }

    private mutating func runConditional(
        _ kind: TemplateNode.ControlKind,
        _ pipeline: TemplatePipeline,
        _ body: [TemplateNode],
        _ otherwise: [TemplateNode]?,
        dot: TemplateValue
    ) throws(TemplateError) {
        switch kind {
        case .if:
            let value = try evaluate(pipeline, dot: dot)
            if value.isTruthy {
                try run(body, dot: dot)
            } else if let otherwise {
                try run(otherwise, dot: dot)
            }
        case .with:
            let value = try evaluate(pipeline, dot: dot)
            if value.isTruthy {
                try run(body, dot: value)
            } else if let otherwise {
                try run(otherwise, dot: dot)
            }
        case .range:
            var rangePipeline = pipeline
            let names = rangePipeline.variables
            rangePipeline.variables = []
            let collection = try evaluate(rangePipeline, dot: dot)
            let elements: [(TemplateValue, TemplateValue)]
            switch collection {
            case .list(let items): elements = items.enumerated().map { (.int($0.offset), $0.element) }
            case .stringMap(let map):
                elements = map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { (.string($0), .string(map[$0] ?? "")) }
            case .null: elements = []
            default:
                let last = pipeline.commands[pipeline.commands.count - 1]
                throw failure(last.sites.last ?? last.site, "range can't iterate over \(collection.printed)")
            }
            if elements.isEmpty {
                if let otherwise { try run(otherwise, dot: dot) }
                return
            }
            for (key, element) in elements {
                let mark = variables.count
                if names.count == 1 { variables.append((names[0], element)) }
                if names.count == 2 {
                    variables.append((names[0], key))
                    variables.append((names[1], element))
                }
                try run(body, dot: element)
                variables.removeLast(variables.count - mark)
            }
        }
    }

    /// Go's execution error: `template: NAME:LINE:COL: executing "NAME" at <NODE>: MESSAGE`.
    private func failure(_ site: TemplateSite, _ message: String) -> TemplateError {
        TemplateError(
            "template: \(templateName):\(site.location): executing \(GoQuote.quote(templateName)) at <\(site.printed)>: \(message)"
        )
    }

    mutating func evaluate(_ pipeline: TemplatePipeline, dot: TemplateValue) throws(TemplateError) -> TemplateValue {
        var value: TemplateValue?
        for command in pipeline.commands {
            value = try evaluateCommand(command, dot: dot, piped: value)
        }
        let result = value ?? .null
        if pipeline.isDeclaration {
            for name in pipeline.variables { variables.append((name, result)) }
        } else {
            for name in pipeline.variables {
                if let index = variables.lastIndex(where: { $0.0 == name }) { variables[index].1 = result }
            }
        }
        return result
    }

    private mutating func evaluateCommand(
        _ command: TemplateCommand,
        dot: TemplateValue,
        piped: TemplateValue?
    ) throws(TemplateError) -> TemplateValue {
        let operands = command.operands
        let sites = command.sites.count == operands.count ? command.sites : Array(repeating: command.site, count: operands.count)
        if case .function(let name) = operands[0] {
            return try call(
                name,
                Array(zip(operands.dropFirst(), sites.dropFirst())),
                identifier: sites[0],
                command: command.site,
                dot: dot,
                piped: piped
            )
        }
        if operands.count > 1 || piped != nil {
            throw failure(command.site, "can't give argument to non-function \(command.printed)")
        }
        return try evaluateOperand(operands[0], dot: dot, site: sites[0])
    }

    /// Go's `evalCall`: the argument count is checked at the function's name, each argument against its
    /// parameter's type at the argument, and what the function itself returns as an error at the command.
    private mutating func call(
        _ name: String,
        _ arguments: [(TemplateOperand, TemplateSite)],
        identifier: TemplateSite,
        command: TemplateSite,
        dot: TemplateValue,
        piped: TemplateValue?
    ) throws(TemplateError) -> TemplateValue {
        let signature = TemplateFunctions.signature(name)
        let parameters = signature.parameters
        let count = arguments.count + (piped == nil ? 0 : 1)
        var fixed = arguments.count
        if signature.variadic {
            fixed = parameters.count - 1
            if count < fixed {
                throw failure(identifier, "wrong number of args for \(name): want at least \(fixed) got \(arguments.count)")
            }
        } else if count != parameters.count {
            throw failure(identifier, "wrong number of args for \(name): want \(parameters.count) got \(count)")
        }
        let parameter = { (index: Int) -> TemplateParameter in
            index < fixed ? parameters[index] : parameters[parameters.count - 1]
        }
        var site = identifier
        if name == "and" || name == "or" {
            // Go 1.18+ stops at the first argument that decides the result.
            var value = TemplateValue.null
            for (operand, argumentSite) in arguments {
                site = argumentSite
                value = try evaluateArgument(operand, as: .any, dot: dot, site: site)
                if value.isTruthy == (name == "or") { return value }
            }
            return piped ?? value
        }
        var values: [TemplateValue] = []
        for (index, (operand, argumentSite)) in arguments.enumerated() {
            site = argumentSite
            values.append(try evaluateArgument(operand, as: parameter(index), dot: dot, site: site))
        }
        if let piped { values.append(try validate(piped, as: parameter(arguments.count), site: site)) }
        do {
            return try TemplateFunctions.call(name, values, environment)
        } catch {
            throw failure(command, "error calling \(name): \(error.message)")
        }
    }

    /// Go's `evalArg`: a literal must fit the parameter as written, anything else is evaluated and checked.
    private mutating func evaluateArgument(
        _ operand: TemplateOperand,
        as parameter: TemplateParameter,
        dot: TemplateValue,
        site: TemplateSite
    ) throws(TemplateError) -> TemplateValue {
        switch (operand, parameter) {
        case (.string, .any), (.number, .any), (.bool, .any), (.null, .any), (.string, .string):
            return try evaluateOperand(operand, dot: dot, site: site)
        case (.null, .string):
            throw failure(site, "cannot assign nil to string")
        case (.null, .queryResult):
            return .list([])
        case (.null, .sample):
            return .null
        case (.string, _), (.number, _), (.bool, _):
            if parameter == .string { throw failure(site, "expected string; found \(site.printed)") }
            throw failure(site, "can't handle \(site.printed) for arg of type \(parameter.typeName)")
        default:
            return try validate(evaluateOperand(operand, dot: dot, site: site), as: parameter, site: site)
        }
    }

    /// Go's `validateType`: an evaluated value must have the parameter's type.
    private func validate(_ value: TemplateValue, as parameter: TemplateParameter, site: TemplateSite) throws(TemplateError) -> TemplateValue {
        switch (parameter, value) {
        case (.any, _), (.string, .string), (.queryResult, .list), (.sample, .null):
            return value
        case (.queryResult, .null):
            return .list([])
        case (.string, .null):
            throw failure(site, "invalid value; expected string")
        case (.sample, .record(let typeName, _)) where typeName == TemplateParameter.sample.typeName:
            return value
        default:
            throw failure(site, "wrong type for value; expected \(parameter.typeName); got \(value.typeName)")
        }
    }

    private mutating func evaluateOperand(
        _ operand: TemplateOperand,
        dot: TemplateValue,
        site: TemplateSite
    ) throws(TemplateError) -> TemplateValue {
        switch operand {
        case .dot: return dot
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .string(let text): return .string(text)
        case .number(let value, let isFloat): return isFloat ? .float(value) : .int(Int(value))
        case .field(let chain): return try fields(chain, of: dot, site: site)
        case .variable(let name, let chain):
            guard let value = variables.last(where: { $0.0 == name })?.1 else {
                throw failure(site, "undefined variable: \(name)")
            }
            return try fields(chain, of: value, site: site)
        case .function(let name):
            return try call(name, [], identifier: site, command: site, dot: dot, piped: nil)
        case .parenthesized(let inner, let chain):
            return try fields(chain, of: evaluate(inner, dot: dot), site: site)
        }
    }

    private func fields(_ chain: [String], of value: TemplateValue, site: TemplateSite) throws(TemplateError) -> TemplateValue {
        var current = value
        for field in chain {
            switch current {
            case .stringMap(let map):
                current = .string(map[field] ?? "")
            case .record(let typeName, let fields):
                if let next = fields.first(where: { $0.0 == field })?.1 {
                    current = next
                } else if typeName.hasPrefix("map[") {
                    // A missing key of a map of interfaces is nil (`missingkey=zero`).
                    current = .null
                } else {
                    throw failure(site, "can't evaluate field \(field) in type \(typeName)")
                }
            case .null:
                throw failure(site, "nil pointer evaluating interface {}.\(field)")
            default:
                throw failure(site, "can't evaluate field \(field) in type \(current.typeName)")
            }
        }
        return current
    }
}
