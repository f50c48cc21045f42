import Readers
import Engine
import Exporting
import ArgumentParser
import Foundation

/// `pipe export`: publishes datasets as Hugging Face-style JSONL shards with manifest, card and Croissant.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export datasets as sharded JSONL with manifest.json, README.md and croissant.json.",
        discussion: "Writes to <workspace>/exports/<dataset>/ unless --out is given; 'all' exports every dataset.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Dataset names, or 'all'.")
    var datasets: [String]

    @Option(help: "Output folder (only with a single dataset).")
    var out: String?

    @Option(help: "Shard compression: gzip (default), zstd or none.")
    var compression: CompressionArgument = .gzip

    @Option(help: "Start a new shard after this many bytes of uncompressed JSONL (default 268435456).")
    var shardBytes: Int64?

    @Option(help: "Start a new shard after this many records.")
    var shardRecords: Int64?

    @Flag(help: "Wait for the workspace lock instead of failing at once.")
    var wait = false

    func validate() throws {
        if shardBytes != nil && shardRecords != nil { throw ValidationError("give --shard-bytes or --shard-records, not both") }
        if let shardBytes, shardBytes < 1 { throw ValidationError("--shard-bytes must be positive") }
        if let shardRecords, shardRecords < 1 { throw ValidationError("--shard-records must be positive") }
        if out != nil && (datasets.count != 1 || datasets == ["all"]) {
            throw ValidationError("--out needs exactly one dataset name")
        }
    }

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            let pipelines = try global.loadPipelines()
            // An export records itself in the catalog, so it is a catalog writer like a build.
            let lock = try WorkspaceLock(workspace: Workspace(root: global.workspace),
                                         command: "pipe export \(datasets.joined(separator: " "))", wait: wait)
            defer { lock.release() }
            let (workspace, catalog) = try global.openWorkspace()
            let exporter = Exporter(workspace: workspace, catalog: catalog, pipelines: pipelines, kinds: StageKinds.catalog)
            let names = datasets == ["all"] ? pipelines.datasets.keys.sorted() : datasets
            let options = ExportOptions(outputDirectory: out, compression: compression.compression,
                                        shardBytes: shardBytes ?? (256 << 20), shardRecords: shardRecords)
            for name in names {
                let result = try exporter.export(dataset: name, options: options,
                                                 environment: ProcessInfo.processInfo.environment)
                let splits = result.splits.keys.sorted().map { "\($0) \(result.splits[$0] ?? 0)" }.joined(separator: ", ")
                global.progress.note("\(name): \(result.records) records (\(splits)) in \(result.files.count) shard(s)",
                                     fields: ["dataset": .string(name), "records": .integer(result.records)])
                FileHandleOutput.standardOutput(result.directory + "\n")
            }
        }
    }
}

/// `--compression` values.
enum CompressionArgument: String, ExpressibleByArgument, CaseIterable {
    case gzip, zstd, none
    var compression: Compression {
        switch self {
        case .gzip: return .gzip
        case .zstd: return .zstd
        case .none: return .none
        }
    }
}
