import StageKit
/// Builds the Croissant 1.1 metadata (`croissant.json`) of an export, in the shape that
/// `mlcroissant validate` 1.1.1 accepts without warnings and that `mlcroissant` can load records from.
public enum CroissantBuilder {
    /// The id of the record set, which `mlcroissant load --record_set` takes.
    public static let recordSetID = "records"
    /// The id of the FileSet that gathers the data shards.
    public static let dataFileSetID = "data"

    /// The Croissant document; `JSONWriter.pretty` gives its file text.
    public static func build(_ d: ExportDescription) -> JSONValue {
        var ids = IDAllocator()
        ids.reserve(recordSetID)
        ids.reserve(dataFileSetID)

        var dataset: [String: JSONValue] = [
            "@context": context,
            "@type": "sc:Dataset",
            "conformsTo": "http://mlcommons.org/croissant/1.1",
            "name": .string(d.name),
            "description": .string(d.description),
            "license": .string(ExportLicense.spdxURL(d.license) ?? d.license),
            "version": .string(d.effectiveVersion),
            "citeAs": .string(d.citationText),
        ]
        // A missing url costs one validator warning; a made-up one would be a false statement.
        if let url = d.url { dataset["url"] = .string(url) }
        if let date = d.datePublished { dataset["datePublished"] = .string(date) }
        if let creator = d.creator {
            dataset["creator"] = [
                "@type": .string(d.creatorKind == .person ? "sc:Person" : "sc:Organization"),
                "name": .string(creator),
            ]
        }

        let splits = d.orderedSplits
        var distribution: [JSONValue] = [dataFileSet(d, splits: splits)]
        for artifact in d.artifacts.sorted(by: { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }) {
            let id = ids.unique(artifact.path)
            distribution.append([
                "@type": "cr:FileObject",
                "@id": .string(id),
                "name": .string(id),
                "contentUrl": .string(artifact.path),
                "contentSize": .string("\(artifact.bytes) B"),
                "encodingFormat": .string(encodingFormat(ofArtifact: artifact.path)),
                "sha256": .string(artifact.sha256),
            ])
        }
        dataset["distribution"] = .array(distribution)
        dataset["recordSet"] = [recordSet(d, splits: splits, ids: &ids)]
        return .object(dataset)
    }

    /// The context of the reference example: the spec's Appendix 1 plus the four legacy keys
    /// (`path`, `repeated`, `replace`, `samplingRate`) without which mlcroissant warns that the
    /// context is not standard, and `https://schema.org/`, the only schema.org form it accepts.
    public static let context: JSONValue = [
        "@language": "en",
        "@vocab": "https://schema.org/",
        "sc": "https://schema.org/",
        "cr": "http://mlcommons.org/croissant/",
        "rai": "http://mlcommons.org/croissant/RAI/",
        "dct": "http://purl.org/dc/terms/",
        "annotation": "cr:annotation",
        "arrayShape": "cr:arrayShape",
        "citeAs": "cr:citeAs",
        "column": "cr:column",
        "conformsTo": "dct:conformsTo",
        "containedIn": "cr:containedIn",
        "data": ["@id": "cr:data", "@type": "@json"],
        "dataType": ["@id": "cr:dataType", "@type": "@vocab"],
        "equivalentProperty": "cr:equivalentProperty",
        "examples": ["@id": "cr:examples", "@type": "@json"],
        "excludes": "cr:excludes",
        "extract": "cr:extract",
        "field": "cr:field",
        "fileProperty": "cr:fileProperty",
        "fileObject": "cr:fileObject",
        "fileSet": "cr:fileSet",
        "format": "cr:format",
        "includes": "cr:includes",
        "isArray": "cr:isArray",
        "isLiveDataset": "cr:isLiveDataset",
        "jsonPath": "cr:jsonPath",
        "key": "cr:key",
        "md5": "cr:md5",
        "parentField": "cr:parentField",
        "path": "cr:path",
        "readLines": "cr:readLines",
        "recordSet": "cr:recordSet",
        "references": "cr:references",
        "regex": "cr:regex",
        "repeated": "cr:repeated",
        "replace": "cr:replace",
        "samplingRate": "cr:samplingRate",
        "sdVersion": "cr:sdVersion",
        "separator": "cr:separator",
        "source": "cr:source",
        "subField": "cr:subField",
        "transform": "cr:transform",
        "unArchive": "cr:unArchive",
        "value": "cr:value",
    ]

    /// The MIME type of an artifact, by extension; unknown kinds are opaque bytes.
    public static func encodingFormat(ofArtifact path: String) -> String {
        let lower = path.lowercased()
        let table: [(String, String)] = [
            (".jsonl.gz", "application/jsonlines"), (".jsonl.zst", "application/jsonlines"),
            (".jsonl", "application/jsonlines"), (".json", "application/json"), (".svg", "image/svg+xml"),
            (".png", "image/png"), (".csv", "text/csv"), (".tsv", "text/tab-separated-values"),
            (".txt", "text/plain"), (".md", "text/markdown"), (".parquet", "application/x-parquet"),
        ]
        for (suffix, format) in table where lower.hasSuffix(suffix) { return format }
        return "application/octet-stream"
    }

    /// One FileSet over all shards, with one glob per split (the same globs as the card's
    /// `data_files`). A FileSet without `containedIn` is resolved against the folder that holds
    /// `croissant.json`, so the export stays relocatable; a FileObject per shard would give each
    /// its own source and so its own record set.
    private static func dataFileSet(_ d: ExportDescription, splits: [String]) -> JSONValue {
        let suffix = d.shardSuffix
        let includes: [JSONValue] = splits.isEmpty
            ? [.string("data/*" + suffix)]
            : splits.map { .string("data/\($0)-*" + suffix) }
        return [
            "@type": "cr:FileSet",
            "@id": .string(dataFileSetID),
            "name": .string(dataFileSetID),
            "description": "The data shards: JSON Lines, one record per line.",
            "encodingFormat": "application/jsonlines",
            "includes": includes.count == 1 ? includes[0] : .array(includes),
        ]
    }

    private static func recordSet(_ d: ExportDescription, splits: [String], ids: inout IDAllocator) -> JSONValue {
        var fields: [JSONValue] = []
        var keyID: String?
        for property in RecordSchemaReader.properties(of: d.recordSchema) {
            if let observed = d.observedFields, !observed.contains(property.name) { continue }
            guard RecordSchemaReader.isJSONPathKey(property.name) else { continue }
            let shape = RecordSchemaReader.shape(of: property.schema, depth: 0)
            let id = ids.unique("\(recordSetID)/\(property.name)")
            guard let field = makeField(
                id: id, name: property.name, schema: property.schema, shape: shape,
                topKey: property.name, innerPath: [], ids: &ids)
            else { continue }
            if property.name == d.idField, case .scalar = shape { keyID = id }
            fields.append(field)
        }
        if !splits.isEmpty {
            let id = ids.unique("\(recordSetID)/split")
            let alternatives = splits.map(regexEscaped).joined(separator: "|")
            fields.append([
                "@type": "cr:Field",
                "@id": .string(id),
                "name": .string(String(id.dropFirst(recordSetID.count + 1))),
                "description": "The split, read from the shard's file name.",
                "dataType": "sc:Text",
                "source": [
                    "fileSet": ["@id": .string(dataFileSetID)],
                    "extract": ["fileProperty": "fullpath"],
                    "transform": [
                        "regex": .string(
                            "^.*/(\(alternatives))-\\d{5}-of-\\d{5}\\.jsonl(?:\\.gz|\\.zst)?$"),
                    ],
                ],
            ])
        }
        var set: [String: JSONValue] = [
            "@type": "cr:RecordSet",
            "@id": .string(recordSetID),
            "name": .string(recordSetID),
            "description": .string("One record per line of the data shards, as described by \(d.recordSchemaName)."),
            "field": .array(fields),
        ]
        if let keyID { set["key"] = ["@id": .string(keyID)] }
        return .object(set)
    }

    /// A `cr:Field` for one schema property, or nil when mlcroissant could not load it: every
    /// field reads the top-level column `topKey` (mlcroissant looks a bare `jsonPath` up as a
    /// column name) and nested values are reached with a `jsonPath` transform.
    private static func makeField(
        id: String, name: String, schema: JSONValue, shape: RecordSchemaReader.Shape, topKey: String,
        innerPath: [String], ids: inout IDAllocator
    ) -> JSONValue? {
        var source: [String: JSONValue] = [
            "fileSet": ["@id": .string(dataFileSetID)],
            "extract": ["jsonPath": .string(topKey)],
        ]
        if !innerPath.isEmpty { source["transform"] = ["jsonPath": .string(innerPath.joined(separator: "."))] }
        var field: [String: JSONValue] = ["@type": "cr:Field", "@id": .string(id), "name": .string(name)]
        if let description = schema["description"]?.stringValue { field["description"] = .string(description) }

        switch shape {
        case .unsupported:
            return nil
        case .scalar(let dataType):
            field["dataType"] = .string(dataType)
            field["source"] = .object(source)
        case .array(let dataType, let depth):
            field["dataType"] = .string(dataType)
            field["isArray"] = true
            field["arrayShape"] = .string(Array(repeating: "-1", count: depth).joined(separator: ","))
            field["source"] = .object(source)
        case .object(let properties), .arrayOfObjects(let properties):
            let repeated: Bool
            if case .arrayOfObjects = shape { repeated = true } else { repeated = false }
            var subFields: [JSONValue] = []
            for property in properties {
                let subShape = RecordSchemaReader.shape(of: property.schema, depth: innerPath.count + 1)
                // mlcroissant spreads a transform over the elements of a top-level array only, so
                // inside array elements a field may be a scalar or an array of scalars, no deeper.
                if repeated {
                    switch subShape {
                    case .scalar, .array: break
                    default: continue
                    }
                }
                let subID = ids.unique("\(id)/\(property.name)")
                let path = repeated ? [property.name] : innerPath + [property.name]
                if let sub = makeField(
                    id: subID, name: property.name, schema: property.schema, shape: subShape, topKey: topKey,
                    innerPath: path, ids: &ids)
                {
                    subFields.append(sub)
                }
            }
            guard !subFields.isEmpty else { return nil }
            if repeated {
                field["isArray"] = true
                field["arrayShape"] = "-1"
            }
            field["subField"] = .array(subFields)
        }
        return .object(field)
    }

    /// Top-level record properties that the record set leaves out (free-form objects, untyped
    /// values, keys `jsonPath` cannot name, fields no record has), so the card can say so.
    static func omittedProperties(_ d: ExportDescription) -> [String] {
        var ids = IDAllocator()
        return RecordSchemaReader.properties(of: d.recordSchema).compactMap { property in
            if let observed = d.observedFields, !observed.contains(property.name) { return property.name }
            guard RecordSchemaReader.isJSONPathKey(property.name) else { return property.name }
            let field = makeField(
                id: "\(recordSetID)/\(property.name)", name: property.name, schema: property.schema,
                shape: RecordSchemaReader.shape(of: property.schema, depth: 0), topKey: property.name, innerPath: [],
                ids: &ids)
            return field == nil ? property.name : nil
        }
    }

    /// Split names are plain words in practice, but a regex metacharacter in one must not widen the match.
    private static func regexEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\^$.|?*+()[]{}".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}

/// Hands out JSON-LD ids, which must be unique within a Croissant document.
struct IDAllocator {
    private var used: Set<String> = []

    mutating func reserve(_ id: String) { used.insert(id) }

    /// `base`, or `base_2`, `base_3`... when taken.
    mutating func unique(_ base: String) -> String {
        var candidate = base
        var counter = 2
        while used.contains(candidate) {
            candidate = "\(base)_\(counter)"
            counter += 1
        }
        used.insert(candidate)
        return candidate
    }
}

/// Reads the parts of a record's JSON Schema that the card and Croissant describe.
enum RecordSchemaReader {
    /// How a property maps to Croissant fields.
    enum Shape: Equatable {
        /// One value of a Croissant atomic type.
        case scalar(String)
        /// Nested arrays (`depth` levels) of one atomic type.
        case array(String, depth: Int)
        /// An object with known properties: a field with sub-fields.
        case object([SchemaProperty])
        /// An array of such objects: a repeated field with sub-fields.
        case arrayOfObjects([SchemaProperty])
        /// Free-form objects, mixed arrays, untyped values: nothing mlcroissant can cast.
        case unsupported
    }

    /// A named property and its schema.
    struct SchemaProperty: Equatable {
        var name: String
        var schema: JSONValue
    }

    /// Deeper schemas than this are not described: it bounds the work on a user's schema.
    static let maxDepth = 8

    /// The properties of an object schema by name (code-point order), including those of inline
    /// `allOf` members, where a later definition of a name wins.
    static func properties(of schema: JSONValue) -> [SchemaProperty] {
        var merged: [String: JSONValue] = [:]
        collectProperties(of: schema, into: &merged, depth: 0)
        return JSONWriter.sortedKeys(merged).map { SchemaProperty(name: $0, schema: merged[$0] ?? .null) }
    }

    private static func collectProperties(of schema: JSONValue, into merged: inout [String: JSONValue], depth: Int) {
        guard depth <= maxDepth else { return }
        for member in schema["allOf"]?.arrayValue ?? [] {
            collectProperties(of: member, into: &merged, depth: depth + 1)
        }
        for (name, property) in schema["properties"]?.objectValue ?? [:] { merged[name] = property }
    }

    /// Whether mlcroissant can use `key` as a bare `jsonPath`: it must parse with `jsonpath_rw`
    /// (no leading digit, no spaces or other punctuation, not the keyword `where`) and must not
    /// be read as a path (`.`).
    static func isJSONPathKey(_ key: String) -> Bool {
        guard let first = key.utf8.first, key != "where" else { return false }
        func isLetter(_ byte: UInt8) -> Bool {
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == UInt8(ascii: "_")
        }
        guard isLetter(first) else { return false }
        return key.utf8.allSatisfy { isLetter($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-") }
    }

    /// The JSON types a schema allows, without `null`; `integer` folds into `number` when both
    /// appear. Empty when the schema does not say.
    static func types(of schema: JSONValue, depth: Int = 0) -> [String] {
        var found: Set<String> = []
        if let type = schema["type"] {
            if let single = type.stringValue { found.insert(single) }
            for element in type.arrayValue ?? [] {
                if let name = element.stringValue { found.insert(name) }
            }
        } else if let constant = schema["const"] {
            found.insert(constant.typeName)
        } else if let values = schema["enum"]?.arrayValue {
            for value in values { found.insert(value.typeName) }
        } else if depth < maxDepth {
            for keyword in ["anyOf", "oneOf"] {
                for member in schema[keyword]?.arrayValue ?? [] {
                    for name in types(of: member, depth: depth + 1) { found.insert(name) }
                    if isNullable(member) { found.insert("null") }
                }
            }
        }
        found.remove("null")
        if found.contains("number") { found.remove("integer") }
        return found.sorted()
    }

    /// Whether `null` is allowed.
    static func isNullable(_ schema: JSONValue) -> Bool {
        if let type = schema["type"] {
            return type.stringValue == "null" || (type.arrayValue ?? []).contains("null")
        }
        if let values = schema["enum"]?.arrayValue { return values.contains(.null) }
        return false
    }

    /// A short type description for people: `string`, `integer or null`, `array of number`.
    static func typeText(of schema: JSONValue, depth: Int = 0) -> String {
        let names = types(of: schema)
        var text: String
        if names.isEmpty {
            text = "any"
        } else if names == ["array"], depth < maxDepth, let items = schema["items"], items.objectValue != nil {
            text = "array of " + typeText(of: items, depth: depth + 1)
        } else {
            text = names.joined(separator: " or ")
        }
        if isNullable(schema) && !names.isEmpty { text += " or null" }
        return text
    }

    /// The Croissant shape of a property. Objects are described by sub-fields rather than as
    /// `sc:Text`, because mlcroissant casts a text field's value with `bytes(value)`, which fails on a dict.
    static func shape(of schema: JSONValue, depth: Int) -> Shape {
        guard depth <= maxDepth else { return .unsupported }
        let names = types(of: schema)
        if names.count == 1, let dataType = atomicDataType(names[0]) { return .scalar(dataType) }
        if !names.isEmpty, names.allSatisfy({ atomicDataType($0) != nil }) {
            // mlcroissant turns strings, numbers and booleans alike into text.
            return .scalar("sc:Text")
        }
        guard names.count == 1 else { return .unsupported }
        switch names[0] {
        case "array":
            guard let items = schema["items"], items.objectValue != nil else { return .unsupported }
            switch shape(of: items, depth: depth + 1) {
            case .scalar(let dataType): return .array(dataType, depth: 1)
            case .array(let dataType, let inner): return .array(dataType, depth: inner + 1)
            case .object(let properties): return depth == 0 ? .arrayOfObjects(properties) : .unsupported
            case .arrayOfObjects, .unsupported: return .unsupported
            }
        case "object":
            let properties = properties(of: schema).filter { isJSONPathKey($0.name) }
            return properties.isEmpty ? .unsupported : .object(properties)
        default:
            return .unsupported
        }
    }

    private static func atomicDataType(_ jsonType: String) -> String? {
        switch jsonType {
        case "string": return "sc:Text"
        case "integer": return "sc:Integer"
        case "number": return "sc:Float"
        case "boolean": return "sc:Boolean"
        default: return nil
        }
    }
}
