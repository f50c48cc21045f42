import StageKit
import Readers
import Foundation

/// `records.import`: brings existing JSONL records (plain, gzip or zstd) into the workspace, checking
/// each against a schema; a record that fails it, lacks its id or repeats an id is a reject.
public struct RecordsImportStage: ReducingStage {
    public static let kind = "records.import"
    public static let summary = "import JSONL records (plain, .gz, .zst), validated against a schema"
    public static let parametersSchema = "records.import.params"
    public static var schemaFiles: [SchemaFile] { SchemaFile.list(EmbeddedSchemas.files) }
    public static var accepts: AcceptedInputs { AcceptedInputs(files: true, records: .any) }

    /// The parameters of a `records.import` stage; the defaults are the initial values below.
    public struct Parameters: Sendable, Equatable, Decodable {
        /// A schema name (embedded) or a path relative to the pipeline file.
        public var schema: String
        public var idField = "id"
        public var maxRecordBytes = 64 << 20

        enum CodingKeys: String, CodingKey {
            case schema, idField = "id_field", maxRecordBytes = "max_record_bytes"
        }

        public init(schema: String) { self.schema = schema }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(schema: try container.decode(String.self, forKey: .schema))
            idField = try container.decodeIfPresent(String.self, forKey: .idField) ?? idField
            maxRecordBytes = try container.decodeIfPresent(Int.self, forKey: .maxRecordBytes) ?? maxRecordBytes
        }
    }

    let validator: any RecordValidator
    public let parameterFiles: [String]
    let idField: String
    let maxLineBytes: Int

    public init(parameters: Parameters, setup: StageSetup) throws {
        idField = parameters.idField
        maxLineBytes = parameters.maxRecordBytes
        validator = try setup.schemas.validator(for: parameters.schema, relativeTo: setup.pipelineDirectory)
        parameterFiles = validator.path.map { [$0] } ?? []
    }

    public var streams: [StreamSpec] { [StreamSpec(name: "main", schema: validator.name, idField: idField)] }

    public func map(_ item: InputItem, into output: some MapContext) throws {
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

    private func accept(_ record: JSONValue, line: Int, offset: Int64?, output: some MapContext) throws {
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
        if !validator.isValid(record) {
            let text = validator.problems(in: record, limit: 3).joined(separator: "; ")
            try output.reject(.error, code: "record.schema", reason: "record \(id) does not match schema \(validator.name): \(text)",
                              line: line, offset: offset)
            return
        }
        try output.emit(bytes: JSONWriter.compact(record), id: id, stream: "main", line: line)
    }

    /// Ids must be unique across every input: the first occurrence (by input path, then line) is kept.
    public func reduce(_ context: some ReduceContext) throws {
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
