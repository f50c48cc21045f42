import Foundation
import Readers
import StageKit
import XCTest
@testable import Ontology

/// Entries written as upstream writes them read back as the same entries, with the same findings.
final class EntryYAMLWriterTests: XCTestCase {
    static let shippedFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Data/ontology")

    /// Every entry pipe ships, decoded.
    func shippedEntries() throws -> [OntologyEntry] {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.shippedFolder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertFalse(names.isEmpty)
        return try names.map { name in
            let file = try EntryFile(contentsOf: Self.shippedFolder.appendingPathComponent(name).path)
            return try OntologyEntry(file.document.value)
        }
    }

    func testShippedEntriesRoundTripAsMappingsAndStayValid() throws {
        let writer = EntryYAMLWriter(rubric: Fixture.validator.rubric)
        for entry in try shippedEntries() {
            let text = writer.mapping(entry)
            let report = try Fixture.report(text)
            XCTAssertTrue(report.valid, "\(entry.name): \(report.diagnostics)")
            XCTAssertEqual(try OntologyEntry(try XCTUnwrap(report.entries.first).value), entry)
            XCTAssertEqual(writer.mapping(try OntologyEntry(try XCTUnwrap(report.entries.first).value)), text)
        }
    }

    func testACatalogueOfShippedEntriesIsAcceptedEntryByEntry() throws {
        let entries = try shippedEntries()
        let text = EntryYAMLWriter(rubric: Fixture.validator.rubric).catalog(entries)
        XCTAssertNotNil(CatalogSplitter.entries(in: text), "a catalogue pipe writes is a plain block list")
        let report = try Fixture.report(text, catalog: true)
        XCTAssertTrue(report.valid, "\(report.diagnostics)")
        XCTAssertEqual(try report.entries.map { try OntologyEntry($0.value) }, entries)
        XCTAssertTrue(text.hasPrefix("- date: \""))
        XCTAssertFalse(text.contains(" \n"), "no line ends in a space")
    }

    func testTemplateOrderAndUpstreamLayout() throws {
        let entry = try OntologyEntry(try Fixture.report(Fixture.good).entries[0].value)
        let text = EntryYAMLWriter(rubric: Fixture.validator.rubric).mapping(entry)
        let keys = text.split(separator: "\n").filter { !$0.hasPrefix(" ") && !$0.hasPrefix("-") }.map { String($0.prefix { $0 != ":" }) }
        XCTAssertEqual(keys, Fixture.validator.templateKeys)
        XCTAssertTrue(text.contains("domain:\n- \"Computational Science & AI\"\n"))
        XCTAssertTrue(text.contains("summary: |\n  Plain ASCII description.\n"))
        XCTAssertTrue(text.contains("datasets:\n  links:\n  - name: \"Example data\"\n    url: \"https://example.org/bench/data\"\n"))
        XCTAssertTrue(text.contains("    checklist:\n      code_available: \"yes\"\n      complete: \"no\"\n"), "checklists in rubric order")
        XCTAssertTrue(text.contains("  specification:\n    rating: 4\n    reason: \"No system constraints.\"\n"),
                      "a reason without a final newline cannot be a plain | block: it is quoted")
    }

    func testAwkwardStringsAreQuotedSoTheyReadBack() throws {
        var entry = try OntologyEntry(try Fixture.report(Fixture.good).entries[0].value)
        entry.notes = "a \"quoted\" back\\slash, a tab\there: and # no comment"
        entry.summary = "  starts with spaces\nand two lines\n"
        entry.focus = "line one\nline two"
        entry.cite = ["@misc{a, title={A}}\n\n"]
        let text = EntryYAMLWriter().mapping(entry)
        let value = try EntryFile(text: text, path: "e.yaml").document.value
        let back = try OntologyEntry(value)
        XCTAssertEqual(back.notes, entry.notes)
        XCTAssertEqual(back.summary, entry.summary)
        XCTAssertEqual(back.focus, entry.focus)
        XCTAssertEqual(back.cite, entry.cite)
        XCTAssertTrue(text.contains("notes: \"a \\\"quoted\\\" back\\\\slash, a tab\\there: and # no comment\""))
    }

    func testEntriesAsJSONLeaveOutWhatIsNotThere() throws {
        var entry = try OntologyEntry(try Fixture.report(Fixture.good).entries[0].value)
        entry.ratings.metrics = nil
        let json = try entry.json()
        XCTAssertNil(json["ratings"]?["metrics"])
        XCTAssertNil(json["ratings"]?["specification"]?["checklist"])
        XCTAssertEqual(try OntologyEntry(json), entry)
    }
}
