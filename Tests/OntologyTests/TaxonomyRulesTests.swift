import XCTest
@testable import Ontology

/// `domain` and `ml_motif` against the published taxonomy.
final class TaxonomyRulesTests: XCTestCase {
    func testNearMissIsAnErrorWithTheValueMeant() throws {
        let text = Fixture.replacing("- \"Computational Science & AI\"", with: "- \"Computational Science and AI\"")
        XCTAssertEqual(try Fixture.findings(text), ["11:3 error ontology.taxonomy /domain/0"])
        XCTAssertEqual(try Fixture.messages(text),
                       ["'domain' value \"Computational Science and AI\" is not in the taxonomy (did you mean 'Computational Science & AI'?)"])
        let motif = Fixture.replacing("- \"Reasoning & Generalization\"", with: "- \"regression\"")
        XCTAssertEqual(try Fixture.findings(motif), ["27:3 error ontology.taxonomy /ml_motif/0"])
    }

    func testNewValueIsAWarning() throws {
        let text = Fixture.replacing("- \"Computational Science & AI\"", with: "- \"Particle Physics\"")
        XCTAssertEqual(try Fixture.findings(text), ["11:3 warning ontology.taxonomy_new /domain/0"])
        XCTAssertTrue(try Fixture.report(text).valid)
    }

    func testUnknownIsNotATaxonomyValue() throws {
        let text = Fixture.replacing("- \"Computational Science & AI\"", with: "- \"unknown\"")
        XCTAssertEqual(try Fixture.findings(text), [])
    }

    func testMoreThanOneMotifIsAWarning() throws {
        let text = Fixture.replacing("- \"Reasoning & Generalization\"", with: "- \"Reasoning & Generalization\"\n- \"Generative\"")
        XCTAssertEqual(try Fixture.findings(text), ["27:1 warning ontology.motif_count /ml_motif"])
    }

    func testTaxonomyComesFromTheSchema() {
        XCTAssertEqual(Fixture.validator.taxonomy.domains.count, 7)
        XCTAssertEqual(Fixture.validator.taxonomy.motifs.count, 8)
    }
}
