import StageKit
import Readers
import Foundation

/// `records.import`: brings existing JSON records into the workspace (JSON Lines, one top-level array, or
/// concatenated objects; plain, gzip or zstd), checking each against a schema; a record that fails it, lacks
/// its id or repeats an id is a reject.
public struct RecordsImportStage: ReducingStage {
    public static let kind = "records.import"
    public static let summary = "import JSON records (JSON Lines, an array or concatenated; plain, .gz, .zst), validated against a schema"
    public static let parametersSchema = "records.import.params"
    public static var schemaFiles: [SchemaFile] { SchemaFile.list(EmbeddedSchemas.files) }
    public static var accepts: AcceptedInputs { AcceptedInputs(files: true, records: .any) }

    /// The parameters of a `records.import` stage; the defaults are the initial values below.
    public struct Parameters: Sendable, Equatable, Decodable {
        /// A schema name (embedded) or a path relative to the pipeline file.
        public var schema: String
        public var idField = "id"
        public var maxRecordBytes = 64 << 20
        public var layout = InputLayout.auto

        enum CodingKeys: String, CodingKey {
            case schema, idField = "id_field", maxRecordBytes = "max_record_bytes", layout
        }

        public init(schema: String) { self.schema = schema }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(schema: try container.decode(String.self, forKey: .schema))
            idField = try container.decodeIfPresent(String.self, forKey: .idField) ?? idField
            maxRecordBytes = try container.decodeIfPresent(Int.self, forKey: .maxRecordBytes) ?? maxRecordBytes
            layout = try container.decodeIfPresent(InputLayout.self, forKey: .layout) ?? layout
        }
    }

    /// How an input file's records are laid out.
    public enum InputLayout: String, Sendable, Equatable, Decodable {
        /// Detected per file from its first bytes.
        case auto
        /// JSON Lines.
        case lines
        /// One top-level array.
        case array
        /// Values one after another, without separators.
        case concatenated

        var framerLayout: JSONLayout? {
            switch self {
            case .auto: return nil
            case .lines: return .lines
            case .array: return .array
            case .concatenated: return .concatenated
            }
        }
    }

    let validator: any RecordValidator
    public let parameterFiles: [String]
    let idField: String
    let maxLineBytes: Int
    let layout: InputLayout

    public init(parameters: Parameters, setup: StageSetup) throws {
        idField = parameters.idField
        maxLineBytes = parameters.maxRecordBytes
        layout = parameters.layout
        validator = try setup.schemas.validator(for: parameters.schema, relativeTo: setup.pipelineDirectory)
        parameterFiles = validator.path.map { [$0] } ?? []
    }

    public var streams: [StreamSpec] { [StreamSpec(name: "main", schema: validator.name, idField: idField)] }

    public func map(_ item: InputItem, into output: some MapContext) throws {
        switch item.source {
        case .record(let record):
            try accept(record, line: 0, offset: nil, output: output)
        case .bytes:
            try output.reject(.error, code: "records.input", reason: "records.import reads files and upstream records")
        case .file(let path):
            let reader = JSONRecordReader(path: path, layout: layout.framerLayout,
                                          limits: JSONFramerLimits(maxElementBytes: maxLineBytes,
                                                                   maxDepth: JSONLimits.default.maxDepth))
            try reader.read { record, position in
                try accept(record, line: position.line, offset: position.offset, output: output)
            } problem: { problem in
                let line = problem.position.line > 0 ? problem.position.line : nil
                let element = reader.layout == .lines ? "" : " (element \(problem.position.index))"
                try output.reject(.error, code: problem.code, reason: problem.reason + element, line: line,
                                  offset: problem.position.offset)
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
