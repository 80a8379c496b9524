import Foundation
import Testing

/// A checker for the subset of JSON Schema 2020-12 that `docs/report-schema.json` uses:
/// `type`, `required`, `properties`, `additionalProperties`, `items`, `$ref` to `#/$defs/…`,
/// `enum`, `const`, `minItems`, `minLength` and `minimum`. Any other keyword in the schema is
/// reported as a problem, so the schema cannot quietly outgrow what the tests check.
struct SchemaChecker {
    let root: [String: Any]

    private static let understood: Set<String> = [
        "$schema", "title", "description", "format", "$defs",
        "type", "required", "properties", "additionalProperties", "items", "$ref",
        "enum", "const", "minItems", "minLength", "minimum",
    ]

    init(schema: Data) throws {
        root = try #require(try JSONSerialization.jsonObject(with: schema) as? [String: Any])
    }

    /// Every violation of the schema by `instance`, as `path: problem` lines; empty when valid.
    func problems(in instance: Any) -> [String] {
        check(instance, against: root, at: "$")
    }

    private func check(_ value: Any, against schema: [String: Any], at path: String) -> [String] {
        var problems = schema.keys.filter { !Self.understood.contains($0) }.map { "\(path): schema keyword \($0) not supported by the checker" }
        if let reference = schema["$ref"] as? String {
            let name = reference.replacingOccurrences(of: "#/$defs/", with: "")
            guard let definitions = root["$defs"] as? [String: Any], let target = definitions[name] as? [String: Any] else {
                return problems + ["\(path): unresolved $ref \(reference)"]
            }
            return problems + check(value, against: target, at: path)
        }
        if let type = schema["type"] as? String, !Self.matches(value, type: type) {
            return problems + ["\(path): expected \(type), got \(Self.kind(of: value))"]
        }
        if let allowed = schema["enum"] as? [String], !allowed.contains(where: { $0 == value as? String }) {
            problems.append("\(path): \(value) not in \(allowed)")
        }
        if let constant = schema["const"] as? NSNumber, (value as? NSNumber) != constant {
            problems.append("\(path): expected \(constant), got \(value)")
        }
        if let minimum = schema["minimum"] as? Double, let number = value as? NSNumber, number.doubleValue < minimum {
            problems.append("\(path): \(number) is below \(minimum)")
        }
        if let minLength = schema["minLength"] as? Int, let text = value as? String, text.count < minLength {
            problems.append("\(path): string shorter than \(minLength)")
        }
        if let array = value as? [Any] {
            if let minItems = schema["minItems"] as? Int, array.count < minItems {
                problems.append("\(path): fewer than \(minItems) items")
            }
            if let items = schema["items"] as? [String: Any] {
                for (index, element) in array.enumerated() {
                    problems += check(element, against: items, at: "\(path)[\(index)]")
                }
            }
        }
        if let object = value as? [String: Any] {
            problems += checkObject(object, against: schema, at: path)
        }
        return problems
    }

    private func checkObject(_ object: [String: Any], against schema: [String: Any], at path: String) -> [String] {
        var problems: [String] = []
        let properties = schema["properties"] as? [String: Any] ?? [:]
        for key in schema["required"] as? [String] ?? [] where object[key] == nil {
            problems.append("\(path): missing required \(key)")
        }
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            if let property = properties[key] as? [String: Any] {
                problems += check(value, against: property, at: "\(path).\(key)")
            } else if let additional = schema["additionalProperties"] as? [String: Any] {
                problems += check(value, against: additional, at: "\(path).\(key)")
            } else if (schema["additionalProperties"] as? Bool) == false {
                problems.append("\(path): unexpected key \(key)")
            }
        }
        return problems
    }

    private static func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return isBool(value)
        case "number": return value is NSNumber && !isBool(value)
        case "integer":
            guard let number = value as? NSNumber, !isBool(value) else { return false }
            return number.doubleValue.rounded() == number.doubleValue
        default: return false
        }
    }

    /// JSONSerialization gives booleans their own NSNumber subclass (objCType `c`); plain
    /// numbers also bridge to Bool, so `is Bool` cannot tell them apart.
    private static func isBool(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return type(of: number) == type(of: NSNumber(value: true))
    }

    private static func kind(of value: Any) -> String {
        if value is String { return "string" }
        if isBool(value) { return "boolean" }
        if value is NSNumber { return "number" }
        if value is [Any] { return "array" }
        if value is [String: Any] { return "object" }
        return "null"
    }
}
