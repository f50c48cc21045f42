import XCTest
@testable import Ontology

/// What `pipe rate` prints and draws.
final class RatingSheetTests: XCTestCase {
    func sheet(_ text: String) throws -> RatingSheet {
        let entry = try XCTUnwrap(Fixture.report(text).entries.first)
        return RatingSheet(entry: entry, rubric: Fixture.validator.rubric)
    }

    func testTextListsCriteriaMetMissedAndUnanswered() throws {
        let text = try sheet(Fixture.replacing("complete: \"no\"", with: "complete: \"partial\"")).text
        XCTAssertEqual(text.split(separator: "\n").prefix(6).joined(separator: "\n"), """
            Example Bench
              C1 software            computed 3.5/5    declared 3
                  met:        code_available, documented, environment
                  partly met: complete (0.5 of 1)
                  missed:     runs_unmodified
              C2 specification       no checklist      declared 4
            """)
        XCTAssertTrue(text.hasSuffix("  overall                computed -        declared 4"), text)
    }

    func testAnIncompleteChecklistIsSaidInFull() throws {
        let text = try sheet(Fixture.replacing("complete: \"no\"", with: "complete: \"unknown\"")).text
        XCTAssertTrue(text.contains("  C1 software            checklist incomplete  declared 3\n"), text)
    }

    func testOverallsAndJSON() throws {
        let rated = try sheet(Fixture.good)
        XCTAssertEqual(rated.declaredOverall, 4)
        XCTAssertNil(rated.computedOverall)
        let software = try XCTUnwrap(rated.json["categories"]?.arrayValue?.first)
        XCTAssertEqual(software["computed"], 3)
        XCTAssertEqual(software["missed"], ["complete", "runs_unmodified"])
        XCTAssertEqual(rated.json["categories"]?.arrayValue?[1]["unanswered"]?.arrayValue?.count, 5)
    }

    func testRadarChartIsDeterministicAndDrawsSixAxes() throws {
        let rated = try sheet(Fixture.good)
        let svg = RadarChart.svg(rated, maximum: 5)
        XCTAssertEqual(svg, RadarChart.svg(try sheet(Fixture.good), maximum: 5))
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertEqual(svg.components(separatedBy: "<line ").count - 1, 6)
        XCTAssertEqual(svg.components(separatedBy: "<title>declared</title>").count - 1, 1)
        // Computed scores are drawn only when every category's checklist is complete.
        XCTAssertFalse(svg.contains("<title>computed</title>"))
        // The software axis points up: rating 3 of 5 is 96 px above the centre (320, 258).
        XCTAssertTrue(svg.contains("points=\"320.00,162.00 "), svg)
        XCTAssertEqual(RadarChart.fixed(-0.005), "-0.01")
    }
}
