import Foundation

/// `records.import`: brings existing JSONL records (plain, gzip or zstd) into the workspace, checking
/// each against a schema; a record that fails it, lacks its id or repeats an id is a reject.
public struct RecordsImportStage: Stage {
    public static let kind = "records.import"
    public static let summary = "import JSONL records (plain, .gz, .zst), validated against a schema"
    public static let parametersSchema = "records.import.params"

    let schemaName: String
    let schema: JSONSchema
    public let parameterFiles: [String]
    let idField: String
    let maxLineBytes: Int

    public init(parameters: JSONValue, setup: StageSetup) throws {
        guard let name = parameters["schema"]?.stringValue else {
            throw PipeError("params.schema", "records.import needs 'schema': a schema name from Schemas/ or a path")
        }
        idField = parameters["id_field"]?.stringValue ?? "id"
        maxLineBytes = Int(parameters["max_record_bytes"]?.integerValue ?? 64 << 20)
        let resolved = try SchemaLoader.load(name, relativeTo: setup.pipelineDirectory, registry: setup.schemas)
        schemaName = resolved.name
        schema = resolved.schema
        parameterFiles = resolved.path.map { [$0] } ?? []
    }

    public var streams: [StreamSpec] { [StreamSpec(name: "main", schema: schemaName, idField: idField)] }

    public func map(_ item: InputItem, into output: MapOutput) throws {
        guard case .file(let path) = item.source else {
            if case .record(let record) = item.source { try accept(record, line: 0, offset: nil, output: output) }
            return
        }
        let reader = try ShardReader(path: path, maxLineBytes: maxLineBytes)
        // A too-long line is one reject and reading goes on after it; any other read error ends the item.
        while true {
            do {
                try reader.forEachLine { line, number, offset in
                    let record: JSONValue
                    do {
                        record = try JSONParser.parse(buffer: line)
                    } catch let error as JSONParseError {
                        try output.reject(.error, code: "record.json",
                                          reason: "invalid JSON at column \(error.column): \(error.message)",
                                          line: number, offset: offset)
                        return
                    }
                    try accept(record, line: number, offset: offset, output: output)
                }
                return
            } catch let error as ShardReadError {
                try output.reject(.error, code: error.code, reason: error.reason, line: error.lineNumber,
                                  offset: error.offset)
                guard case .lineTooLong = error else { return }
            }
        }
    }

    private func accept(_ record: JSONValue, line: Int, offset: Int64?, output: MapOutput) throws {
        guard case .object = record else {
            try output.reject(.error, code: "record.not_object", reason: "a record must be a JSON object", line: line,
                              offset: offset)
            return
        }
        guard let id = RecordKey.idText(record[idField]), !id.isEmpty else {
            try output.reject(.error, code: "record.no_id",
                              reason: "record has no string or integer '\(idField)' field", line: line, offset: offset)
            return
        }
        if !schema.isValid(record) {
            let issues = schema.validate(record, maxIssues: 3)
            let text = issues.map { "\($0.instancePath.isEmpty ? "/" : $0.instancePath): \($0.message)" }.joined(separator: "; ")
            try output.reject(.error, code: "record.schema", reason: "record \(id) does not match schema \(schemaName): \(text)",
                              line: line, offset: offset)
            return
        }
        try output.emit(bytes: JSONWriter.compact(record), id: id, line: line)
    }

    public var hasReduce: Bool { true }

    /// Ids must be unique across every input: the first occurrence (by input path, then line) is kept.
    public func reduce(_ context: ReduceContext) throws {
        var previous: RecordKey?
        try context.forEachRecord(stream: "main") { key, bytes in
            if let first = previous, first.id == key.id {
                try context.reject(Reject(
                    .dropped, code: "record.duplicate_id",
                    reason: "id \(key.id) was already seen at \(first.locator):\(first.line)", locator: key.locator,
                    line: key.line))
                return
            }
            previous = key
            try context.emit(stream: "main", key: key, bytes: bytes)
        }
    }
}

/// Finds a schema by bundled name (`demo-record`) or by path (relative to the pipeline file); the
/// path is returned for a schema read from a file.
public enum SchemaLoader {
    public static func load(_ nameOrPath: String, relativeTo directory: String, registry: SchemaRegistry) throws
        -> (name: String, schema: JSONSchema, path: String?)
    {
        if let schema = registry.schema(named: nameOrPath) { return (nameOrPath, schema, nil) }
        let path = nameOrPath.hasPrefix("/") ? nameOrPath : directory + "/" + nameOrPath
        guard FileSystem.exists(path).exists else {
            throw PipeError("schema.unknown", "no bundled schema named '\(nameOrPath)' and no file \(path)")
        }
        let document = try YAMLDocument(contentsOf: path).value
        do {
            let name = (path as NSString).lastPathComponent
            let extended = try registry.adding(document: document, name: name)
            guard let schema = extended.schema(named: name) else {
                throw PipeError("schema.invalid", "cannot load schema \(path)")
            }
            return (nameOrPath, schema, path)
        } catch let error as SchemaError {
            throw PipeError("schema.invalid", "invalid schema \(path): \(error)")
        }
    }
}
