import StageKit
import Readers
import Storage
import Engine
import Foundation

/// How `pipe export` lays out shards.
public struct ExportOptions: Sendable {
    public var outputDirectory: String?
    public var compression: Compression = .gzip
    /// Roll to a new shard after this many bytes of uncompressed JSONL (default 256 MiB)...
    public var shardBytes: Int64 = 256 << 20
    /// ...or after this many records, when given.
    public var shardRecords: Int64?

    public init(outputDirectory: String? = nil, compression: Compression = .gzip, shardBytes: Int64 = 256 << 20,
                shardRecords: Int64? = nil) {
        self.outputDirectory = outputDirectory
        self.compression = compression
        self.shardBytes = shardBytes
        self.shardRecords = shardRecords
    }
}

/// What an export wrote.
public struct ExportResult: Sendable {
    public var dataset: String
    public var directory: String
    public var records: Int64
    public var splits: [String: Int64]
    public var files: [ExportedFile]
}

/// Publishes a dataset: records of the stage's latest complete run, ordered by id, split by a
/// stable hash of the grouping key, in Hugging Face-named shards, with manifest, card and Croissant.
public struct Exporter {
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

    public func export(dataset name: String, options: ExportOptions, environment: [String: String]) throws -> ExportResult {
        guard let dataset = pipelines.datasets[name] else {
            throw PipeError("export.unknown_dataset",
                            "no dataset named '\(name)' (datasets: \(pipelines.datasets.keys.sorted().joined(separator: ", ")))")
        }
        let built = try DatasetLocator(workspace: workspace, catalog: catalog, pipelines: pipelines, kinds: kinds)
            .locate(stage: dataset.from, stream: dataset.records)
        let (spec, stream, run) = (built.spec, built.stream, built.run)
        let outputDirectory = options.outputDirectory ?? workspace.exportDirectory(dataset: name)
        let staging = outputDirectory + Self.stagingMarker + "\(getpid())"
        try Self.removeStaleStaging(in: (outputDirectory as NSString).deletingLastPathComponent)
        try FileSystem.remove(staging)
        try FileSystem.makeDirectory(staging + "/data")
        defer { try? FileSystem.remove(staging) }

        let splitNames = dataset.split.fractions.map(\.name)
        let assigner = try SplitAssigner(fractions: dataset.split.fractions.map { ($0.name, $0.fraction) })
        let splitIndex = Dictionary(splitNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let shards = SplitShardWriters(directory: staging + "/data", compression: options.compression)
        let groupField = dataset.split.key
        // Groups repeat (a repository, a source problem): remember their splits instead of rehashing.
        var splitOfGroup: [String: Int] = [:]
        let pipeline = ExportPipeline(shards: shards, splitNames: splitNames, shardBytes: options.shardBytes,
                                      shardRecords: options.shardRecords)
        do {
            try built.forEachRecord { record in
                // A record without the grouping field is grouped by its id, which every stored record has.
                guard let value = try JSONParser.member(groupField, in: record) ?? JSONParser.member(stream.idField, in: record)
                else {
                    throw PipeError("export.no_id", "a record of \(built.spec.name)/\(stream.name) has no '\(stream.idField)' field")
                }
                let group = SplitAssigner.groupKeyText(value)
                let split: Int
                if let known = splitOfGroup[group] {
                    split = known
                } else {
                    split = splitIndex[assigner.split(forGroupKey: group)] ?? 0
                    if splitOfGroup.count < 1 << 16 { splitOfGroup[group] = split }
                }
                try pipeline.write(record, split: split)
            }
        } catch {
            pipeline.abandon()
            throw error
        }
        let files = try pipeline.finish()

        var exportedArtifacts: [ExportedFile] = []
        for row in built.artifacts where row.role == .artifact {
            let destination = staging + "/" + row.path
            try FileSystem.makeDirectory((destination as NSString).deletingLastPathComponent)
            do {
                try FileManager.default.copyItem(atPath: built.runDirectory + "/" + row.path, toPath: destination)
            } catch {
                throw PipeError("export.copy", "cannot copy artifact \(row.path): \(error.localizedDescription)")
            }
            exportedArtifacts.append(ExportedFile(path: row.path, split: nil, sha256: row.sha256, bytes: row.bytes,
                                                  records: row.records))
        }

        var splits: [String: Int64] = [:]
        for file in files { splits[file.split ?? "train", default: 0] += file.records ?? 0 }
        let inputs = try JSONParser.parse(run.inputs).arrayValue?.compactMap { entry -> InputHash? in
            guard let locator = entry["locator"]?.stringValue, let sha = entry["sha256"]?.stringValue else { return nil }
            return InputHash(locator: locator, sha256: sha)
        } ?? []
        var upstream: [String: String] = [:]
        for source in try plannedUpstream(spec) { upstream[source.key] = source.value }
        let description = ExportDescription(
            name: name, description: dataset.description, license: dataset.license, creator: dataset.creator,
            url: dataset.url, version: dataset.version, citation: dataset.citation,
            datePublished: PipeVersion.metadataDate(environment: environment), compression: options.compression.rawValue,
            files: files, artifacts: exportedArtifacts, recordSchemaName: stream.schema,
            recordSchema: try stream.document ?? schemaDocument(stream.schema, pipelineDirectory: built.pipelineDirectory), splits: splits,
            provenance: Provenance(
                pipeline: spec.pipeline, pipelineFile: relativePipelinePath(spec.file), stage: spec.name, kind: spec.kind,
                params: spec.params, inputs: inputs, upstream: upstream, runID: run.runID, pipeVersion: run.pipeVersion),
            idField: stream.idField)
        // The record schema travels with the data, so the export can be checked without pipe's sources.
        try FileSystem.writeAtomically(Array((JSONWriter.pretty(description.recordSchema) + "\n").utf8),
                                       to: staging + "/schema.json")
        let manifestBytes = Array((JSONWriter.pretty(ManifestBuilder.build(description)) + "\n").utf8)
        try FileSystem.writeAtomically(manifestBytes, to: staging + "/manifest.json")
        try FileSystem.writeAtomically(Array((JSONWriter.pretty(CroissantBuilder.build(description)) + "\n").utf8),
                                       to: staging + "/croissant.json")
        try FileSystem.writeAtomically(Array(DatasetCard.render(description).utf8), to: staging + "/README.md")

        try FileSystem.remove(outputDirectory)
        let parent = (outputDirectory as NSString).deletingLastPathComponent
        if !parent.isEmpty { try FileSystem.makeDirectory(parent) }
        do {
            try FileManager.default.moveItem(atPath: staging, toPath: outputDirectory)
        } catch {
            throw PipeError("export.move", "cannot move the export into \(outputDirectory): \(error.localizedDescription)")
        }
        let total = splits.values.reduce(0, +)
        try catalog.recordExport(DatasetRow(
            name: name, stage: spec.name, stream: stream.name, runID: run.runID, exportDirectory: outputDirectory,
            records: total, manifestSHA256: StableHash.sha256Hex(manifestBytes)))
        return ExportResult(dataset: name, directory: outputDirectory, records: total, splits: splits, files: files)
    }

    /// Staging folders are named `<output>.tmp-<pid>`: the export writes there and renames it into place.
    static let stagingMarker = ".tmp-"

    /// Removes the staging folders in `folder` that an export killed part-way left behind: those whose process
    /// is gone. A staging folder of a live process (another export) is left alone.
    public static func removeStaleStaging(in folder: String) throws {
        for name in FileSystem.list(folder) {
            guard let marker = name.range(of: stagingMarker, options: .backwards),
                let pid = Int32(name[marker.upperBound...]), pid > 0
            else { continue }
            guard kill(pid, 0) != 0 && errno == ESRCH else { continue }
            try FileSystem.remove(folder + "/" + name)
        }
    }

    private func plannedUpstream(_ spec: StageSpec) throws -> [String: String] {
        var upstream: [String: String] = [:]
        for case .stage(let name, let records) in spec.inputs {
            if let run = try catalog.latestCompleteRun(stage: name) { upstream["\(name)/\(records)"] = run.runID }
        }
        return upstream
    }

    /// The pipeline file as the user named it, never an absolute path.
    private func relativePipelinePath(_ path: String) -> String {
        let current = FileManager.default.currentDirectoryPath + "/"
        if path.hasPrefix(current) { return String(path.dropFirst(current.count)) }
        if path.hasPrefix("/") { return (path as NSString).lastPathComponent }
        return path
    }

    private func schemaDocument(_ name: String, pipelineDirectory: String) throws -> JSONValue {
        try kinds.schemas.resolve(name, relativeTo: pipelineDirectory).document
    }
}

/// The open shards of every split of an export, named `<split>-NNNNN-of-MMMMM.jsonl.gz` once the count per
/// split is known. When a shard is full is decided by the caller (`ExportPipeline`).
final class SplitShardWriters {
    let directory: String
    let compression: Compression
    private var open: [String: (writer: any LineShardWriter, index: Int, records: Int64)] = [:]
    private var done: [String: [(temporary: String, info: ShardFileInfo, records: Int64)]] = [:]

    init(directory: String, compression: Compression) {
        self.directory = directory
        self.compression = compression
    }

    /// Appends `count` whole lines to the split's open shard, opening the next shard of the split if none is open.
    func write(lines bytes: UnsafeRawBufferPointer, count: Int, split: String) throws {
        if open[split] == nil {
            let index = done[split]?.count ?? 0
            let path = "\(directory)/.\(split)-\(index).partial"
            // gzip is slow enough to be worth pigz-style parallel members; zstd stays on one thread.
            let writer: any LineShardWriter = compression == .gzip
                ? try ParallelShardWriter(path: path, compression: compression)
                : try ShardWriter(path: path, compression: compression)
            open[split] = (writer, index, 0)
        }
        try open[split]?.writer.write(lines: bytes, count: count)
        open[split]?.records += Int64(count)
    }

    /// Commits the split's open shard, if any.
    func close(_ split: String) throws {
        guard let current = open.removeValue(forKey: split) else { return }
        let info = try current.writer.commit()
        done[split, default: []].append(("\(directory)/.\(split)-\(current.index).partial", info, current.records))
    }

    /// Closes every shard and gives each its final name.
    func finish() throws -> [ExportedFile] {
        for split in open.keys.sorted() { try close(split) }
        var files: [ExportedFile] = []
        for split in done.keys.sorted() {
            let shards = done[split] ?? []
            for (index, shard) in shards.enumerated() {
                let name = "\(split)-\(StreamPart.pad(index))-of-\(StreamPart.pad(shards.count)).jsonl\(compression.fileExtension)"
                let destination = directory + "/" + name
                guard rename(shard.temporary, destination) == 0 else {
                    throw PipeError("export.rename", "cannot rename \(shard.temporary): \(String(cString: strerror(errno)))")
                }
                files.append(ExportedFile(path: "data/" + name, split: split, sha256: shard.info.sha256,
                                          bytes: shard.info.bytes, records: shard.records))
            }
        }
        return files
    }
}
