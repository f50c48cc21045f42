import StageKit
/// A schema document known by URI: a registry document or the schema being compiled.
struct SchemaDocument: Sendable {
    var root: JSONValue
    /// How issues and errors name the document: its file name, or "" for the schema being compiled.
    var name: String
    /// The base URI at each location (JSON pointer) where an `$id` sets one, the root included.
    var resourceBases: [String: SchemaURI]
}

/// A location in one of the documents of a `SchemaIndex`.
struct SchemaLocation: Hashable, Sendable {
    var document: Int
    var tokens: [String]
}

/// The URIs and names by which schema documents and their embedded resources can be referenced.
struct SchemaIndex: Sendable {
    /// Relative names and `$id`s are resolved against this, so that `"$ref": "other.schema.json"` finds
    /// a bundled schema whatever directory the file came from.
    static let defaultBase = SchemaURI(parsing: "pipe:/schemas/")
    /// The base of a schema compiled on its own, without `$id`.
    static let inlineBase = SchemaURI(parsing: "pipe:/inline/schema.json")

    private(set) var documents: [SchemaDocument] = []
    /// Absolute URI without fragment to the location of the resource it identifies.
    private(set) var resources: [String: SchemaLocation] = [:]
    /// File names and `$id` last segments, with and without `.schema.json`, to document index.
    private(set) var names: [String: Int] = [:]

    /// Keywords whose value is one subschema, an array of them, or an object of them. Only these are
    /// walked for `$id`, so that an `$id` inside `enum`, `const` or `properties` names is not taken for one.
    static let singleSchemaKeywords: Set<String> = [
        "additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else",
        "unevaluatedItems", "unevaluatedProperties", "contentSchema",
    ]
    static let schemaArrayKeywords: Set<String> = ["allOf", "anyOf", "oneOf", "prefixItems"]
    static let schemaMapKeywords: Set<String> = [
        "properties", "patternProperties", "$defs", "definitions", "dependentSchemas",
    ]

    /// Adds a document retrieved from `retrieval`; its resources shadow earlier ones only when `shadowing`.
    mutating func add(root: JSONValue, name: String, retrieval: SchemaURI, shadowing: Bool) throws(SchemaError)
        -> Int
    {
        let documentIndex = documents.count
        var bases: [String: SchemaURI] = [:]
        var found: [(uri: String, tokens: [String])] = []
        var tokens: [String] = []
        try Self.collectResources(
            root, base: retrieval.withoutFragment, tokens: &tokens, documentName: name, bases: &bases, found: &found)
        if bases[""] == nil { bases[""] = retrieval.withoutFragment }
        documents.append(SchemaDocument(root: root, name: name, resourceBases: bases))
        var seen: Set<String> = []
        for resource in found {
            // The schema being compiled may restate an `$id` of the registry, say an edited copy of a
            // bundled schema, and then wins; two registry documents claiming one `$id` are a conflict.
            if !seen.insert(resource.uri).inserted || (!shadowing && resources[resource.uri] != nil) {
                throw SchemaError(
                    message: "duplicate $id \"\(resource.uri)\"", schemaPath: Self.describe(name, resource.tokens + ["$id"]))
            }
            resources[resource.uri] = SchemaLocation(document: documentIndex, tokens: resource.tokens)
        }
        let retrievalKey = retrieval.withoutFragment.description
        if resources[retrievalKey] == nil || shadowing {
            resources[retrievalKey] = SchemaLocation(document: documentIndex, tokens: [])
        }
        return documentIndex
    }

    /// Makes a document findable by `name`, unless an earlier document took that name.
    mutating func addName(_ name: String, for documentIndex: Int) {
        for spelling in [name, Self.stem(name)] where !spelling.isEmpty && names[spelling] == nil {
            names[spelling] = documentIndex
        }
    }

    /// Makes a document findable by the last segment of its `$id`, after every file name was added.
    mutating func addIdentifierName(for documentIndex: Int) {
        if let base = documents[documentIndex].resourceBases[""], let last = base.lastPathSegment {
            addName(last, for: documentIndex)
        }
    }

    /// `demo-record.schema.json` and `demo-record.json` both become `demo-record`.
    static func stem(_ name: String) -> String {
        for suffix in [".schema.json", ".json"] where name.hasSuffix(suffix) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }

    func document(named name: String) -> Int? {
        names[name] ?? names[Self.stem(name)]
    }

    func location(of uri: String) -> SchemaLocation? { resources[uri] }

    /// The base URI in force at `tokens`: that of the nearest enclosing `$id`.
    func base(at location: SchemaLocation) -> SchemaURI {
        let bases = documents[location.document].resourceBases
        var count = location.tokens.count
        while count >= 0 {
            if let base = bases[JSONPointer.join(location.tokens.prefix(count))] { return base }
            count -= 1
        }
        return Self.defaultBase
    }

    /// How an error names a location: a pointer in the compiled schema, `file#pointer` elsewhere.
    static func describe(_ documentName: String, _ tokens: [String]) -> String {
        let pointer = JSONPointer.join(tokens)
        return documentName.isEmpty ? pointer : documentName + "#" + pointer
    }

    private static func collectResources(
        _ value: JSONValue, base: SchemaURI, tokens: inout [String], documentName: String,
        bases: inout [String: SchemaURI], found: inout [(uri: String, tokens: [String])]
    ) throws(SchemaError) {
        guard case .object(let members) = value else { return }
        if tokens.count > SchemaCompiler.maxNesting * 2 {
            throw SchemaError(
                message: "schema nested more than \(SchemaCompiler.maxNesting) levels deep",
                schemaPath: describe(documentName, tokens))
        }
        var base = base
        if let id = members["$id"] {
            guard case .string(let text) = id else {
                throw SchemaError(message: "$id must be a string", schemaPath: describe(documentName, tokens + ["$id"]))
            }
            let reference = SchemaURI(parsing: text)
            if let fragment = reference.fragment, !fragment.isEmpty {
                throw SchemaError(
                    message: "$id \"\(text)\" must not have a fragment", schemaPath: describe(documentName, tokens + ["$id"]))
            }
            base = base.resolving(reference).withoutFragment
            bases[JSONPointer.join(tokens)] = base
            found.append((base.description, tokens))
        }
        for (key, child) in members {
            if singleSchemaKeywords.contains(key) {
                tokens.append(key)
                try collectResources(
                    child, base: base, tokens: &tokens, documentName: documentName, bases: &bases, found: &found)
                tokens.removeLast()
            } else if schemaArrayKeywords.contains(key), case .array(let elements) = child {
                tokens.append(key)
                for (position, element) in elements.enumerated() {
                    tokens.append(String(position))
                    try collectResources(
                        element, base: base, tokens: &tokens, documentName: documentName, bases: &bases, found: &found)
                    tokens.removeLast()
                }
                tokens.removeLast()
            } else if schemaMapKeywords.contains(key), case .object(let entries) = child {
                tokens.append(key)
                for (entryName, entry) in entries {
                    tokens.append(entryName)
                    try collectResources(
                        entry, base: base, tokens: &tokens, documentName: documentName, bases: &bases, found: &found)
                    tokens.removeLast()
                }
                tokens.removeLast()
            }
        }
    }
}
