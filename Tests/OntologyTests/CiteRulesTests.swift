import XCTest
@testable import Ontology

/// `cite`: BibTeX that parses, located at the offending character inside the block; titles, types, keys, URLs.
final class CiteRulesTests: XCTestCase {
    func testUnparsableBibTeXIsAnErrorWhereTheParserStopped() throws {
        let text = Fixture.replacing("    title={Example Bench},", with: "    title={Example Bench}")
        XCTAssertEqual(try Fixture.findings(text), ["40:5 error ontology.bibtex /cite/0"])
        XCTAssertEqual(try Fixture.messages(text), ["'cite/0' is not BibTeX: expected ',' or '}' after the value of 'title'"])
    }

    func testEntryLeftOpenPointsAtItsStart() throws {
        // The title's brace is closed by the entry's own: the entry is the one left open.
        let text = Fixture.replacing("    title={Example Bench},", with: "    title={Example Bench,")
        XCTAssertEqual(try Fixture.findings(text), ["38:3 error ontology.bibtex /cite/0"])
        XCTAssertEqual(try Fixture.messages(text), ["'cite/0' is not BibTeX: @misc{example2025, ...} is never closed (a '}' is missing)"])
    }

    func testUnbalancedBracePointsAtTheOpeningBrace() throws {
        let text = Fixture.replacing("    title={Example Bench},", with: "    title={{Example {Bench},")
        XCTAssertEqual(try Fixture.findings(text), ["39:11 error ontology.bibtex /cite/0"])
        XCTAssertEqual(try Fixture.messages(text), ["'cite/0' is not BibTeX: unbalanced braces: this '{' is never closed"])
    }

    func testPlainTextIsNotBibTeX() throws {
        let text = Fixture.replacing("- |\n  @misc{example2025,\n    title={Example Bench},\n    year={2025},\n    url={https://example.org/bench}\n  }",
                                     with: "- \"Example Bench, 2025\"")
        XCTAssertEqual(try Fixture.findings(text), ["37:4 error ontology.bibtex /cite/0"])
        XCTAssertEqual(try Fixture.messages(text), ["'cite/0' is not BibTeX: text outside an entry (expected '@')"])
    }

    func testEntryWithoutTitleOrOfUnknownTypeIsAWarning() throws {
        let text = Fixture.replacing("  @misc{example2025,\n    title={Example Bench},", with: "  @mics{example2025,")
        XCTAssertEqual(try Fixture.findings(text), ["38:3 warning ontology.bibtex_field /cite/0", "38:3 warning ontology.bibtex_type /cite/0"])
        XCTAssertEqual(try Fixture.messages(text), ["'example2025' has no title",
                                                    "'example2025' is of type @mics, which BibTeX styles do not know (did you mean 'misc'?)"])
    }

    func testURLInsideBibTeXIsChecked() throws {
        let text = Fixture.replacing("    url={https://example.org/bench}", with: "    url={www.example.org/bench}")
        XCTAssertEqual(try Fixture.findings(text), ["41:5 error ontology.url /cite/0"])
        XCTAssertEqual(try Fixture.messages(text), ["the url of 'example2025' is \"www.example.org/bench\": not an http(s) URL"])
    }

    func testRepeatedCitationKeyIsAWarning() throws {
        let bib = "- |\n  @misc{example2025,\n    title={Example Bench},\n    year={2025},\n    url={https://example.org/bench}\n  }"
        let text = Fixture.replacing(bib, with: bib + "\n- |\n  @article{example2025, title={Again}, journal={J}, year={2025}}")
        XCTAssertEqual(try Fixture.findings(text), ["44:3 warning ontology.bibtex_key /cite/1"])
    }
}

/// The BibTeX reader on its own.
final class BibTeXParserTests: XCTestCase {
    func testEntriesFieldsAndValueForms() throws {
        let entries = try BibTeXParser.parse("""
            @string{proc = "Proceedings of "}
            % a comment line
            @InProceedings{key:2024,
              Title = {A {GPU} study},
              booktitle = proc # {SC},
              year = 2024,
              month = jun,
            }
            @comment{ignored {nested} }
            @misc(other, title = "Quoted {with} braces")
            """)
        XCTAssertEqual(entries.map(\.type), ["inproceedings", "misc"])
        XCTAssertEqual(entries.map(\.key), ["key:2024", "other"])
        XCTAssertEqual(entries[0].value("title"), "A {GPU} study")
        XCTAssertEqual(entries[0].value("booktitle"), "Proceedings of SC")
        XCTAssertEqual(entries[0].value("year"), "2024")
        XCTAssertEqual(entries[0].value("month"), "June")
        XCTAssertEqual(entries[1].value("title"), "Quoted {with} braces")
    }

    func testProblemsAndTheirOffsets() {
        func problem(_ text: String) -> String {
            do {
                _ = try BibTeXParser.parse(text)
                return "parsed"
            } catch {
                return "\(error.offset): \(error.message)"
            }
        }
        XCTAssertEqual(problem("@misc{k, title = {x}"), "0: @misc{k, ...} is never closed (a '}' is missing)")
        XCTAssertEqual(problem("@misc{, title={x}}"), "6: @misc has no citation key")
        XCTAssertEqual(problem("@misc{k, title {x}}"), "15: expected '=' after the field name 'title'")
        XCTAssertEqual(problem("@misc{k, title = undefined}"), "17: 'undefined' (the value of 'title') is not a defined @string: put text in braces")
        XCTAssertEqual(problem("@misc{k, title = {x}, title = {y}}"), "22: field 'title' appears twice in 'k'")
        XCTAssertEqual(problem("@misc{k, title = \"x}\"}"), "19: a '}' closes nothing inside this quoted value")
        XCTAssertEqual(problem("@{k}"), "1: expected an entry type after '@'")
        XCTAssertEqual(problem("  \n"), "parsed")
    }
}
