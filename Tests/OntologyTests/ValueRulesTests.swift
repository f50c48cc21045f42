import XCTest
@testable import Ontology

/// "unknown" rather than empty, dates, URLs, and the values the template describes in words.
final class ValueRulesTests: XCTestCase {
    func testEmptyStringNullAndEmptyListAreErrors() throws {
        var text = Fixture.replacing("licensing: \"MIT\"", with: "licensing: \"\"")
        XCTAssertEqual(try Fixture.findings(text), ["17:12 error ontology.empty /licensing"])
        XCTAssertEqual(try Fixture.messages(text), ["'licensing' is empty: write \"unknown\""])
        text = Fixture.replacing("notes: \"unknown\"", with: "notes:")
        XCTAssertEqual(try Fixture.findings(text), ["32:7 error ontology.empty /notes"])
        text = Fixture.replacing("models:\n- \"unknown\"", with: "models: []")
        XCTAssertEqual(try Fixture.findings(text), ["24:9 error ontology.empty /models"])
    }

    func testUnknownIsAccepted() throws {
        let text = Fixture.replacing("licensing: \"MIT\"", with: "licensing: \"unknown\"")
        XCTAssertEqual(try Fixture.findings(text), [])
    }

    func testPlaceholdersUpstreamFlagsAreErrors() throws {
        for placeholder in ["N/A", "TODO", "unkown", "None"] {
            let text = Fixture.replacing("- \"unknown\"", with: "- \"\(placeholder)\"")
            XCTAssertEqual(try Fixture.findings(text), ["25:3 error ontology.placeholder /models/0"], placeholder)
            XCTAssertEqual(try Fixture.messages(text), ["'models/0' is the placeholder \"\(placeholder)\": write \"unknown\""])
        }
    }

    func testDatesMustBeRealAndWrittenYYYYMMDD() throws {
        var text = Fixture.replacing("date: \"2024-05-01\"", with: "date: \"2024-02-30\"")
        XCTAssertEqual(try Fixture.findings(text), ["1:7 error ontology.date /date"])
        XCTAssertEqual(try Fixture.messages(text), ["'date' is \"2024-02-30\", not a date written YYYY-MM-DD (or \"unknown\")"])
        text = Fixture.replacing("valid_date: \"2024-06-01\"", with: "valid_date: \"June 2024\"")
        XCTAssertEqual(try Fixture.findings(text), ["6:13 error ontology.date /valid_date"])
        text = Fixture.replacing("date: \"2024-05-01\"", with: "date: \"2024-02-29\"")
        XCTAssertEqual(try Fixture.findings(text), [])
    }

    func testUnquotedDateIsAWarning() throws {
        let text = Fixture.replacing("valid_date: \"2024-06-01\"", with: "valid_date: 2024-06-01")
        XCTAssertEqual(try Fixture.findings(text), ["6:13 warning ontology.unquoted_date /valid_date"])
    }

    func testLastUpdatedBeforeDateIsAWarning() throws {
        let text = Fixture.replacing("last_updated: \"2024-06-01\"", with: "last_updated: \"2023-01-26\"")
        XCTAssertEqual(try Fixture.findings(text), ["3:15 warning ontology.date_order /last_updated"])
        XCTAssertEqual(try Fixture.messages(text), ["'last_updated' (2023-01-26) is before 'date' (2024-05-01)"])
    }

    func testMainURLMustBeKnownAndWellFormed() throws {
        var text = Fixture.replacing("url: \"https://example.org/bench\"", with: "url: \"unknown\"")
        XCTAssertEqual(try Fixture.findings(text), ["8:6 error ontology.url_unknown /url"])
        text = Fixture.replacing("url: \"https://example.org/bench\"", with: "url: \"example.org/bench\"")
        XCTAssertEqual(try Fixture.findings(text), ["8:6 error ontology.url /url"])
        XCTAssertEqual(try Fixture.messages(text), ["'url' is \"example.org/bench\": not an http(s) URL"])
        text = Fixture.replacing("url: \"https://example.org/bench\"", with: "url: \"https://example.org/my bench\"")
        XCTAssertEqual(try Fixture.messages(text), ["'url' \"https://example.org/my bench\" contains a space: encode it (%20 for a space)"])
        text = Fixture.replacing("url: \"https://example.org/bench\"", with: "url: \"https:///bench\"")
        XCTAssertEqual(try Fixture.messages(text), ["'url' is \"https:///bench\": no host"])
    }

    func testLinkURLs() throws {
        var text = Fixture.replacing("    url: \"https://example.org/bench/results\"", with: "    url: \"unknown\"")
        XCTAssertEqual(try Fixture.findings(text), ["50:10 warning ontology.link_unknown /results/links/0/url"])
        text = Fixture.replacing("    url: \"https://example.org/bench/data\"", with: "    url: \"ftp://example.org/data\"")
        XCTAssertEqual(try Fixture.findings(text), ["46:10 error ontology.url /datasets/links/0/url"])
    }

    func testFileURLsOfUnpublishedDataAreWarnings() throws {
        var text = Fixture.replacing("url: \"https://example.org/bench\"", with: "url: \"file:///work/pipe-work/exports/demo\"")
        XCTAssertEqual(try Fixture.findings(text), ["8:6 warning ontology.url_local /url"])
        XCTAssertTrue(try Fixture.report(text).valid)
        text = Fixture.replacing("    url: \"https://example.org/bench/data\"", with: "    url: \"file:///tmp/my export\"")
        XCTAssertEqual(try Fixture.findings(text), ["46:10 error ontology.url /datasets/links/0/url"])
        XCTAssertEqual(try Fixture.messages(text), ["'datasets/links/0/url' \"file:///tmp/my export\" contains a space: encode it (%20 for a space)"])
        text = Fixture.replacing("url: \"https://example.org/bench\"", with: "url: \"file:relative/path\"")
        XCTAssertEqual(try Fixture.messages(text), ["'url' is \"file:relative/path\": a file URL is file:///absolute/path"])
    }

    func testFileURLsAreMadeFromAbsolutePathsAndEncoded() {
        XCTAssertEqual(EntryURL.file(path: "/tmp/a b/exports/d\u{E9}mo"), "file:///tmp/a%20b/exports/d%C3%A9mo")
        XCTAssertNil(EntryURL.file(path: "pipe-work/exports/demo"))
        XCTAssertTrue(EntryURL.isWeb("https://example.org/x"))
        XCTAssertFalse(EntryURL.isWeb("file:///tmp/x"))
    }

    func testValidExpiredDOIAndEmailForms() throws {
        var text = Fixture.replacing("valid: \"yes\"", with: "valid: \"true\"")
        XCTAssertEqual(try Fixture.findings(text), ["5:8 warning ontology.yes_no /valid"])
        text = Fixture.replacing("expired: \"no\"", with: "expired: \"maybe\"")
        XCTAssertEqual(try Fixture.findings(text), ["4:10 warning ontology.yes_no /expired"])
        text = Fixture.replacing("doi: \"10.48550/arXiv.2511.05615\"", with: "doi: \"https://doi.org/10.48550/arXiv.2511.05615\"")
        XCTAssertEqual(try Fixture.findings(text), ["9:6 warning ontology.doi /doi"])
        XCTAssertEqual(try Fixture.messages(text),
                       ["'doi' is \"https://doi.org/10.48550/arXiv.2511.05615\", not a DOI: write the DOI itself, \"10.48550/arXiv.2511.05615\""])
        text = Fixture.replacing("  email: \"unknown\"", with: "  email: \"Ningyu Zhang\"")
        XCTAssertEqual(try Fixture.findings(text), ["35:10 warning ontology.email /contact/email"])
        text = Fixture.replacing("  email: \"unknown\"", with: "  email: \"dan (at) safe.ai\"")
        XCTAssertEqual(try Fixture.findings(text), [])
    }
}
