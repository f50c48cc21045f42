import StageKit
import Yams

/// A YAML or JSON file read into a `JSONValue`, remembering where each value and key came from.
///
/// Locations are keyed by JSON pointer (`/stages/import/kind`); a key's own location is kept under the
/// pointer with a `#key` suffix so that "unknown key" errors point at the key, not its value.
///
/// Aliases (`*name`) are expanded, within the node limit, as YAML requires; each use is also listed in
/// `aliases` with its own location, so that readers which must not accept them can say where they are.
public struct YAMLDocument: Sendable {
    public var path: String
    public var value: JSONValue
    /// Every alias use, in document order.
    public private(set) var aliases: [YAMLAlias]
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
        // The parser outlives the conversion: nodes hold their anchors weakly, and anchors tell alias uses apart.
        let parser: Parser
        do {
            parser = try Parser(yaml: text)
            node = try parser.singleRoot()
        } catch let error as YamlError {
            throw Self.located(error, path: path)
        } catch {
            throw PipeError("yaml.syntax", "\(error)", at: SourceLocation(file: path))
        }
        var builder = Builder(path: path, text: text)
        value = try withExtendedLifetime(parser) {
            try node.map { try builder.convert($0, pointer: "", depth: 0, after: (1, 1)) } ?? .null
        }
        marks = builder.marks
        aliases = builder.aliases
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

    /// Every located value (and key, when `keys`), sorted by line then column, outer values first where several
    /// start at one place: what lies at a position of the text is the last of them that starts before it.
    public func locatedPointers(keys: Bool = true) -> [YAMLLocatedPointer] {
        var result: [YAMLLocatedPointer] = []
        result.reserveCapacity(marks.count)
        for (pointer, mark) in marks {
            if pointer.hasSuffix("#key") {
                guard keys else { continue }
                result.append(YAMLLocatedPointer(pointer: String(pointer.dropLast(4)), isKey: true, line: mark.line,
                                                 column: mark.column))
            } else {
                result.append(YAMLLocatedPointer(pointer: pointer, isKey: false, line: mark.line, column: mark.column))
            }
        }
        return result.sorted {
            ($0.line, $0.column, $0.pointer.utf8.count, $0.isKey ? 0 : 1) < ($1.line, $1.column, $1.pointer.utf8.count, $1.isKey ? 0 : 1)
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
        let text: String
        var marks: [String: (line: Int, column: Int)] = [:]
        var nodes = 0
        var aliases: [YAMLAlias] = []
        /// Anchored nodes already converted, by name and position: meeting one again is an alias use, because
        /// Yams hands an alias back as the node it names.
        var anchored: Set<String> = []
        /// Above zero while converting the copy an alias stands for: its nodes keep no marks of their own.
        var aliasDepth = 0
        /// The text's lines as scalars, made on the first alias only.
        var lines: [[Unicode.Scalar]]?

        init(path: String, text: String) {
            self.path = path
            self.text = text
        }

        /// `after` is where the text before this node ends at the latest (its key, or the previous element):
        /// an alias use is searched for from there.
        mutating func convert(_ node: Node, pointer: String, depth: Int, after: (line: Int, column: Int)) throws -> JSONValue {
            nodes += 1
            var isAliasUse = false
            if aliasDepth == 0, let anchor = node.anchor, let mark = node.mark {
                isAliasUse = !anchored.insert("\(mark.line):\(mark.column):\(anchor.rawValue)").inserted
                if isAliasUse {
                    let found = aliasLocation(anchor.rawValue, after: after)
                    aliases.append(YAMLAlias(pointer: pointer, anchor: anchor.rawValue,
                                             location: SourceLocation(file: path, line: found?.line ?? after.line,
                                                                      column: found?.column ?? after.column)))
                    if let found, marks[pointer] == nil { marks[pointer] = found }
                    aliasDepth += 1
                }
            }
            defer { if isAliasUse { aliasDepth -= 1 } }
            let location = node.mark.map { SourceLocation(file: path, line: $0.line, column: $0.column) }
                ?? SourceLocation(file: path)
            guard nodes <= YAMLDocument.maxNodes else {
                throw PipeError("yaml.too_large", "more than \(YAMLDocument.maxNodes) values (alias expansion?)", at: location)
            }
            guard depth <= YAMLDocument.maxDepth else {
                throw PipeError("yaml.too_deep", "nesting deeper than \(YAMLDocument.maxDepth) levels", at: location)
            }
            if aliasDepth == 0, let mark = node.mark, marks[pointer] == nil { marks[pointer] = (mark.line, mark.column) }
            switch node {
            case .scalar(let scalar):
                return Self.scalarValue(scalar, tag: node.tag)
            case .alias:
                // Yams's parser hands an alias back as the node it names; a bare alias node is only built by
                // code that emits YAML, never by parsing.
                return .null
            case .sequence(let sequence):
                var elements: [JSONValue] = []
                var previous = node.mark.map { ($0.line, $0.column) } ?? after
                for (index, element) in sequence.enumerated() {
                    let child = pointer + "/\(index)"
                    elements.append(try convert(element, pointer: child, depth: depth + 1, after: previous))
                    if let mark = marks[child] { previous = mark }
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
                    if aliasDepth == 0, let mark = keyNode.mark { marks[child + "#key"] = (mark.line, mark.column) }
                    let keyEnd = keyNode.mark.map { ($0.line, $0.column) } ?? after
                    members[key] = try convert(valueNode, pointer: child, depth: depth + 1, after: keyEnd)
                }
                return .object(members)
            }
        }

        /// The first `*anchor` token at or after `after`: a `*` that starts a node (after a space, an indicator or
        /// the line's start) followed by the name and a delimiter. Yams does not keep alias positions.
        mutating func aliasLocation(_ anchor: String, after: (line: Int, column: Int)) -> (line: Int, column: Int)? {
            if lines == nil { lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) } }
            guard let lines else { return nil }
            let name = Array(anchor.unicodeScalars)
            let starters: Set<Unicode.Scalar> = [" ", "\t", "-", ":", "[", "{", ","]
            let enders: Set<Unicode.Scalar> = [" ", "\t", "\r", ",", "]", "}"]
            var lineIndex = max(after.line - 1, 0)
            var column = max(after.column - 1, 0)
            while lineIndex < lines.count {
                let line = lines[lineIndex]
                var index = column
                while index < line.count {
                    if line[index] == "#", index == 0 || line[index - 1] == " " { break }
                    if line[index] == "*", index == 0 || starters.contains(line[index - 1]),
                       index + name.count < line.count + 1,
                       Array(line[(index + 1)..<min(index + 1 + name.count, line.count)]) == name,
                       index + 1 + name.count == line.count || enders.contains(line[index + 1 + name.count]) {
                        return (lineIndex + 1, index + 1)
                    }
                    index += 1
                }
                lineIndex += 1
                column = 0
            }
            return nil
        }

        static func escape(_ key: String) -> String {
            guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return key }
            return key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
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

/// One use of a YAML alias: where it stands in the value (JSON pointer) and in the text, and the anchor it names.
public struct YAMLAlias: Sendable, Equatable {
    public var pointer: String
    public var anchor: String
    public var location: SourceLocation
}

/// A value (or a mapping key, when `isKey`) of a `YAMLDocument` with the position where it starts.
public struct YAMLLocatedPointer: Sendable, Equatable {
    public var pointer: String
    public var isKey: Bool
    public var line: Int
    public var column: Int
}
