import XCTest
@testable import Ontology

/// Ratings: 0-5 in halves, and equal to the score of a complete checklist.
final class RatingsRulesTests: XCTestCase {
    func testComputedScoreAndOverall() throws {
        let report = try Fixture.report(Fixture.good)
        let ratings = try XCTUnwrap(report.entries.first?.ratings)
        XCTAssertEqual(ratings.computed.map(\.category), ["software"])
        XCTAssertEqual(ratings.computed.map(\.score), [3])
        XCTAssertEqual(ratings.declared.map(\.rating), [3, 4, 5, 5, 2, 5])
        XCTAssertEqual(ratings.overall, 4)
    }

    func testRatingOutsideTheScaleIsAnError() throws {
        let text = Fixture.replacing("    rating: 2\n", with: "    rating: -1\n")
        XCTAssertEqual(try Fixture.findings(text), ["70:13 error ontology.rating_range /ratings/reference_solution/rating"])
        XCTAssertEqual(try Fixture.messages(text), [
            "'reference_solution' is rated -1, outside 0-5 (0 means the criteria are not met; leave a category out until it is rated)",
        ])
        let high = Fixture.replacing("    rating: 2\n", with: "    rating: 6\n")
        XCTAssertEqual(try Fixture.findings(high), ["70:13 error ontology.rating_range /ratings/reference_solution/rating"])
    }

    func testRatingOffTheHalfStepIsAWarning() throws {
        let text = Fixture.replacing("    rating: 2\n", with: "    rating: 2.25\n")
        XCTAssertEqual(try Fixture.findings(text), ["70:13 warning ontology.rating_step /ratings/reference_solution/rating"])
    }

    func testRatingThatDisagreesWithItsChecklistIsAnError() throws {
        let text = Fixture.replacing("    rating: 3\n", with: "    rating: 4\n")
        XCTAssertEqual(try Fixture.findings(text), ["56:13 error ontology.rating_mismatch /ratings/software/rating"])
        XCTAssertEqual(try Fixture.messages(text), [
            "'software' is rated 4 but its checklist gives 3 (code_available 1 + documented 1 + environment 1)",
        ])
    }

    func testPartialAndGradedAnswers() throws {
        let text = Fixture.replacing("complete: \"no\"", with: "complete: \"partial\"").replacingOccurrences(of: "rating: 3\n", with: "rating: 3.5\n")
        XCTAssertEqual(try Fixture.findings(text), [])
        let graded = Fixture.replacing("    rating: 5\n    reason: \"pass@1, defined.\"",
                                       with: "    rating: 4\n    reason: \"pass@1, defined.\"\n    checklist: {defined: 3, goal_capture: 1}")
        XCTAssertEqual(try Fixture.findings(graded), [])
        XCTAssertEqual(try Fixture.report(graded).entries.first?.ratings.computed.map(\.score), [3, 4])
    }

    func testUnknownCriterionIsAnErrorWithASuggestion() throws {
        let text = Fixture.replacing("runs_unmodified: \"no\"", with: "runs_unmodifed: \"no\"")
        XCTAssertEqual(try Fixture.findings(text), ["59:75 error ontology.checklist_key /ratings/software/checklist/runs_unmodifed"])
        XCTAssertEqual(try Fixture.messages(text), [
            "'runs_unmodifed' is not a criterion of C1 (did you mean 'runs_unmodified'?); its criteria are code_available, complete, documented, runs_unmodified, environment",
        ])
    }

    func testBadAnswerIsAnError() throws {
        let text = Fixture.replacing("documented: \"yes\"", with: "documented: 2")
        XCTAssertEqual(try Fixture.findings(text), ["59:68 error ontology.checklist_answer /ratings/software/checklist/documented"])
    }

    func testIncompleteChecklistIsAWarningAndNotCompared() throws {
        let text = Fixture.replacing("environment: \"yes\"", with: "environment: \"unknown\"")
        XCTAssertEqual(try Fixture.findings(text), ["59:16 warning ontology.checklist_incomplete /ratings/software/checklist"])
        XCTAssertEqual(try Fixture.report(text).entries.first?.ratings.computed.count, 0)
    }

    func testMissingCategoryAndUnratedEntry() throws {
        let text = Fixture.replacing("\n  documentation:\n    rating: 5\n    reason: \"Paper.\"", with: "")
        XCTAssertEqual(try Fixture.findings(text), ["55:3 warning ontology.rating_missing /ratings/documentation"])
        let unrated = String(Fixture.good[..<(Fixture.good.range(of: "ratings:")?.lowerBound ?? Fixture.good.endIndex)]) + "ratings: {}\n"
        XCTAssertEqual(try Fixture.findings(unrated), ["54:10 warning ontology.not_rated /ratings"])
        XCTAssertTrue(try Fixture.report(unrated).valid)
    }

    func testRubricHasSixCategoriesOfFivePoints() throws {
        let rubric = Fixture.validator.rubric
        XCTAssertEqual(rubric.categories.map(\.key), ["software", "specification", "dataset", "metrics", "reference_solution", "documentation"])
        XCTAssertEqual(rubric.categories.map(\.code), ["C1", "C2", "C3", "C4", "C5", "C6"])
        XCTAssertEqual(rubric.categories.map(\.maximumPoints), [5, 5, 5, 5, 5, 5])
        XCTAssertEqual(rubric.category("metrics")?.criteria.map(\.points), [3, 2])
    }
}
