import XCTest
@testable import Ontology

/// Every template key present (a missing one points at its parent mapping), unknown keys warned about, and
/// the schema's types.
final class TemplateRulesTests: XCTestCase {
    func testGoodEntryHasNoFindings() throws {
        let report = try Fixture.report(Fixture.good)
        XCTAssertEqual(report.diagnostics, [])
        XCTAssertTrue(report.valid)
        XCTAssertEqual(report.entries.map(\.name), ["Example Bench"])
    }

    func testMissingTopLevelKeyPointsAtTheEntry() throws {
        let text = Fixture.replacing("expired: \"no\"\n", with: "")
        XCTAssertEqual(try Fixture.findings(text), ["1:1 error ontology.missing_key /expired"])
        XCTAssertEqual(try Fixture.messages(text),
                       ["the entry has no 'expired' key: every template key must be present (write \"unknown\" when the value is not known)"])
    }

    func testMissingNestedKeyPointsAtItsMapping() throws {
        let text = Fixture.replacing("  email: \"unknown\"\n", with: "")
        XCTAssertEqual(try Fixture.findings(text), ["34:3 error ontology.missing_key /contact/email"])
        let link = Fixture.replacing("    url: \"https://example.org/bench/data\"\n", with: "")
        XCTAssertEqual(try Fixture.findings(link), ["45:5 error ontology.missing_key /datasets/links/0/url"])
    }

    func testEveryMissingKeyIsReported() throws {
        let text = Fixture.replacing("solutions: \"0\"\nnotes: \"unknown\"\n", with: "")
        XCTAssertEqual(try Fixture.findings(text), ["1:1 error ontology.missing_key /notes", "1:1 error ontology.missing_key /solutions"])
    }

    func testUnknownKeyIsAWarningAtTheKeyWithASuggestion() throws {
        let text = Fixture.replacing("licensing: \"MIT\"\n", with: "licensing: \"MIT\"\nlicence: \"MIT\"\n")
        XCTAssertEqual(try Fixture.findings(text), ["18:1 warning ontology.unknown_key /licence"])
        XCTAssertEqual(try Fixture.messages(text), ["'licence' is not a template key (did you mean 'licensing'?); upstream reports it and keeps the entry"])
        XCTAssertTrue(try Fixture.report(text).valid)
    }

    func testWrongTypeIsASchemaError() throws {
        let text = Fixture.replacing("valid: \"yes\"", with: "valid: true")
        XCTAssertEqual(try Fixture.findings(text), ["5:8 error ontology.schema /valid"])
        XCTAssertEqual(try Fixture.messages(text), ["'valid': expected type \"string\", found \"boolean\""])
    }

    func testAListWhereAStringBelongsIsASchemaError() throws {
        let text = Fixture.replacing("focus: \"What is measured\"", with: "focus:\n- \"What is measured\"")
        XCTAssertEqual(try Fixture.findings(text), ["13:1 error ontology.schema /focus"])
    }

    func testTemplateKeysAreTheTwentyNineInOrder() throws {
        XCTAssertEqual(Fixture.validator.templateKeys, [
            "date", "version", "last_updated", "expired", "valid", "valid_date", "name", "url", "doi", "domain", "focus",
            "keywords", "summary", "licensing", "task_types", "ai_capability_measured", "metrics", "models", "ml_motif",
            "type", "ml_task", "solutions", "notes", "contact", "cite", "datasets", "results", "fair", "ratings",
        ])
    }
}
