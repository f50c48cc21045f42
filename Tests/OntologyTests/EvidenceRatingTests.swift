import StageKit
import XCTest
@testable import Ontology

/// Ratings answered from evidence: the points of what is shown, unknown criteria kept unknown.
final class EvidenceRatingTests: XCTestCase {
    func testUnknownCriteriaGiveNoPointsAndMakeTheRatingALowerBound() throws {
        let category = try XCTUnwrap(Fixture.validator.rubric.category("software"))
        let rating = EvidenceRating.rate(category, answers: [
            "code_available": .unknown("not visible"),
            "complete": .yes("the manifest says so"),
            "documented": .partial("a card, no code comments"),
            "runs_unmodified": .yes("the run completed"),
            "environment": .no("no setup is given \u{2013} none"),
        ])
        XCTAssertEqual(rating.rating, 2.5)
        XCTAssertEqual(rating.checklist?["code_available"], "unknown")
        XCTAssertEqual(rating.checklist?["documented"], "partial")
        XCTAssertEqual(rating.reason, """
            Rated from the evidence pipe has; code_available unknown (no points), so 2.5 is a lower bound.
            - code_available: unknown: not visible
            - complete: yes: the manifest says so
            - documented: partial: a card, no code comments
            - runs_unmodified: yes: the run completed
            - environment: no: no setup is given - none

            """)
    }

    func testCompleteAnswersGiveTheScoreTheValidatorComputes() throws {
        let category = try XCTUnwrap(Fixture.validator.rubric.category("metrics"))
        let rating = EvidenceRating.rate(category, answers: ["defined": .points(3, "pipe eval defines it"), "goal_capture": .points(1, "partly")])
        XCTAssertEqual(rating.rating, 4)
        XCTAssertEqual(rating.checklist, ["defined": 3, "goal_capture": 1])
        XCTAssertTrue(rating.reason.hasPrefix("Rated from the evidence pipe has; every criterion is answered.\n"))
        XCTAssertTrue(rating.reason.contains("- defined: 3 points: pipe eval defines it\n"))
    }

    func testAMissingAnswerIsUnknown() throws {
        let category = try XCTUnwrap(Fixture.validator.rubric.category("documentation"))
        let rating = EvidenceRating.rate(category, answers: ["task": .yes("explained")])
        XCTAssertEqual(rating.rating, 1)
        XCTAssertEqual(rating.checklist?["paper"], "unknown")
    }

    func testFoldingMakesTextASCII() {
        XCTAssertEqual(ASCIIFolding.fold("Caf\u{E9} \u{201C}na\u{EF}ve\u{201D} \u{2014} M\u{FC}ller \u{2603}"), "Cafe \"naive\" -- Mueller ?")
        XCTAssertEqual(ASCIIFolding.fold("plain"), "plain")
    }
}
