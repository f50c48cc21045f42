import StageKit
import XCTest
@testable import Ontology

/// Files of entries: one entry, a catalogue, the wrong shape, YAML that does not parse; the JSON report.
final class CatalogTests: XCTestCase {
    /// The good entry as an item of a list (indented two spaces, as the catalogue writes it).
    static var listItem: String {
        "- " + Fixture.good.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n").dropFirst(2) + "\n"
    }

    func testCatalogChecksEachEntryOnItsOwn() throws {
        let second = Self.listItem.replacingOccurrences(of: "name: \"Example Bench\"", with: "name: \"Second\"")
            .replacingOccurrences(of: "licensing: \"MIT\"", with: "licensing: \"\"")
        let text = Self.listItem + second
        let report = try Fixture.report(text, catalog: true)
        XCTAssertEqual(report.entries.map(\.name), ["Example Bench", "Second"])
        XCTAssertEqual(report.entries.map(\.valid), [true, false])
        XCTAssertEqual(try Fixture.findings(text, catalog: true), ["91:14 error ontology.empty /licensing"])
        XCTAssertEqual(report.summary, "2 entries: 1 valid, 1 invalid; 1 error, 0 warnings")
    }

    func testMissingKeyInACatalogPointsAtItsEntry() throws {
        let text = Self.listItem + Self.listItem.replacingOccurrences(of: "  expired: \"no\"\n", with: "")
        XCTAssertEqual(try Fixture.findings(text, catalog: true), ["75:3 error ontology.missing_key /expired"])
    }

    func testAListOfOneIsOneEntry() throws {
        XCTAssertEqual(try Fixture.findings(Self.listItem), [])
    }

    func testWrongShapes() throws {
        XCTAssertEqual(try Fixture.report(Fixture.good, catalog: true).problems.map(\.code), ["ontology.not_catalog"])
        XCTAssertEqual(try Fixture.report(Self.listItem + Self.listItem).problems.map(\.code), ["ontology.not_one_entry"])
        XCTAssertEqual(try Fixture.report("just text").problems.map(\.code), ["ontology.not_mapping"])
        XCTAssertEqual(try Fixture.findings("- 1\n", catalog: true), ["1:3 error ontology.not_mapping "])
    }

    func testYAMLThatDoesNotParseIsAProblemOfTheFile() throws {
        let path = NSTemporaryDirectory() + "ontology-\(UUID().uuidString).yaml"
        try "a: [\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = Fixture.validator.check(path: path, catalog: false)
        XCTAssertEqual(report.problems.map(\.code), ["yaml.syntax"])
        XCTAssertFalse(report.valid)
    }

    func testJSONReportShape() throws {
        let text = Fixture.replacing("valid: \"yes\"", with: "valid: \"true\"")
        let json = try Fixture.report(text).json
        XCTAssertEqual(JSONWriter.compactString(json), """
            {"entries":[{"errors":[],"name":"Example Bench","ratings":{"computed":{"software":3},"declared":{"dataset":5,"documentation":5,"metrics":5,"reference_solution":2,"software":3,"specification":4},"overall":4},"valid":true,"warnings":[{"code":"ontology.yes_no","column":8,"field":"/valid","line":5,"message":"'valid' is \\"true\\"; the catalogue writes \\"yes\\" or \\"no\\"","severity":"warning"}]}],"valid":true}
            """)
    }

    func testCompilerStyleText() throws {
        let diagnostic = try XCTUnwrap(Fixture.report(Fixture.replacing("licensing: \"MIT\"", with: "licensing: \"\"")).diagnostics.first)
        XCTAssertEqual(diagnostic.description, "e.yaml:17:12: error: 'licensing' is empty: write \"unknown\" [ontology.empty]")
    }

    func testSlugs() {
        XCTAssertEqual(Slug.make("wa-hls4ml"), "wa-hls4ml")
        XCTAssertEqual(Slug.make("GSM8K+ and MATH+"), "gsm8k-and-math")
        XCTAssertEqual(Slug.make("  HPCTransEval  "), "hpctranseval")
    }
}

/// The typed entry model decodes what the validator accepts.
final class EntryModelTests: XCTestCase {
    func testAcceptedEntryDecodes() throws {
        let report = try Fixture.report(Fixture.good)
        let entry = try OntologyEntry(try XCTUnwrap(report.entries.first?.value))
        XCTAssertEqual(entry.name, "Example Bench")
        XCTAssertEqual(entry.slug, "example-bench")
        XCTAssertEqual(entry.lastUpdated, "2024-06-01")
        XCTAssertEqual(entry.mlMotif, ["Reasoning & Generalization"])
        XCTAssertEqual(entry.contact, Contact(name: "unknown", email: "unknown"))
        XCTAssertEqual(entry.datasets.links.map(\.url), ["https://example.org/bench/data"])
        XCTAssertEqual(entry.fair.benchmarkReady, "Yes")
        XCTAssertEqual(entry.ratings["software"]?.rating, 3)
        XCTAssertEqual(entry.ratings["software"]?.checklist?["complete"], "no")
        XCTAssertEqual(entry.ratings.referenceSolution?.rating, 2)
        XCTAssertNil(entry.ratings["nonsense"])
    }

    func testEntryOfTheWrongShapeIsAnError() {
        XCTAssertThrowsError(try OntologyEntry(["name": "x"])) { error in
            XCTAssertEqual((error as? PipeError)?.code, "ontology.decode")
        }
    }
}

/// Catalogues read entry by entry.
final class CatalogSplitterTests: XCTestCase {
    func testAnEntryThatDoesNotParseLeavesTheOthersChecked() throws {
        let text = CatalogTests.listItem + "- name: [broken\n" + CatalogTests.listItem
        let report = Fixture.validator.checkCatalog(text: text, path: "c.yaml")
        XCTAssertEqual(report.entries.map(\.name), ["Example Bench", "entry 2", "Example Bench"])
        XCTAssertEqual(report.entries.map(\.valid), [true, false, true])
        XCTAssertEqual(report.entries[1].diagnostics.map { "\($0.location.line ?? 0) \($0.code)" }, ["76 yaml.syntax"])
        XCTAssertEqual(report.entries.map(\.pointer), ["/0", "/1", "/2"])
    }

    func testCommentsBeforeTheFirstEntryAreChecked() throws {
        let text = "# caf\u{E9}\n\n" + CatalogTests.listItem
        XCTAssertEqual(try Fixture.findings(text, catalog: true), ["1:6 error ontology.non_ascii "])
    }

    func testWhatIsNotABlockListIsReadWhole() {
        XCTAssertNil(CatalogSplitter.entries(in: "key: value\n"))
        XCTAssertNil(CatalogSplitter.entries(in: "---\n- a: 1\n"))
        XCTAssertNil(CatalogSplitter.entries(in: "[{a: 1}]\n"))
        XCTAssertNil(CatalogSplitter.entries(in: "# only a comment\n"))
        XCTAssertEqual(CatalogSplitter.entries(in: "# c\n- a: 1\n  b: 2\n-\n  a: 3\n")?.map(\.firstLine), [1, 4])
    }
}
