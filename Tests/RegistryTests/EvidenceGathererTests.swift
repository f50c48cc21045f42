import Engine
import Foundation
import Ontology
import StageKit
import XCTest
@testable import Registry

/// The evidence read from an export folder, and the warnings that weaken it.
final class EvidenceGathererTests: XCTestCase {
    var root = ""

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-registry-\(UUID().uuidString)").path
        try FileSystem.makeDirectory(root + "/work/exports/demo/data")
    }

    override func tearDownWithError() throws {
        try FileSystem.remove(root)
    }

    /// Writes an export of the test manifest (its shards with their listed sizes) and returns the manifest's SHA-256.
    func writeExport(kind: String = "records.import") throws -> String {
        let folder = root + "/work/exports/demo"
        var text = String(decoding: JSONWriter.compact(try manifestValue()), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"records.import\"", with: "\"\(kind)\"")
        try FileSystem.writeAtomically(Array(text.utf8), to: folder + "/manifest.json")
        try FileSystem.writeAtomically(Array(repeating: 0, count: 10), to: folder + "/data/train-00000-of-00001.jsonl.gz")
        try FileSystem.writeAtomically(Array(repeating: 0, count: 5), to: folder + "/data/test-00000-of-00001.jsonl.gz")
        try FileSystem.writeAtomically(Array(#"{"citeAs": "@misc{demo, title={demo}}"}"#.utf8), to: folder + "/croissant.json")
        return StableHash.sha256Hex(Array(text.utf8))
    }

    func manifestValue() throws -> JSONValue {
        let manifest = try RegistryEntryTests.manifest()
        XCTAssertEqual(manifest.name, "demo")
        return [
            "name": "demo", "description": "Short synthetic records.", "license": "CC-BY-4.0", "version": "1.0.0",
            "schema": "demo-record", "id_field": "id", "compression": "gzip",
            "files": [["path": "data/train-00000-of-00001.jsonl.gz", "sha256": "ab", "bytes": 10, "split": "train", "records": 8],
                      ["path": "data/test-00000-of-00001.jsonl.gz", "sha256": "cd", "bytes": 5, "split": "test", "records": 2]],
            "artifacts": [], "splits": ["train": 8, "test": 2], "records": 10,
            "provenance": ["pipeline": "demo", "pipeline_file": "Pipelines/demo.yaml", "stage": "demo-import", "kind": "records.import",
                           "params": [:], "inputs": [["locator": "Data/demo/a.jsonl", "sha256": "ef"]], "upstream": [:], "run_id": "r1"],
            "pipe_version": "0.1.0",
        ]
    }

    func gatherer(commands: Set<String>, profiles: KindProfiles = KindProfiles(kinds: [:])) -> EvidenceGatherer {
        EvidenceGatherer(workspace: Workspace(root: "work"), pipelines: nil, profiles: profiles, commands: commands,
                         currentDirectory: root)
    }

    func row(sha: String, folder: String = "work/exports/demo") -> DatasetRow {
        DatasetRow(name: "demo", stage: "demo-import", stream: "main", runID: "r1", exportDirectory: folder, records: 10,
                   manifestSHA256: sha)
    }

    func testAnExportIsReadFromARelativeFolder() throws {
        let sha = try writeExport()
        var warnings: [OntologyDiagnostic] = []
        let evidence = try XCTUnwrap(gatherer(commands: []).gather(row(sha: sha), warnings: &warnings))
        XCTAssertEqual(warnings, [])
        XCTAssertEqual(evidence.exportDirectory, root + "/work/exports/demo")
        XCTAssertEqual(evidence.croissantCiteAs, "@misc{demo, title={demo}}")
        XCTAssertTrue(evidence.hasCroissant)
        XCTAssertFalse(evidence.hasCard)
        XCTAssertEqual(evidence.damagedFiles, [])
        XCTAssertNil(evidence.publicURL)
    }

    func testAChangedOrDamagedExportIsRegisteredWithWarnings() throws {
        _ = try writeExport()
        try FileSystem.remove(root + "/work/exports/demo/data/test-00000-of-00001.jsonl.gz")
        var warnings: [OntologyDiagnostic] = []
        let evidence = try XCTUnwrap(gatherer(commands: []).gather(row(sha: "not-it"), warnings: &warnings))
        XCTAssertEqual(warnings.map(\.code), ["registry.export_changed", "registry.export_damaged"])
        XCTAssertEqual(evidence.damagedFiles, ["data/test-00000-of-00001.jsonl.gz"])
        XCTAssertEqual(EntryComposer(rubric: RegistryEntryTests.validator.rubric).entry(evidence).entry.valid, "no")
    }

    func testAMissingExportIsAWarningAndNoEvidence() throws {
        var warnings: [OntologyDiagnostic] = []
        XCTAssertNil(gatherer(commands: []).gather(row(sha: "x", folder: "elsewhere/demo"), warnings: &warnings))
        XCTAssertEqual(warnings.map(\.code), ["registry.export_missing"])
        XCTAssertEqual(warnings.first?.severity, .warning)
    }

    func testAnEvaluationIsClaimedOnlyWhenPipeHasItsCommand() throws {
        let sha = try writeExport(kind: "math.synthesize")
        let evaluation = KindProfile.Evaluation(command: "pipe eval math", subcommand: "eval", metrics: ["accuracy"])
        let profiles = KindProfiles(kinds: ["math.synthesize": KindProfile(evaluation: evaluation)])
        var warnings: [OntologyDiagnostic] = []
        let without = try XCTUnwrap(gatherer(commands: ["build", "export"], profiles: profiles).gather(row(sha: sha), warnings: &warnings))
        XCTAssertNil(without.evaluation)
        let with = try XCTUnwrap(gatherer(commands: ["build", "eval"], profiles: profiles).gather(row(sha: sha), warnings: &warnings))
        XCTAssertEqual(with.evaluation, evaluation)
    }
}
