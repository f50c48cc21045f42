import Foundation
import StageKit
import XCTest

/// The ontology from the command line: validate one entry and a catalogue (text and JSON), rate with a radar
/// chart, and build and export the shipped entries as the ontology pipeline does.
final class OntologyEndToEndTests: XCTestCase {
    /// A shipped entry, as text.
    func shipped(_ name: String) throws -> String {
        try String(contentsOf: PipeProcess.repositoryRoot.appendingPathComponent("Data/ontology/\(name).yaml"), encoding: .utf8)
    }

    func testValidateOneEntryPrintsLocatedDiagnosticsAndFails() throws {
        let scratch = try Scratch()
        let entry = try shipped("kernelbench").replacingOccurrences(of: "licensing: \"unknown\"", with: "licensing: \"\"")
            .replacingOccurrences(of: "valid: \"yes\"", with: "valid: \"true\"")
        try scratch.write(entry, to: "entry.yaml")
        let result = try PipeProcess.run(["validate", "entry.yaml", "--schema", "ontology-entry"], in: scratch.root)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, """
            entry.yaml:7:8: warning: 'valid' is "true"; the catalogue writes "yes" or "no" [ontology.yes_no]
            entry.yaml:26:12: error: 'licensing' is empty: write "unknown" [ontology.empty]
            entry.yaml: 1 entry: 0 valid, 1 invalid; 1 error, 1 warning

            """)
        XCTAssertEqual(result.stdout, "")
    }

    func testValidateCatalogAsJSON() throws {
        let scratch = try Scratch()
        func item(_ text: String) -> String {
            "- " + text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }
                .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n").dropFirst(2)
        }
        let bad = try shipped("surge").replacingOccurrences(of: "url: \"https://github.com/Imbernoulli/SURGE\"", with: "url: \"unknown\"")
        try scratch.write(item(try shipped("archgym")) + item(bad), to: "catalog.yaml")
        let result = try PipeProcess.run(["validate", "--catalog", "catalog.yaml", "--format", "json"], in: scratch.root)
        XCTAssertEqual(result.status, 1)
        let report = try JSONParser.parse(Array(result.stdout.utf8))
        XCTAssertEqual(report["valid"], false)
        let entries = try XCTUnwrap(report["entries"]?.arrayValue)
        XCTAssertEqual(entries.map { $0["name"] }, ["ArchGym", "SURGE"])
        XCTAssertEqual(entries.map { $0["valid"] }, [true, false])
        XCTAssertEqual(entries[1]["errors"], [[
            "code": "ontology.url_unknown", "column": 8, "field": "/url", "line": 113,
            "message": "'url' is \"unknown\": the main URL is the one field that must be known", "severity": "error",
        ]])
        XCTAssertEqual(entries[0]["ratings"]?["overall"], 3)
        XCTAssertEqual(entries[0]["ratings"]?["declared"], entries[0]["ratings"]?["computed"])
    }

    func testValidateCatalogOfGoodEntriesPasses() throws {
        let scratch = try Scratch()
        try scratch.write(try shipped("wa-hls4ml"), to: "one.yaml")
        let result = try PipeProcess.run(["validate", "--schema", "ontology-entry", "one.yaml", "--format", "json"], in: scratch.root)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try JSONParser.parse(Array(result.stdout.utf8))["valid"], true)
    }

    func testFormatJSONNeedsEntries() throws {
        let scratch = try Scratch()
        try scratch.write("{}", to: "x.json")
        let result = try PipeProcess.run(["validate", "x.json", "--format", "json"], in: scratch.root)
        XCTAssertEqual(result.status, 64)
    }

    func testRateWritesScoresAndARadarChart() throws {
        let scratch = try Scratch()
        try scratch.write(try shipped("wa-hls4ml"), to: "wa-hls4ml.yaml")
        let result = try PipeProcess.run(["rate", "wa-hls4ml.yaml", "--svg", "chart.svg"], in: scratch.root)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("wa-hls4ml\n  C1 software            computed 2.5/5    declared 2.5\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains("      missed:     runs_unmodified, environment\n"), result.stdout)
        XCTAssertTrue(result.stdout.hasSuffix("  overall                computed 4.083    declared 4.083\n"), result.stdout)
        let svg = try String(contentsOf: scratch.url("chart.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains("<title>computed</title>"))
        let again = try PipeProcess.run(["rate", "wa-hls4ml.yaml", "--svg", "again.svg"], in: scratch.root)
        XCTAssertEqual(again.status, 0)
        XCTAssertEqual(try Data(contentsOf: scratch.url("again.svg")), try Data(contentsOf: scratch.url("chart.svg")))
    }

    func testBuildAndExportTheShippedEntries() throws {
        let scratch = try Scratch()
        let root = PipeProcess.repositoryRoot
        try FileManager.default.createDirectory(at: scratch.url("Data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: root.appendingPathComponent("Data/ontology"), to: scratch.url("Data/ontology"))
        try scratch.write(try String(contentsOf: root.appendingPathComponent("Pipelines/ontology.yaml"), encoding: .utf8),
                          to: "Pipelines/ontology.yaml")
        let build = try PipeProcess.run(["build", "ontology-entries", "--quiet"], in: scratch.root)
        XCTAssertEqual(build.status, 0, build.stderr)
        let export = try PipeProcess.run(["export", "ontology", "--quiet"], in: scratch.root)
        XCTAssertEqual(export.status, 0, export.stderr)
        let verify = try PipeProcess.run(["validate", "pipe-work/exports/ontology"], in: scratch.root)
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertTrue(verify.stderr.contains("8 records match the manifest and the schema"), verify.stderr)
    }
}
