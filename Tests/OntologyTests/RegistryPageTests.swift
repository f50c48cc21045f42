import StageKit
import XCTest
@testable import Ontology

/// The registry page: every entry a row with its chart, the filter controls, nothing loaded from outside, the
/// same bytes for the same items.
final class RegistryPageTests: XCTestCase {
    func items() throws -> [RegistryPageItem] {
        let base = try OntologyEntry(try Fixture.report(Fixture.good).entries[0].value)
        var other = base
        other.name = "Other <Bench> & Co"
        other.domain = ["Mathematics", "Computational Science & AI"]
        other.mlMotif = ["Generative"]
        return [RegistryPageItem(entry: other, overall: 2.5, dataset: "other"),
                RegistryPageItem(entry: base, overall: 4, dataset: "example")]
    }

    func testEveryEntryIsARowWithItsChartAndFilterData() throws {
        let html = try RegistryPage.html(try items(), rubric: Fixture.validator.rubric)
        XCTAssertEqual(html.components(separatedBy: "<tr class=\"entry\"").count - 1, 2)
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 2)
        XCTAssertTrue(html.contains("<tr class=\"entry\" id=\"entry-example-bench\" data-name=\"Example Bench\" data-dataset=\"example\" data-overall=\"4\""))
        XCTAssertTrue(html.contains("data-domains=\"Mathematics|Computational Science &amp; AI\" data-motifs=\"Generative\""))
        XCTAssertTrue(html.contains(">Other &lt;Bench&gt; &amp; Co</a>"), "names are escaped")
        let first = try XCTUnwrap(html.range(of: "entry-example-bench"))
        let second = try XCTUnwrap(html.range(of: "entry-other-bench-co"))
        XCTAssertLessThan(first.lowerBound, second.lowerBound, "rows start by overall rating, best first")
        XCTAssertTrue(html.contains("<p id=\"shown\">2 of 2 entries shown</p>"))
    }

    func testFilterControlsAndSortableHeaders() throws {
        let html = try RegistryPage.html(try items(), rubric: Fixture.validator.rubric)
        XCTAssertTrue(html.contains("<select id=\"filter-domain\" name=\"domain\"><option value=\"\">all</option><option value=\"Computational Science &amp; AI\">"))
        XCTAssertTrue(html.contains("<select id=\"filter-motif\" name=\"motif\"><option value=\"\">all</option><option value=\"Generative\">Generative</option><option value=\"Reasoning &amp; Generalization\">"))
        XCTAssertTrue(html.contains("<input id=\"filter-min\" name=\"min\" type=\"number\" min=\"0\" max=\"5\" step=\"0.5\" value=\"0\">"))
        for key in ["name", "dataset", "overall", "software", "documentation", "domains", "motifs", "license"] {
            XCTAssertTrue(html.contains("<th data-key=\"\(key)\""), key)
        }
        XCTAssertTrue(html.contains("location.hash"), "filters are read from the URL fragment")
    }

    func testNothingIsLoadedFromOutsideAndTheBytesAreStable() throws {
        let html = try RegistryPage.html(try items(), rubric: Fixture.validator.rubric)
        XCTAssertFalse(html.contains("<script src"))
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.contains("@import"))
        XCTAssertFalse(html.contains("url("))
        XCTAssertEqual(html, try RegistryPage.html(try items().reversed(), rubric: Fixture.validator.rubric))
    }
}
