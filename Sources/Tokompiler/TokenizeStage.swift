import StageKit
import Foundation

/// The parameters of a `tokompiler.tokenize` stage (`Schemas/Tokompiler/tokompiler.tokenize.params.schema.json`);
/// the defaults are the initial values below, and only there.
public struct TokenizeParameters: Sendable, Equatable, Decodable {
    public var anonymizeLibraryCalls = false
    public var randomIDs = false
    public var seed: UInt64?
    public var idsPer = IDScope.file
    public var contentField = "content"
    public var shards = true
    public var shardTokens = 1 << 28
    public var maxBytes = 64 << 20

    public init() {}

    enum CodingKeys: String, CodingKey {
        case anonymizeLibraryCalls = "anonymize_library_calls", randomIDs = "random_ids", seed, idsPer = "ids_per"
        case contentField = "content_field", shards, shardTokens = "shard_tokens", maxBytes = "max_bytes"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        anonymizeLibraryCalls = try value(.anonymizeLibraryCalls, anonymizeLibraryCalls)
        randomIDs = try value(.randomIDs, randomIDs)
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed)
        idsPer = try value(.idsPer, idsPer)
        contentField = try value(.contentField, contentField)
        shards = try value(.shards, shards)
        shardTokens = try value(.shardTokens, shardTokens)
        maxBytes = try value(.maxBytes, maxBytes)
        if randomIDs && seed == nil {
            throw PipeError("params.seed", "'random_ids: true' needs 'seed': a non-negative integer", field: "/random_ids")
        }
        if !randomIDs && seed != nil {
            throw PipeError("params.seed", "'seed' applies only with 'random_ids: true'", field: "/seed")
        }
        guard shardTokens >= 1, maxBytes >= 1 else {
            throw PipeError("params.shard_tokens", "'shard_tokens' and 'max_bytes' must be positive",
                            field: shardTokens < 1 ? "/shard_tokens" : "/max_bytes")
        }
    }

    /// The tokenizer options these parameters describe.
    public var tokenizerOptions: TokenizerOptions {
        var options = TokenizerOptions()
        options.anonymizeLibraryCalls = anonymizeLibraryCalls
        if randomIDs, let seed { options.ids = .random(seed: seed) }
        options.scope = idsPer
        return options
    }
}

/// `tokompiler.tokenize`: one `tokompiler-record` per upstream source record (a corpus.mine `files` or
/// `functions` record), and token-id training shards of all of them written in the reduce phase.
public struct TokompilerTokenizeStage: ReducingStage {
    public static let kind = "tokompiler.tokenize"
    public static let summary = "Tokompiler-style anonymized tokens, ids and reverse maps of code records, with token-id training shards"
    public static let parametersSchema = "tokompiler.tokenize.params"
    public static var schemaFiles: [SchemaFile] { SchemaFile.list(EmbeddedSchemas.files) }
    public static var accepts: AcceptedInputs { .records }

    let tokenizer: Tokenizer
    let contentField: String
    let writeShards: Bool
    let shardTokens: Int
    let maxBytes: Int

    public init(parameters: TokenizeParameters, setup: StageSetup) throws {
        tokenizer = Tokenizer(options: parameters.tokenizerOptions)
        contentField = parameters.contentField
        writeShards = parameters.shards
        shardTokens = parameters.shardTokens
        maxBytes = parameters.maxBytes
    }

    public var streams: [StreamSpec] { [StreamSpec(name: "main", schema: "tokompiler-record")] }

    public func map(_ item: InputItem, into output: some MapContext) throws {
        guard case .record(let record) = item.source else {
            try output.reject(.error, code: "tokompiler.not_a_record",
                              reason: "tokompiler.tokenize reads upstream records ({stage, records} inputs), not files")
            return
        }
        guard case .object = record else {
            try output.reject(.error, code: "record.not_object", reason: "a record must be a JSON object")
            return
        }
        guard let sourceID = RecordKey.idText(record["id"]), !sourceID.isEmpty else {
            try output.reject(.error, code: "record.no_id", reason: "record has no string or integer 'id' field")
            return
        }
        guard let content = record[contentField]?.stringValue else {
            try output.reject(.error, code: "tokompiler.no_content",
                              reason: "record \(sourceID) has no string '\(contentField)' field")
            return
        }
        guard let name = record["language"]?.stringValue, let language = TokenizerLanguage(rawValue: name) else {
            try output.reject(.error, code: "tokompiler.language",
                              reason: "record \(sourceID) has no language pipe tokenizes (c, cpp, cuda, opencl, fortran)")
            return
        }
        let bytes = Array(content.utf8)
        guard bytes.count <= maxBytes else {
            try output.reject(.dropped, code: "tokompiler.too_large",
                              reason: "record \(sourceID) has \(bytes.count) bytes of code, over max_bytes \(maxBytes)")
            return
        }
        let path = record["path"]?.stringValue
        var fixed = false
        if language == .fortran {
            if let form = record["fortran_form"]?.stringValue {
                fixed = form == "fixed"
            } else {
                fixed = TokenizeFiles.fortranFixedForm(path: path ?? "", bytes: bytes)
            }
        }
        let document = tokenizer.tokenize(SourceInput(bytes: bytes, language: language, fortranFixedForm: fixed))
        let result = TokenRecord(sourceID: sourceID, repo: record["repo"]?.stringValue, path: path, language: language,
                                 fortranFixedForm: language == .fortran ? fixed : nil, document: document,
                                 options: tokenizer.options, vocabularyVersion: tokenizer.vocabulary.version)
        try output.emit(bytes: result.json(), id: result.id)
    }

    /// Passes every record through in key order and, unless `shards: false`, writes the training shards.
    public func reduce(_ context: some ReduceContext) throws {
        let vocabulary = tokenizer.vocabulary
        let writer = writeShards
            ? TokenShardWriter(sink: context, maxID: vocabulary.maxID, shardTokens: shardTokens)
            : nil
        var unknown: Int64 = 0
        do {
            try context.forEachRecord(stream: "main") { key, bytes in
                try context.emit(stream: "main", key: key, bytes: bytes)
                guard let writer else { return }
                let ids = try JSONParser.member("ids", in: bytes)?.arrayValue?
                    .map { Int32(clamping: $0.integerValue ?? Int64(vocabulary.unknownID)) } ?? []
                unknown += Int64(ids.lazy.filter { $0 == Int32(vocabulary.unknownID) }.count)
                try writer.append(documentID: key.id, ids: ids)
            }
            var seed: JSONValue = .null
            if case .random(let value) = tokenizer.options.ids { seed = .integer(Int64(bitPattern: value)) }
            try writer?.finish(extra: [
                "vocab_version": .integer(Int64(vocabulary.version)),
                "vocab_sha256": .string(vocabulary.sha256),
                "vocab_size": .integer(Int64(vocabulary.maxID + 1)),
                "unk_id": .integer(Int64(vocabulary.unknownID)),
                "unk_tokens": .integer(unknown),
                "ids_mode": .string(seed == .null ? "sequential" : "random"),
                "seed": seed,
                "ids_per": .string(tokenizer.options.scope.rawValue),
                "library_calls": .string(tokenizer.options.anonymizeLibraryCalls ? "anonymized" : "kept"),
            ])
        } catch {
            writer?.abandon()
            throw error
        }
    }
}

/// Helpers for reading source files the way the stage and `pipe tokenize` do.
public enum TokenizeFiles {
    /// The Fortran form of a file: its extension's convention unless the content clearly shows the other form.
    public static func fortranFixedForm(path: String, bytes: [UInt8]) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let ext = name.contains(".") ? String(name.split(separator: ".").last ?? "") : ""
        return FortranFormDetection.isFixed(pathExtension: ext, bytes: bytes)
    }

    /// The language of a file by its extension (`.h` by content), or nil.
    public static func language(path: String, bytes: [UInt8]) -> TokenizerLanguage? {
        LanguageDetection.language(path: path, bytes: bytes)
    }
}
