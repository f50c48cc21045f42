import Foundation
import StageKit
import StageKitTestSupport
import XCTest
@testable import Ontology

/// `ontology.register` on entries the test writes, and on the entries pipe ships.
final class RegisterStageTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ontology-stage-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    private func item(_ name: String, _ text: String) throws -> InputItem {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return InputItem(locator: "entries/" + name, source: .file(path: path))
    }

    func testValidEntriesBecomeRecordsAndInvalidOnesRejects() throws {
        let stage = try StageTesting.make(OntologyRegisterStage.self)
        let context = InMemoryMapContext(streams: stage.streams)
        try context.map([
            try item("example-bench.yaml", Fixture.good),
            try item("other-name.yaml", Fixture.good),
            try item("broken.yaml", Fixture.replacing("licensing: \"MIT\"", with: "licensing: \"\"")),
            try item("not-yaml.yaml", "a: [\n"),
        ], with: stage)
        XCTAssertEqual(context.records.map(\.id), ["example-bench"])
        XCTAssertEqual(context.rejects.map(\.code), ["ontology.file_name", "ontology.invalid", "yaml.syntax"])
        XCTAssertEqual(context.rejects.map(\.locator), ["entries/other-name.yaml", "entries/broken.yaml", "entries/not-yaml.yaml"])
        XCTAssertEqual(context.rejects[0].reason, "the entry 'Example Bench' must be in a file named example-bench.yaml, not other-name.yaml")
        XCTAssertEqual(context.rejects[1].reason, "1 problem(s): 17:12: 'licensing' is empty: write \"unknown\" [ontology.empty]")
        XCTAssertEqual(context.rejects[1].line, 17)

        let record = try XCTUnwrap(context.values().first)
        XCTAssertEqual(record["name"], "Example Bench")
        XCTAssertEqual(record["file"], "example-bench.yaml")
        XCTAssertEqual(record["ratings"]?["computed"], ["software": 3])
        XCTAssertEqual(record["ratings"]?["overall"], 4)
        XCTAssertEqual(record["warnings"], [])
        StageTesting.assertRecordsMatchSchemas(context.records.map { ($0.stream, $0.bytes) }, streams: stage.streams,
                                               schemas: StageTesting.schemas([OntologyRegisterStage.self]))
    }

    func testWarningsAreKeptOrRejectedAsAsked() throws {
        let warned = Fixture.replacing("valid: \"yes\"", with: "valid: \"true\"")
        let lenient = try StageTesting.make(OntologyRegisterStage.self)
        let kept = InMemoryMapContext(streams: lenient.streams)
        try kept.map([try item("example-bench.yaml", warned)], with: lenient)
        XCTAssertEqual(kept.values().first?["warnings"]?.arrayValue?.compactMap { $0["code"]?.stringValue }, ["ontology.yes_no"])

        let strict = try StageTesting.make(OntologyRegisterStage.self, params: ["warnings_as_errors": true])
        let rejected = InMemoryMapContext(streams: strict.streams)
        try rejected.map([try item("example-bench.yaml", warned)], with: strict)
        XCTAssertEqual(rejected.records.count, 0)
        XCTAssertEqual(rejected.rejects.map(\.code), ["ontology.invalid"])
    }

    func testOversizedEntryIsARejectAndNotRead() throws {
        let stage = try StageTesting.make(OntologyRegisterStage.self, params: ["max_entry_bytes": 1024])
        let context = InMemoryMapContext(streams: stage.streams)
        try context.map([try item("example-bench.yaml", Fixture.good)], with: stage)
        XCTAssertEqual(context.rejects.map(\.code), ["io.too_large"])
    }

    /// Every entry pipe ships registers, its ratings equal to its checklists' scores, without a warning but the
    /// unpublished link of pipe's own datasets.
    func testShippedEntriesRegisterCleanly() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = root.appendingPathComponent("Data/ontology").path
        let names = try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertEqual(names, ["archgym.yaml", "gsm8k-and-math.yaml", "hpctranseval.yaml", "kernelbench.yaml",
                               "pipe-hpc-seed-corpus.yaml", "pipe-tokompiler-tokens.yaml", "surge.yaml", "wa-hls4ml.yaml"])
        let stage = try StageTesting.make(OntologyRegisterStage.self)
        let context = InMemoryMapContext(streams: stage.streams)
        try context.map(names.map { InputItem(locator: "Data/ontology/" + $0, source: .file(path: data + "/" + $0)) }, with: stage)
        XCTAssertEqual(context.rejects.map(\.summary), [])
        for record in context.values() {
            // pipe's own datasets are not published yet: their dataset link is "unknown", and only that is warned about.
            let expected: [JSONValue] = record["id"]?.stringValue?.hasPrefix("pipe-") == true ? ["ontology.link_unknown"] : []
            XCTAssertEqual(record["warnings"]?.arrayValue?.compactMap { $0["code"] }, expected, "\(record["id"] ?? "?")")
            XCTAssertEqual(record["ratings"]?["declared"], record["ratings"]?["computed"], "\(record["id"] ?? "?")")
        }
    }
}
