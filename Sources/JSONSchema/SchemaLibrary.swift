import Readers
import StageKit

/// The one schema resolver: the schemas pipe embeds (the engine's and every stage kind's), found by file
/// name, stem or `$id`, and schema files (JSON or YAML) found by path relative to a pipeline file.
public final class SchemaLibrary: SchemaCatalog {
    /// The embedded schemas, compiled.
    public let registry: SchemaRegistry

    /// Compiles the embedded schemas; one that does not compile is left out and named in `loadErrors`.
    public init(files: [SchemaFile]) {
        registry = SchemaRegistry.lenient(files)
    }

    /// Embedded schemas that failed to load, by name, with the reason (empty in a sound build).
    public var loadErrors: [String: SchemaError] { registry.loadErrors }

    /// The embedded schema `name`, compiled.
    public func schema(named name: String) -> JSONSchema? { registry.schema(named: name) }

    /// The schema named `nameOrPath`, compiled: an embedded name first, else a file relative to `directory`.
    /// Throws `schema.unknown` when there is neither and `schema.invalid` when the file is no schema.
    public func load(_ nameOrPath: String, relativeTo directory: String) throws -> (name: String, schema: JSONSchema, path: String?) {
        if let schema = registry.schema(named: nameOrPath) { return (nameOrPath, schema, nil) }
        let path = Self.path(nameOrPath, relativeTo: directory)
        let document = try Self.readFile(path, nameOrPath: nameOrPath)
        do {
            let name = String(path.split(separator: "/").last ?? Substring(path))
            let extended = try registry.adding(document: document, name: name)
            guard let schema = extended.schema(named: name) else {
                throw PipeError("schema.invalid", "cannot load schema \(path)")
            }
            return (nameOrPath, schema, path)
        } catch let error as SchemaError {
            throw PipeError("schema.invalid", "invalid schema \(path): \(error)")
        }
    }

    public func resolve(_ nameOrPath: String, relativeTo directory: String) throws -> ResolvedSchema {
        if let document = registry.document(named: nameOrPath) {
            return ResolvedSchema(name: nameOrPath, document: document, path: nil)
        }
        let path = Self.path(nameOrPath, relativeTo: directory)
        return ResolvedSchema(name: nameOrPath, document: try Self.readFile(path, nameOrPath: nameOrPath), path: path)
    }

    public func validator(for nameOrPath: String, relativeTo directory: String) throws -> any RecordValidator {
        let loaded = try load(nameOrPath, relativeTo: directory)
        return CompiledValidator(name: loaded.name, path: loaded.path, schema: loaded.schema)
    }

    static func path(_ nameOrPath: String, relativeTo directory: String) -> String {
        nameOrPath.hasPrefix("/") ? nameOrPath : directory + "/" + nameOrPath
    }

    static func readFile(_ path: String, nameOrPath: String) throws -> JSONValue {
        guard FileSystem.exists(path).exists else {
            throw PipeError("schema.unknown", "no embedded schema named '\(nameOrPath)' and no file \(path)")
        }
        return try YAMLDocument(contentsOf: path).value
    }
}

/// A compiled schema behind the contract's `RecordValidator`.
public struct CompiledValidator: RecordValidator {
    public let name: String
    public let path: String?
    public let schema: JSONSchema

    public init(name: String, path: String?, schema: JSONSchema) {
        self.name = name
        self.path = path
        self.schema = schema
    }

    public func isValid(_ value: JSONValue) -> Bool { schema.isValid(value) }

    public func problems(in value: JSONValue, limit: Int) -> [String] {
        schema.validate(value, maxIssues: limit).map { "\($0.instancePath.isEmpty ? "/" : $0.instancePath): \($0.message)" }
    }
}
