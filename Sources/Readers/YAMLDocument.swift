import StageKit
import Yams

/// A YAML or JSON file read into a `JSONValue`, remembering where each value and key came from.
///
/// Locations are keyed by JSON pointer (`/stages/import/kind`); a key's own location is kept under the
/// pointer with a `#key` suffix so that "unknown key" errors point at the key, not its value.
public struct YAMLDocument: Sendable {
    public var path: String
    public var value: JSONValue
    private var marks: [String: (line: Int, column: Int)]

    /// Limits that keep hostile YAML from exhausting memory (alias bombs, deep nesting, huge files).
    public static let maxBytes = 8 << 20
    public static let maxNodes = 1_000_000
    public static let maxDepth = 128

    /// Parses `text` read from `path` (the path is only used in messages).
    public init(text: String, path: String) throws {
        self.path = path
        guard text.utf8.count <= Self.maxBytes else {
            throw PipeError("yaml.too_large", "file is larger than \(Self.maxBytes) bytes", at: SourceLocation(file: path))
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.located(error, path: path)
        } catch {
            throw PipeError("yaml.syntax", "\(error)", at: SourceLocation(file: path))
        }
        var builder = Builder(path: path)
        value = try node.map { try builder.convert($0, pointer: "", depth: 0) } ?? .null
        marks = builder.marks
    }

    /// Reads and parses a file.
    public init(contentsOf path: String) throws {
        let bytes = try FileSystem.read(path, limit: Self.maxBytes)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PipeError("yaml.encoding", "file is not valid UTF-8", at: SourceLocation(file: path))
        }
        try self.init(text: text, path: path)
    }

    /// The location of the value at a JSON pointer, or of the nearest enclosing value that has one.
    public func location(of pointer: String, key: Bool = false) -> SourceLocation {
        var current = pointer
        if key, let mark = marks[pointer + "#key"] {
            return SourceLocation(file: path, line: mark.line, column: mark.column)
        }
        while true {
            if let mark = marks[current] { return SourceLocation(file: path, line: mark.line, column: mark.column) }
            guard let slash = current.lastIndex(of: "/") else { return SourceLocation(file: path) }
            current = String(current[..<slash])
        }
    }

    private static func located(_ error: YamlError, path: String) -> PipeError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let location = SourceLocation(file: path, line: mark.line, column: mark.column)
            // libyaml's own nesting cap (about 1000 levels) is hit before ours can be: say it the same way.
            if problem.lowercased().contains("maximum nesting level") {
                return PipeError("yaml.too_deep", "nesting deeper than \(YAMLDocument.maxDepth) levels", at: location)
            }
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
            return PipeError("yaml.syntax", text, at: location)
        case .composer(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
            return PipeError("yaml.syntax", text, at: SourceLocation(file: path, line: mark.line, column: mark.column))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return PipeError("yaml.duplicate_key",
                             "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in this mapping",
                             at: SourceLocation(file: path, line: context.mark.line, column: context.mark.column))
        default:
            return PipeError("yaml.syntax", "\(error)", at: SourceLocation(file: path))
        }
    }

    private struct Builder {
        let path: String
        var marks: [String: (line: Int, column: Int)] = [:]
        var nodes = 0

        init(path: String) { self.path = path }

        mutating func convert(_ node: Node, pointer: String, depth: Int) throws -> JSONValue {
            nodes += 1
            let location = node.mark.map { SourceLocation(file: path, line: $0.line, column: $0.column) }
                ?? SourceLocation(file: path)
            guard nodes <= YAMLDocument.maxNodes else {
                throw PipeError("yaml.too_large", "more than \(YAMLDocument.maxNodes) values (alias expansion?)", at: location)
            }
            guard depth <= YAMLDocument.maxDepth else {
                throw PipeError("yaml.too_deep", "nesting deeper than \(YAMLDocument.maxDepth) levels", at: location)
            }
            if let mark = node.mark, marks[pointer] == nil { marks[pointer] = (mark.line, mark.column) }
            switch node {
            case .scalar(let scalar):
                return Self.scalarValue(scalar, tag: node.tag)
            case .alias:
                return .null
            case .sequence(let sequence):
                var elements: [JSONValue] = []
                for (index, element) in sequence.enumerated() {
                    elements.append(try convert(element, pointer: pointer + "/\(index)", depth: depth + 1))
                }
                return .array(elements)
            case .mapping(let mapping):
                var members: [String: JSONValue] = [:]
                for (keyNode, valueNode) in mapping {
                    let keyLocation = keyNode.mark.map { SourceLocation(file: path, line: $0.line, column: $0.column) }
                        ?? location
                    guard case .scalar(let keyScalar) = keyNode else {
                        throw PipeError("yaml.key", "mapping keys must be plain scalars", at: keyLocation)
                    }
                    let key = keyScalar.string
                    let child = pointer + "/" + Self.escape(key)
                    if members[key] != nil {
                        throw PipeError("yaml.duplicate_key", "duplicate key '\(key)'", at: keyLocation)
                    }
                    if let mark = keyNode.mark { marks[child + "#key"] = (mark.line, mark.column) }
                    members[key] = try convert(valueNode, pointer: child, depth: depth + 1)
                }
                return .object(members)
            }
        }

        static func escape(_ key: String) -> String {
            key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        }

        /// YAML 1.2 core-schema resolution: quoted scalars stay strings; plain ones may be null,
        /// booleans or numbers.
        static func scalarValue(_ scalar: Node.Scalar, tag: Tag) -> JSONValue {
            let text = scalar.string
            if scalar.style != .plain { return .string(text) }
            switch Tag.Name(rawValue: tag.rawValue) {
            case Tag.Name.null: return .null
            case Tag.Name.bool:
                return .bool(["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"].contains(text))
            case Tag.Name.int:
                if let value = Int64(text.replacingOccurrences(of: "_", with: "")) { return .integer(value) }
                if let value = Double(text) { return .number(value) }
                return .string(text)
            case Tag.Name.float:
                if let value = Double(text.replacingOccurrences(of: "_", with: "")), value.isFinite {
                    return .number(value)
                }
                return .string(text)
            default:
                return .string(text)
            }
        }
    }
}
