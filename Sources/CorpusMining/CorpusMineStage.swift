import StageKit

/// `corpus.mine`: mines C, C++, CUDA, OpenCL and Fortran repositories (folders and archives) into file,
/// function and OpenMP-loop records, HPCorpus-style, with global exact and near deduplication.
public struct CorpusMineStage: ReducingStage {
    public static let kind = "corpus.mine"
    public static let summary =
        "mine C/C++/CUDA/OpenCL/Fortran repositories into file, function and OpenMP-loop records (paradigms, licenses, dedup)"
    public static let parametersSchema = "corpus.mine.params"
    public static var schemaFiles: [SchemaFile] { SchemaFile.list(EmbeddedSchemas.files) }
    public static var accepts: AcceptedInputs { .filesAndArchives }

    let miner: FileMiner

    public init(parameters: CorpusMineParameters, setup: StageSetup) throws {
        miner = FileMiner(parameters: parameters)
    }

    public var streams: [StreamSpec] {
        let file = StreamReference(stream: CorpusStreams.files, field: "file_id")
        return [
            StreamSpec(name: CorpusStreams.files, schema: "corpus-file"),
            StreamSpec(name: CorpusStreams.functions, schema: "corpus-function", reference: file),
            StreamSpec(name: CorpusStreams.ompLoops, schema: "corpus-omp-loop", reference: file),
            // Side streams are never exported or validated; their names only label the shards.
            StreamSpec(name: CorpusStreams.signatures, schema: "corpus-signature", hidden: true),
            StreamSpec(name: CorpusStreams.licenses, schema: "corpus-license", hidden: true),
        ]
    }

    public func map(_ item: InputItem, into output: some MapContext) throws {
        let content: [UInt8]
        switch item.source {
        case .bytes(let bytes):
            content = bytes
        case .file:
            // Files that are neither source nor license files are not even read.
            guard miner.wants(locator: item.locator, repo: item.repo) else { return }
            do {
                content = try item.content(limit: miner.parameters.maxFileBytes)
            } catch let error as PipeError where error.code == "io.too_large" {
                try output.reject(.dropped, code: "corpus.too_large",
                                  reason: "larger than max_file_bytes (\(miner.parameters.maxFileBytes))")
                return
            } catch {
                try output.reject(.error, code: "corpus.unreadable", reason: "cannot read \(item.locator): \(error)")
                return
            }
        case .record:
            try output.reject(.error, code: "corpus.input", reason: "corpus.mine reads files and archives, not records")
            return
        }
        switch miner.mine(locator: item.locator, repo: item.repo, content: content) {
        case .ignored:
            return
        case .license(let record):
            try output.emit(bytes: JSONWriter.compact(record), id: record["id"]?.stringValue, stream: CorpusStreams.licenses)
        case .rejected(let rejectClass, let code, let reason, let offset):
            try output.reject(rejectClass, code: code, reason: reason, line: nil, offset: offset)
        case .mined(let mined):
            try output.emit(bytes: mined.file, id: mined.fileID, stream: CorpusStreams.files)
            try output.emit(bytes: mined.signature, id: mined.fileID, stream: CorpusStreams.signatures)
            for record in mined.functions {
                try output.emit(bytes: record.bytes, id: record.id, stream: CorpusStreams.functions)
            }
            for record in mined.loops {
                try output.emit(bytes: record.bytes, id: record.id, stream: CorpusStreams.ompLoops)
            }
        }
    }

    public func reduce(_ context: some ReduceContext) throws {
        try CorpusReducer(parameters: miner.parameters).reduce(context)
    }
}
