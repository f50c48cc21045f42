import XCTest
@testable import Ontology

/// Rules on the text itself: ASCII only (every character, with its replacement) and no YAML aliases.
final class TextRulesTests: XCTestCase {
    func testEveryNonASCIICharacterIsReportedWhereItStandsWithAReplacement() throws {
        let text = Fixture.replacing("Plain ASCII description.", with: "Plain \u{2013} ASCII \u{201C}quoted\u{201D} caf\u{E9} \u{2603}")
        XCTAssertEqual(try Fixture.findings(text), [
            "16:9 error ontology.non_ascii /summary", "16:17 error ontology.non_ascii /summary",
            "16:24 error ontology.non_ascii /summary", "16:29 error ontology.non_ascii /summary",
            "16:31 error ontology.non_ascii /summary",
        ])
        XCTAssertEqual(try Fixture.messages(text), [
            "non-ASCII character '\u{2013}' (U+2013 EN DASH) in 'summary': write \"-\"",
            "non-ASCII character '\u{201C}' (U+201C LEFT DOUBLE QUOTATION MARK) in 'summary': write '\"'",
            "non-ASCII character '\u{201D}' (U+201D RIGHT DOUBLE QUOTATION MARK) in 'summary': write '\"'",
            "non-ASCII character '\u{E9}' (U+00E9 LATIN SMALL LETTER E WITH ACUTE) in 'summary': write \"e\"",
            "non-ASCII character '\u{2603}' (U+2603 SNOWMAN) in 'summary': no specific ASCII replacement is known: rephrase",
        ])
    }

    func testNonASCIIInAKeyOrACommentIsReportedToo() throws {
        let text = Fixture.replacing("licensing: \"MIT\"", with: "licensing: \"MIT\" # \u{A9} 2024")
        XCTAssertEqual(try Fixture.findings(text), ["17:20 error ontology.non_ascii /licensing"])
        XCTAssertEqual(try Fixture.messages(text), ["non-ASCII character '\u{A9}' (U+00A9 COPYRIGHT SIGN) in 'licensing': write \"(c)\""])
    }

    func testAliasesAreErrorsAtTheAlias() throws {
        let text = Fixture.replacing("keywords:\n- \"code generation\"", with: "keywords:\n- &kw \"code generation\"")
            .replacingOccurrences(of: "task_types:\n- \"Code generation\"", with: "task_types:\n- *kw")
        XCTAssertEqual(try Fixture.findings(text), ["19:3 error ontology.yaml_alias /task_types/0"])
        XCTAssertEqual(try Fixture.messages(text),
                       ["the YAML alias *kw repeats another value: write the value out (upstream's tools and reviewers read entries as text)"])
    }
}
