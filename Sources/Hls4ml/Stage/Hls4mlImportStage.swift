import Readers
import StageKit

/// `hls4ml.import`: the published wa-hls4ml JSON files (one top-level array per file, gigabytes each) read through
/// the kit's streaming reader with flat memory; each record gets pipe's additions (`id`, `model`, `features`,
/// `targets`). `null` elements are skipped and counted (a `dropped` reject each); other non-objects are errors.
public struct Hls4mlImportStage: Stage {
    public static let kind = "hls4ml.import"
    public static let summary = "published wa-hls4ml JSON arrays, streamed, with pipe's id, model, features and targets added"
    public static let parametersSchema = "hls4ml.import.params"
    public static var schemaFiles: [SchemaFile] { SchemaFile.list(EmbeddedSchemas.files) }
    public static var accepts: AcceptedInputs { .files }

    /// The parameters (`Schemas/Hls4ml/hls4ml.import.params.schema.json`); defaults here only.
    public struct Parameters: Sendable, Equatable, Decodable {
        public var maxRecordBytes = 64 << 20

        enum CodingKeys: String, CodingKey { case maxRecordBytes = "max_record_bytes" }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            maxRecordBytes = try container.decodeIfPresent(Int.self, forKey: .maxRecordBytes) ?? maxRecordBytes
        }
    }

    let parameters: Parameters

    public init(parameters: Parameters, setup: StageSetup) throws {
        guard parameters.maxRecordBytes > 0 else {
            throw PipeError("params.range", "'max_record_bytes' must be positive", field: "/max_record_bytes")
        }
        self.parameters = parameters
    }

    public var streams: [StreamSpec] { [StreamSpec(name: "main", schema: "hls4ml-record")] }

    public func map(_ item: InputItem, into output: some MapContext) throws {
        guard case .file(let path) = item.source else {
            try output.reject(.error, code: "hls4ml.input", reason: "hls4ml.import reads JSON files")
            return
        }
        let ioType = Self.ioType(subset: Self.subset(of: item.locator))
        let reader = JSONRecordReader(path: path, limits: JSONFramerLimits(maxElementBytes: parameters.maxRecordBytes,
                                                                           maxDepth: JSONLimits.default.maxDepth))
        try reader.read { record, position in
            let line = reader.layout == .lines ? position.line : position.index
            switch record {
            case .null:
                try output.reject(.dropped, code: "hls4ml.null_entry", reason: "element \(position.index) is null", line: line,
                                  offset: position.offset)
            case .object:
                guard record["model_config"]?.arrayValue != nil, record["hls_config"] != nil, record["meta_data"] != nil else {
                    try output.reject(.error, code: "hls4ml.record",
                                      reason: "element \(position.index) lacks meta_data, model_config or hls_config", line: line,
                                      offset: position.offset)
                    return
                }
                let own = record["io_type"]?.stringValue ?? record["hls_config"]?["io_type"]?.stringValue
                try output.emit(try RecordAdditions.adding(to: record, ioType: own ?? ioType), line: line)
            default:
                try output.reject(.error, code: "record.not_object", reason: "element \(position.index) is a \(record.typeName), not a record",
                                  line: line, offset: position.offset)
            }
        } problem: { problem in
            try output.reject(.error, code: problem.code, reason: problem.reason + " (element \(problem.position.index))",
                              line: nil, offset: problem.position.offset)
        }
    }

    /// The generation subset a published file holds, from its name (`<split>_<subset>_merged.json`), if it says.
    public static func subset(of locator: String) -> String? {
        var name = ProjectFile.split(locator).1
        for suffix in [".gz", ".zst", ".json"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        guard name.hasSuffix("_merged") else { return nil }
        name.removeLast("_merged".count)
        guard let cut = name.firstIndex(of: "_") else { return nil }
        return String(name[name.index(after: cut)...])
    }

    /// The subsets stored io_type only in 2_20; elsewhere it follows the subset (io_stream for conv).
    static func ioType(subset: String?) -> String? {
        switch subset {
        case "conv1d"?, "conv2d"?: return "io_stream"
        case nil: return nil
        default: return "io_parallel"
        }
    }
}
