import StageKit
/// A set of named schema documents that `$ref`s can point to by file name or `$id`; immutable once built,
/// and safe to share between threads.
public final class SchemaRegistry: Sendable {
    /// A registry with no documents: schemas that `$ref` only into themselves.
    public static let empty = SchemaRegistry(entries: [], lenient: true)

    /// Registers `files` (embedded schemas), leaving out any that is not valid JSON or does not compile and
    /// recording why in `loadErrors`, so one broken schema does not take the others down; tests require
    /// `loadErrors` to be empty.
    public static func lenient(_ files: [SchemaFile]) -> SchemaRegistry {
        var entries: [(String, JSONValue)] = []
        var failures: [String: SchemaError] = [:]
        for file in files {
            do {
                entries.append((file.name, try JSONParser.parse(file.text)))
            } catch {
                failures[file.name] = SchemaError(message: "not valid JSON: \(error)", schemaPath: file.name + "#")
            }
        }
        let registry = SchemaRegistry(entries: entries, lenient: true)
        return failures.isEmpty ? registry : SchemaRegistry(copying: registry, extraErrors: failures)
    }

    let index: SchemaIndex
    /// The source of every document, by the name it was registered under, for `adding`.
    private let sources: [String: JSONValue]
    private let compiled: [Int: JSONSchema]
    private let lenient: Bool
    /// Documents left out of a lenient registry, by name, with the reason.
    public let loadErrors: [String: SchemaError]

    /// Registers and compiles `documents`, keyed by file name (`manifest.schema.json`) or `$id`;
    /// throws the `SchemaError` of the first document, by name, that does not compile.
    public convenience init(documents: [String: JSONValue]) throws {
        self.init(entries: documents.map { ($0.key, $0.value) }, lenient: false)
        if let first = loadErrors.keys.sorted().first, let error = loadErrors[first] { throw error }
    }

    init(entries: [(String, JSONValue)], lenient: Bool) {
        self.lenient = lenient
        var sources: [String: JSONValue] = [:]
        for (name, document) in entries { sources[name] = document }
        self.sources = sources
        var index = SchemaIndex()
        var errors: [String: SchemaError] = [:]
        var documentIndices: [String: Int] = [:]
        // Sorted, so that which document wins a contested name or `$id` does not depend on hashing.
        for name in sources.keys.sorted() {
            guard let document = sources[name] else { continue }
            let retrieval = SchemaIndex.defaultBase.resolving(SchemaURI(parsing: name))
            do {
                documentIndices[name] = try index.add(root: document, name: name, retrieval: retrieval, shadowing: false)
            } catch {
                errors[name] = error
            }
        }
        let ordered = documentIndices.sorted { $0.key < $1.key }
        for (name, documentIndex) in ordered { index.addName(name, for: documentIndex) }
        for (_, documentIndex) in ordered { index.addIdentifierName(for: documentIndex) }
        var compiled: [Int: JSONSchema] = [:]
        for (name, documentIndex) in documentIndices {
            do {
                compiled[documentIndex] = try JSONSchema(index: index, documentIndex: documentIndex)
            } catch {
                errors[name] = error
            }
        }
        self.index = index
        self.compiled = compiled
        self.loadErrors = errors
    }

    private init(copying registry: SchemaRegistry, extraErrors: [String: SchemaError]) {
        index = registry.index
        sources = registry.sources
        compiled = registry.compiled
        lenient = registry.lenient
        loadErrors = registry.loadErrors.merging(extraErrors) { first, _ in first }
    }

    /// The compiled schema registered as `name`, given as a file name (`demo-record.schema.json`), its stem
    /// (`demo-record`) or its `$id`; nil when there is none or it did not compile.
    public func schema(named name: String) -> JSONSchema? {
        if let documentIndex = index.document(named: name) { return compiled[documentIndex] }
        let uri = SchemaIndex.defaultBase.resolving(SchemaURI(parsing: name)).withoutFragment.description
        if let location = index.location(of: uri), location.tokens.isEmpty { return compiled[location.document] }
        return nil
    }

    /// The names every registered document is known by, sorted.
    public var names: [String] { sources.keys.sorted() }

    /// The document registered as `name` (file name, stem or `$id`), as given.
    public func document(named name: String) -> JSONValue? {
        if let source = sources[name] ?? sources[name + ".schema.json"] { return source }
        guard let documentIndex = index.document(named: name) else { return nil }
        for (sourceName, source) in sources where index.document(named: sourceName) == documentIndex { return source }
        return nil
    }

    /// A registry with `document` added as `name` (replacing a document of that name), for a user schema
    /// given by path; throws when that document does not compile.
    public func adding(document: JSONValue, name: String) throws -> SchemaRegistry {
        var entries = sources
        entries[name] = document
        let registry = SchemaRegistry(entries: entries.map { ($0.key, $0.value) }, lenient: lenient)
        if let error = registry.loadErrors[name] { throw error }
        if !lenient, let first = registry.loadErrors.keys.sorted().first, let error = registry.loadErrors[first] {
            throw error
        }
        return registry
    }
}
