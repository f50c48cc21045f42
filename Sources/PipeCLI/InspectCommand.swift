import StageKit
import Readers
import JSONSchema
import Engine
import Exporting
import ArgumentParser
import Foundation

/// `pipe inspect`: counts records, checks them against their schema and pretty-prints the first few.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a shard, an export folder or a dataset: record count, schema check, first records.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A shard file, an export folder, or a dataset name from the pipeline files.")
    var target: String

    @Option(help: "How many records to print.")
    var head: Int = 3

    @Option(help: "Schema to check records against (default: the dataset's own).")
    var schema: String?

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            let shards: [String]
            var checker: (name: String, schema: JSONSchema)?
            var problems: [PipeError] = []
            if let schema { checker = try Self.load(schema, relativeTo: ".") }
            let status = FileSystem.exists(target)
            if status.exists && !status.isDirectory {
                shards = [target]
            } else if status.isDirectory {
                guard FileSystem.exists(target + "/manifest.json").exists else {
                    throw PipeError("inspect.not_export", "\(target) is a folder without manifest.json: not an export")
                }
                // What the manifest promises is checked first: a tampered or incomplete export is not "0 invalid".
                problems = ExportVerifier(folder: target, schemas: StageKinds.catalog.schemas).verify().problems
                let manifest = try JSONParser.parse(FileSystem.read(target + "/manifest.json"))
                shards = (manifest["files"]?.arrayValue ?? []).compactMap { $0["path"]?.stringValue }.map { target + "/" + $0 }
                if checker == nil, let name = manifest["schema"]?.stringValue {
                    // An export carries its record schema, so a derived schema needs no pipeline file.
                    let document = target + "/schema.json"
                    checker = FileSystem.exists(document).exists
                        ? (name, try JSONSchema(JSONParser.parse(FileSystem.read(document))))
                        : try Self.load(name, relativeTo: ".")
                }
            } else {
                let built: BuiltStream
                do {
                    let pipelines = try global.loadPipelines()
                    let (workspace, catalog) = try global.openWorkspace()
                    built = try DatasetLocator(workspace: workspace, catalog: catalog, pipelines: pipelines,
                                               kinds: StageKinds.catalog).locate(target)
                } catch let error as PipeError where error.code == "locate.unknown" || error.code == "pipeline.none" {
                    throw PipeError("inspect.missing", "no such file or folder, and no dataset or stage named \(target)")
                }
                shards = built.shardPaths
                if checker == nil {
                    checker = try built.stream.document.map { (built.stream.schema, try JSONSchema($0)) }
                        ?? Self.load(built.stream.schema, relativeTo: built.pipelineDirectory)
                }
            }
            var count: Int64 = 0
            var invalid: Int64 = 0
            var printed: [String] = []
            // A listed file that is missing is already among the problems.
            for shard in shards where FileKind.of(shard) == .regular {
                try ShardReader(path: shard).forEachLine { line, number, _ in
                    count += 1
                    guard let value = try? JSONParser.parse(buffer: line) else {
                        invalid += 1
                        return
                    }
                    if let checker, !checker.schema.isValid(value) { invalid += 1 }
                    if printed.count < head { printed.append(JSONWriter.pretty(value)) }
                }
            }
            var out = "\(target): \(count) records in \(shards.count) file(s)"
            if let checker { out += ", \(invalid) invalid against \(checker.name)" } else if invalid > 0 { out += ", \(invalid) not JSON" }
            out += "\n"
            for text in printed { out += text + "\n" }
            FileHandleOutput.standardOutput(out)
            for problem in problems { _ = Diagnostics.report(problem, format: global.logFormat) }
            if invalid > 0 || !problems.isEmpty { throw ExitCode.failure }
        }
    }

    static func load(_ name: String, relativeTo directory: String) throws -> (name: String, schema: JSONSchema) {
        let loaded = try StageKinds.catalog.schemas.load(name, relativeTo: directory)
        return (loaded.name, loaded.schema)
    }
}
