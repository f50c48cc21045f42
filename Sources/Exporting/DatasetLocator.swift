import StageKit
import Readers
import Storage
import Engine
/// A record stream of a stage's latest complete run, with everything needed to read it.
public struct BuiltStream {
    public var spec: StageSpec
    public var stage: any Stage
    public var stream: StreamSpec
    public var run: RunRow
    public var runDirectory: String
    /// The run's recorded files (shards, rejects, artifacts).
    public var artifacts: [ArtifactRow]
    /// The stream's parts, in part order.
    public var parts: [StreamPart]
    public var pipelineDirectory: String

    /// Absolute paths of the stream's record shards.
    public var shardPaths: [String] { parts.map { runDirectory + "/" + $0.records } }

    /// The stream's records from every part, in key order.
    func sources() throws -> [any SortedRecordSource] {
        try parts.map { try StreamPartReader(runDirectory: runDirectory, part: $0) }
    }

    /// Calls `body` with every record of the stream in key order; the bytes are valid only during the call.
    func forEachRecord(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard stage is any ReducingStage || parts.count == 1 else {
            // Map-phase parts (one per task) overlap in key order and must be merged through their keys.
            try SortedMerge.merge(try sources()) { _, bytes in try bytes.withUnsafeBytes(body) }
            return
        }
        // A reduce phase writes its parts one after another in key order (`ReduceStreamWriter` checks it), so
        // reading them in turn is the merge, and neither the keys files nor a copy of each record are needed.
        for part in parts {
            let reader = try ShardReader(path: runDirectory + "/" + part.records)
            try reader.forEachLine { line, _, _ in try body(line) }
        }
    }
}

/// Finds the built records behind a dataset name or a `stage/stream` name.
public struct DatasetLocator {
    let workspace: Workspace
    let catalog: Catalog
    let pipelines: PipelineSet
    let kinds: KindCatalog

    public init(workspace: Workspace, catalog: Catalog, pipelines: PipelineSet, kinds: KindCatalog) {
        self.workspace = workspace
        self.catalog = catalog
        self.pipelines = pipelines
        self.kinds = kinds
    }

    /// The stream a dataset is exported from, or the stream named `stage/stream` (`stage` alone means `main`).
    public func locate(_ name: String) throws -> BuiltStream {
        if let dataset = pipelines.datasets[name] { return try locate(stage: dataset.from, stream: dataset.records) }
        let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first, pipelines.stages[first] != nil else {
            throw PipeError("locate.unknown", "'\(name)' is not a dataset or a stage of the pipeline files")
        }
        return try locate(stage: first, stream: parts.count > 1 ? parts[1] : "main")
    }

    func locate(stage name: String, stream streamName: String) throws -> BuiltStream {
        guard let spec = pipelines.stages[name] else {
            throw PipeError("locate.unknown_stage", "no stage named '\(name)'")
        }
        guard let run = try catalog.latestCompleteRun(stage: name) else {
            throw PipeError("locate.not_built", "stage '\(name)' has no complete run: run `pipe build \(name)` first")
        }
        let pipelineDirectory = InputResolver(pipelineFile: spec.file).pipelineDirectory
        let stage = try StageFactory(pipelines: pipelines, registry: kinds.registry, schemas: kinds.schemas)
            .make(spec, document: nil)
        guard let stream = stage.streams.first(where: { $0.name == streamName && !$0.hidden }) else {
            throw PipeError("locate.unknown_stream", "stage '\(name)' has no record stream '\(streamName)'")
        }
        let artifacts = try catalog.artifacts(runID: run.runID)
        return BuiltStream(
            spec: spec, stage: stage, stream: stream, run: run,
            runDirectory: workspace.runDirectory(stage: name, runID: run.runID), artifacts: artifacts,
            parts: StreamPart.parts(of: streamName, in: artifacts), pipelineDirectory: pipelineDirectory)
    }
}
