import Foundation
import XCTest
import Engine
import Exporting
import Readers
import RecordsImport
import StageKit
import StageKitTestSupport

/// A kind written the way a new capability is added: this file (its module code), its schemas in
/// `Tests/EngineTests/Schemas/` (embedded by the build plugin) and one registry line below. It has a map, a
/// reduce that aggregates across tasks, and an artifact, and it is built and exported by the engine.
struct WordCountStage: ReducingStage {
    static let kind = "test.wordcount"
    static let summary = "count the words of text files"
    static let parametersSchema = "test.wordcount.params"
    static var schemaFiles: [SchemaFile] { SchemaFile.list(EmbeddedSchemas.files) }
    static var accepts: AcceptedInputs { .files }

    struct Parameters: Decodable, Sendable, Equatable {
        var minLength = 1
        var lowercase = true
        var forbidden: [String] = []

        enum CodingKeys: String, CodingKey {
            case minLength = "min_length", lowercase, forbidden
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            minLength = try container.decodeIfPresent(Int.self, forKey: .minLength) ?? minLength
            lowercase = try container.decodeIfPresent(Bool.self, forKey: .lowercase) ?? lowercase
            forbidden = try container.decodeIfPresent([String].self, forKey: .forbidden) ?? forbidden
        }
    }

    /// A word's record; map emits one per word and file, reduce sums them.
    struct Word: Encodable {
        var id: String
        var word: String
        var count: Int
        var files: Int
    }

    let parameters: Parameters

    init(parameters: Parameters, setup: StageSetup) throws { self.parameters = parameters }

    var streams: [StreamSpec] { [StreamSpec(name: "main", schema: "test-word")] }

    func map(_ item: InputItem, into output: some MapContext) throws {
        let text = String(decoding: try item.content(limit: 1 << 20), as: UTF8.self)
        var counts: [String: Int] = [:]
        for raw in text.split(whereSeparator: { !$0.isLetter }) where raw.count >= parameters.minLength {
            counts[parameters.lowercase ? raw.lowercased() : String(raw), default: 0] += 1
        }
        for (word, count) in counts.sorted(by: { $0.key < $1.key }) {
            try output.emit(Word(id: StableHash.sha256Hex(word), word: word, count: count, files: 1))
        }
        if counts.isEmpty { try output.reject(.dropped, code: "wordcount.empty", reason: "no words") }
    }

    func reduce(_ context: some ReduceContext) throws {
        // Records arrive by id, so every file's count of one word is adjacent.
        var current: (key: RecordKey, word: Word)?
        var distinct = 0
        func flush() throws {
            guard let current else { return }
            if parameters.forbidden.contains(current.word.word) {
                return try context.reject(Reject(.error, code: "wordcount.forbidden", reason: "'\(current.word.word)' is forbidden",
                                                 locator: current.key.locator))
            }
            try context.emit(current.word, stream: "main", key: current.key)
            distinct += 1
        }
        try context.forEachRecord(stream: "main") { key, bytes in
            let value = try JSONParser.parse(bytes)
            let count = Int(value["count"]?.integerValue ?? 0)
            if current?.key.id == key.id {
                current?.word.count += count
                current?.word.files += 1
                return
            }
            try flush()
            current = (key, Word(id: key.id, word: value["word"]?.stringValue ?? "", count: count, files: 1))
        }
        try flush()
        try context.writeArtifact(named: "summary.json", text: JSONWriter.pretty(["distinct_words": .integer(Int64(distinct))]) + "\n")
    }
}

final class NewKindTests: XCTestCase {
    /// The registry line a new kind adds (in pipe itself: one line in `PipeCLI/StageKinds.swift`).
    let kinds = KindCatalog([RecordsImportStage.self, WordCountStage.self])

    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "NewKindTests-" + UUID().uuidString
        for folder in ["Data", "Pipelines"] {
            try FileManager.default.createDirectory(atPath: directory + "/" + folder, withIntermediateDirectories: true)
        }
        let texts = ["the cat sat on the mat", "The dog and the cat", "a bird, a cat, a dog", "", "mat mat MAT"]
        for (index, text) in texts.enumerated() {
            try text.write(toFile: directory + "/Data/text-\(index).txt", atomically: true, encoding: .utf8)
        }
        try """
        pipeline: words
        stages:
          words:
            kind: test.wordcount
            inputs: ["../Data/*.txt"]
            tasks: 3
            params: {min_length: 2}
        datasets:
          words:
            from: words
            split: {key: word, train: 0.5, test: 0.5}
            license: CC0-1.0
            description: word counts
        """.write(toFile: directory + "/Pipelines/words.yaml", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    func testANewKindBuildsWithMapReduceAndAnArtifactAndExports() throws {
        let pipelines = try PipelineSet.load(paths: [directory + "/Pipelines/words.yaml"], registry: kinds.registry,
                                             schemas: kinds.schemas)
        let workspace = Workspace(root: directory + "/work")
        let catalog = try Catalog(workspace: workspace)
        let results = try StageRunner(workspace: workspace, catalog: catalog, pipelines: pipelines, kinds: kinds,
                                      options: BuildOptions(checkRecords: true),
                                      progress: ProgressReporter(quiet: true, format: .text)).build(target: "words")
        XCTAssertEqual(results.map(\.outcome), [.built])
        XCTAssertEqual(results.first?.records, 8)
        XCTAssertEqual(results.first?.rejects.map(\.code), ["wordcount.empty"])

        let result = try Exporter(workspace: workspace, catalog: catalog, pipelines: pipelines, kinds: kinds)
            .export(dataset: "words", options: ExportOptions(outputDirectory: directory + "/export", compression: .none),
                    environment: ["SOURCE_DATE_EPOCH": "1767225600"])
        XCTAssertEqual(result.records, 8)
        var words: [String: (count: Int64, files: Int64)] = [:]
        for file in result.files where file.path.hasPrefix("data/") {
            for line in try ShardReader.readAll(path: directory + "/export/" + file.path) {
                let value = try JSONParser.parse(line)
                words[value["word"]?.stringValue ?? ""] = (value["count"]?.integerValue ?? 0, value["files"]?.integerValue ?? 0)
            }
        }
        XCTAssertEqual(words["cat"]?.count, 3)
        XCTAssertEqual(words["cat"]?.files, 3)
        XCTAssertEqual(words["mat"]?.count, 4)
        XCTAssertEqual(words["the"]?.count, 4)
        XCTAssertNil(words["a"], "min_length 2 drops one-letter words")
        let summary = try JSONParser.parse(try Data(contentsOf: URL(fileURLWithPath: directory + "/export/artifacts/summary.json")))
        XCTAssertEqual(summary["distinct_words"], 8)
        let manifest = try JSONParser.parse(try Data(contentsOf: URL(fileURLWithPath: directory + "/export/manifest.json")))
        XCTAssertEqual(manifest["artifacts"]?.arrayValue?.compactMap { $0["path"]?.stringValue }, ["artifacts/summary.json"])
        XCTAssertEqual(manifest["schema"]?.stringValue, "test-word")
    }

    func testErrorRejectsOfTheReducePhaseFailAStrictBuild() throws {
        let path = directory + "/Pipelines/words.yaml"
        try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "params: {min_length: 2}",
                                                                         with: "params: {min_length: 2, forbidden: [dog]}")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let pipelines = try PipelineSet.load(paths: [path], registry: kinds.registry, schemas: kinds.schemas)
        let workspace = Workspace(root: directory + "/work")
        let catalog = try Catalog(workspace: workspace)
        func build(strict: Bool) throws -> [StageBuildResult] {
            try StageRunner(workspace: workspace, catalog: catalog, pipelines: pipelines, kinds: kinds,
                            options: BuildOptions(strict: strict), progress: ProgressReporter(quiet: true, format: .text))
                .build(target: "words")
        }
        XCTAssertThrowsError(try build(strict: true)) { error in
            XCTAssertEqual((error as? BuildFailure)?.errors.map(\.code), ["build.strict"])
        }
        XCTAssertNil(try catalog.latestCompleteRun(stage: "words"), "a strict build with reduce error rejects is not complete")
        let results = try build(strict: false)
        XCTAssertEqual(results.map(\.outcome), [.built], "the map tasks were kept; only the reduce ran again")
        XCTAssertEqual(results.first?.tasksSkipped, 3)
        XCTAssertEqual(results.first?.records, 7)
        XCTAssertEqual(results.first?.rejects.map(\.code).sorted(), ["wordcount.empty", "wordcount.forbidden"])
    }

    func testTheKindsLogicIsTestedWithoutTheRunner() throws {
        let stage = try StageTesting.make(WordCountStage.self, params: ["lowercase": false])
        let map = InMemoryMapContext(streams: stage.streams)
        try map.map([InputItem(locator: "x.txt", source: .bytes(Array("Cat cat cat".utf8)))], with: stage)
        XCTAssertEqual(map.values().map { $0["word"]?.stringValue }, ["Cat", "cat"])
        let reduce = InMemoryReduceContext(streams: stage.streams, mapped: map)
        try stage.reduce(reduce)
        XCTAssertEqual(reduce.values().compactMap { $0["count"]?.integerValue }.sorted(), [1, 2])
        XCTAssertNotNil(reduce.artifacts["summary.json"])
        StageTesting.assertRecordsMatchSchemas(map.records.map { ($0.stream, $0.bytes) }, streams: stage.streams,
                                               schemas: StageTesting.schemas([WordCountStage.self]))
        StageTesting.assertParametersAgreeWithSchema(WordCountStage.self, schemas: StageTesting.schemas([WordCountStage.self]))
    }
}
