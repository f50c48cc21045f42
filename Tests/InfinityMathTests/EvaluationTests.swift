import InfinityMath
import StageKit
import XCTest

/// `pipe eval math`'s scoring: accuracies, the GSM8K+ x, y and y/x, and what is reported rather than ignored.
final class EvaluationTests: XCTestCase {
    private func dataset() throws -> MathEvaluation {
        var evaluation = MathEvaluation()
        // Two problems, each with its original and two instances.
        for (problem, answers) in [("aaaaaaaaaaaaaaaa", [10.0, 12, 14]), ("bbbbbbbbbbbbbbbb", [1.5, 2.5, 3.5])] {
            try evaluation.addDatasetRecord(["id": .string(problem), "source_id": .string(problem), "program": "def solution(): ...",
                                             "answer": .number(answers[0])])
            for (index, answer) in answers.dropFirst().enumerated() {
                try evaluation.addDatasetRecord(["id": .string("\(problem)-\(index)"), "source_id": .string(problem),
                                                 "program_id": .string(problem), "answer": .number(answer)])
            }
        }
        return evaluation
    }

    func testAccuraciesAndConsistency() throws {
        var evaluation = try dataset()
        let predictions: [JSONValue] = [
            ["id": "aaaaaaaaaaaaaaaa", "answer": 10], ["id": "aaaaaaaaaaaaaaaa-0", "answer": "The answer is 12."],
            ["id": "aaaaaaaaaaaaaaaa-1", "answer": "$14.00"], ["id": "bbbbbbbbbbbbbbbb", "answer": 1.5],
            ["id": "bbbbbbbbbbbbbbbb-0", "answer": 3], ["id": "zzz", "answer": 1], ["id": "bbbbbbbbbbbbbbbb", "answer": 2],
            ["id": "bbbbbbbbbbbbbbbb-1"],
        ]
        for (line, prediction) in predictions.enumerated() { evaluation.addPrediction(prediction, place: "line \(line + 1)") }
        let report = evaluation.report()
        XCTAssertEqual(report.originals, .init(items: 2, answered: 2, correct: 2))
        XCTAssertEqual(report.instances, .init(items: 4, answered: 4, correct: 2))
        XCTAssertEqual(report.consistency.x, 2)
        XCTAssertEqual(report.consistency.y, 1)
        XCTAssertEqual(report.consistency.ratio, 0.5)
        XCTAssertEqual(report.unknown.first, ["zzz"])
        XCTAssertEqual(report.duplicates.first, ["bbbbbbbbbbbbbbbb"])
        XCTAssertEqual(report.unreadable.count, 1)
        XCTAssertEqual(report.missing.count, 0)
        XCTAssertTrue(report.table.contains("y/x                     50.0%"), report.table)
    }

    func testMissingPredictionsCountAsWrongAndAreListed() throws {
        var evaluation = try dataset()
        evaluation.addPrediction(["id": "aaaaaaaaaaaaaaaa", "answer": 10], place: "line 1")
        let report = evaluation.report()
        XCTAssertEqual(report.missing.count, 5)
        XCTAssertEqual(report.originals.correct, 1)
        XCTAssertEqual(report.consistency.x, 1)
        XCTAssertEqual(report.consistency.y, 0)
        let json = JSONWriter.compactString(try CanonicalJSON.value(of: report))
        XCTAssertTrue(json.contains(#""missing":{"count":5"#), json)
    }

    func testAnswersInText() {
        XCTAssertEqual(PredictionAnswer.number(.text("so she has $1,080.")), 1080)
        XCTAssertEqual(PredictionAnswer.number(.text("-3 degrees")), -3)
        XCTAssertEqual(PredictionAnswer.number(.text("about .5 hours")), 0.5)
        XCTAssertNil(PredictionAnswer.number(.text("none")))
    }
}
