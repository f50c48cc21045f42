import Foundation
import XCTest
@testable import Engine
import Exporting
import Readers
import StageKit
import RecordsImport
import StageKitTestSupport

/// A stage kind without a reduce phase: every task's part is a final part, and parts overlap in key order.
private struct MapOnlyLinesStage: Stage {
    static let kind = "test.map-only-lines"
    static let summary = "every line of the input files as a record, no reduce phase"
    static let parametersSchema = "records.import.params"
    static var schemaFiles: [SchemaFile] { RecordsImportStage.schemaFiles }
    static var accepts: AcceptedInputs { .files }

    init(parameters: RecordsImportStage.Parameters, setup: StageSetup) throws {}

    var streams: [StreamSpec] { [StreamSpec(name: "main", schema: "demo-record")] }

    func map(_ item: InputItem, into output: some MapContext) throws {
        guard case .file(let path) = item.source else { return }
        for (index, line) in try ShardReader.readAll(path: path).enumerated() {
            try output.emit(try JSONParser.parse(line), line: index + 1)
        }
    }
}

/// Exports of a stage whose parts overlap are merged through the keys files into id order.
final class MapOnlyExportTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "MapOnlyExportTests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/Data", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/Pipelines", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testOverlappingPartsAreExportedInIdOrderWhateverTheTaskCount() throws {
        // Ids interleave across files, so every task's part holds ids from the whole range.
        var expected: [String] = []
        for file in 0..<6 {
            var text = ""
            for index in stride(from: file, to: 300, by: 6) {
                let id = String(format: "r%04d", (index * 7919) % 300)
                expected.append(id)
                text += "{\"id\":\"\(id)\",\"group\":\"g\(index % 5)\",\"text\":\"line \(index)\"}\n"
            }
            try text.write(toFile: directory + "/Data/part-\(file).jsonl", atomically: true, encoding: .utf8)
        }
        expected.sort()
        let kinds = KindCatalog([RecordsImportStage.self, MapOnlyLinesStage.self])
        var exported: [[[UInt8]]] = []
        for tasks in [1, 4] {
            let pipeline = directory + "/Pipelines/t\(tasks).yaml"
            try """
            pipeline: t\(tasks)
            stages:
              lines:
                kind: test.map-only-lines
                inputs: ["../Data/*.jsonl"]
                tasks: \(tasks)
                params: {schema: demo-record}
            datasets:
              lines:
                from: lines
                split: {key: group, train: 0.5, test: 0.5}
                license: CC0-1.0
                description: test records
            """.write(toFile: pipeline, atomically: true, encoding: .utf8)
            let pipelines = try PipelineSet.load(paths: [pipeline], registry: kinds.registry, schemas: kinds.schemas)
            let workspace = Workspace(root: directory + "/work-\(tasks)")
            let catalog = try Catalog(workspace: workspace)
            _ = try StageRunner(workspace: workspace, catalog: catalog, pipelines: pipelines, kinds: kinds,
                                options: BuildOptions(), progress: ProgressReporter(quiet: true, format: .text))
                .build(target: "lines")
            let built = try DatasetLocator(workspace: workspace, catalog: catalog, pipelines: pipelines, kinds: kinds)
                .locate("lines")
            XCTAssertEqual(built.parts.count, tasks, "one final part per task without a reduce phase")
            let out = directory + "/export-\(tasks)"
            let result = try Exporter(workspace: workspace, catalog: catalog, pipelines: pipelines, kinds: kinds)
                .export(dataset: "lines", options: ExportOptions(outputDirectory: out, compression: .none, shardRecords: 40),
                        environment: [:])
            XCTAssertEqual(result.records, 300)
            var all: [[UInt8]] = []
            for file in result.files {
                let lines = try ShardReader.readAll(path: out + "/" + file.path)
                let ids = try lines.map { try JSONParser.parse($0)["id"]?.stringValue ?? "" }
                XCTAssertEqual(ids, ids.sorted(), "\(file.path) is in id order")
                XCTAssertLessThanOrEqual(lines.count, 40)
                all += lines
            }
            XCTAssertEqual(try all.map { try JSONParser.parse($0)["id"]?.stringValue ?? "" }.sorted(), expected)
            exported.append(all)
        }
        XCTAssertEqual(exported[0], exported[1], "the export does not depend on the task count")
    }
}
