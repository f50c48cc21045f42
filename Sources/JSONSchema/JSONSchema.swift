import StageKit
/// A schema that cannot be used: a keyword with a malformed value, a bad pattern, an unresolvable `$ref`.
public struct SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// JSON pointer to the faulty keyword; `file#pointer` when it lies in another registered schema.
    public var schemaPath: String

    /// Makes an error about the keyword at `schemaPath`.
    public init(message: String, schemaPath: String) {
        self.message = message
        self.schemaPath = schemaPath
    }

    public var description: String {
        "invalid schema at \(schemaPath.isEmpty ? "(root)" : schemaPath): \(message)"
    }
}

/// One reason an instance does not conform to a schema.
public struct ValidationIssue: Sendable, Equatable, CustomStringConvertible {
    /// JSON pointer into the instance, "" for the root, e.g. "/items/3/name".
    public var instancePath: String
    /// JSON pointer through the schema to the failing keyword, following `$ref`s as they were taken,
    /// e.g. "/properties/items/items/required".
    public var schemaPath: String
    /// What is wrong, e.g. `missing required property "id"`.
    public var message: String
    /// The member of the object at `instancePath` that is not allowed there (`additionalProperties: false`),
    /// so a message can point at its key.
    public var member: String?

    /// Makes an issue; the validator is the usual source of them.
    public init(instancePath: String, schemaPath: String, message: String) {
        self.instancePath = instancePath
        self.schemaPath = schemaPath
        self.message = message
    }

    public var description: String {
        "\(instancePath.isEmpty ? "(root)" : instancePath): \(message) (schema \(schemaPath.isEmpty ? "(root)" : schemaPath))"
    }
}

/// A JSON Schema (draft 2020-12) compiled for repeated validation; cheap to copy and safe to share
/// between threads.
///
/// Supported: the validation and applicator keywords, `$ref` to JSON pointers in the same document and
/// to other schemas of a `SchemaRegistry` (by file name or `$id`), `$id` base changes, boolean schemas.
/// `format` and other annotations do not affect validity. `$dynamicRef`, `unevaluatedProperties` and
/// `unevaluatedItems` are refused with a `SchemaError` rather than ignored, as are `$ref`s to `$anchor`s.
public struct JSONSchema: Sendable {
    let program: SchemaProgram
    let root: Int

    /// Compiles `document`, resolving `$ref`s against itself first and then against `registry`.
    public init(_ document: JSONValue, registry: SchemaRegistry = .empty) throws {
        var index = registry.index
        let documentIndex = try index.add(
            root: document, name: "", retrieval: SchemaIndex.inlineBase, shadowing: true)
        try self.init(index: index, documentIndex: documentIndex)
    }

    init(index: SchemaIndex, documentIndex: Int) throws(SchemaError) {
        (program, root) = try SchemaCompiler.compile(index: index, documentIndex: documentIndex)
    }

    /// The ways `instance` fails the schema, at most `maxIssues` of them (at least one is always
    /// reported for an invalid instance); empty when it is valid.
    public func validate(_ instance: JSONValue, maxIssues: Int = 20) -> [ValidationIssue] {
        // Most records are valid: answer those on the fast path, and only walk again with paths and
        // messages for the few that are not.
        if isValid(instance) { return [] }
        var evaluation = SchemaEvaluation(nodes: program.nodes, sink: CollectingSink(limit: max(1, maxIssues)))
        _ = evaluation.evaluate(root, instance, depth: 0)
        if evaluation.sink.issues.isEmpty {
            // The two walks visit the same keywords; this only guards against a disagreement between them.
            return [ValidationIssue(instancePath: "", schemaPath: "", message: "value does not match the schema")]
        }
        return evaluation.sink.issues
    }

    /// Whether `instance` conforms; stops at the first failure and builds no messages.
    public func isValid(_ instance: JSONValue) -> Bool {
        var evaluation = SchemaEvaluation(nodes: program.nodes, sink: FastSink())
        return evaluation.evaluate(root, instance, depth: 0)
    }
}
