import PipeCore

/// `corpus.mine`: mines C, C++, CUDA, OpenCL and Fortran repositories (folders and archives) into file,
/// function and OpenMP-loop records, HPCorpus-style, with global exact and near deduplication.
public struct CorpusMineStage: Stage {
    public static let kind = "corpus.mine"
    public static let summary =
        "mine C/C++/CUDA/OpenCL/Fortran repositories into file, function and OpenMP-loop records (paradigms, licenses, dedup)"
    public static let parametersSchema = "corpus.mine.params"
    public static var readsArchives: Bool { true }

    let miner: FileMiner

    public init(parameters: JSONValue, setup: StageSetup) throws {
        miner = FileMiner(parameters: try CorpusMineParameters(parameters))
    }

    public var streams: [StreamSpec] {
        [
            StreamSpec(name: CorpusStreams.files, schema: "corpus-file"),
            StreamSpec(name: CorpusStreams.functions, schema: "corpus-function"),
            StreamSpec(name: CorpusStreams.ompLoops, schema: "corpus-omp-loop"),
            // Side streams are never exported or validated; their names only label the shards.
            StreamSpec(name: CorpusStreams.signatures, schema: "corpus-signature", hidden: true),
            StreamSpec(name: CorpusStreams.licenses, schema: "corpus-license", hidden: true),
        ]
    }

    public func map(_ item: InputItem, into output: MapOutput) throws {
        let content: [UInt8]
        switch item.source {
        case .bytes(let bytes):
            content = bytes
        case .file(let path):
            // Files that are neither source nor license files are not even read.
            guard miner.wants(locator: item.locator, repo: item.repo) else { return }
            do {
                content = try FileSystem.read(path, limit: miner.parameters.maxFileBytes)
            } catch let error as PipeError where error.code == "io.too_large" {
                try output.reject(.dropped, code: "corpus.too_large",
                                  reason: "larger than max_file_bytes (\(miner.parameters.maxFileBytes))")
                return
            } catch {
                try output.reject(.error, code: "corpus.unreadable", reason: "cannot read \(path): \(error)")
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
            try output.emit(bytes: RecordJSON.compact(record), id: record["id"]?.stringValue, stream: CorpusStreams.licenses)
        case .rejected(let rejectClass, let code, let reason, let offset):
            try output.reject(rejectClass, code: code, reason: reason, offset: offset)
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

    public var hasReduce: Bool { true }

    public func reduce(_ context: ReduceContext) throws {
        try CorpusReducer(parameters: miner.parameters).reduce(context)
    }
}
