import Foundation
import InfinityMath
import StageKit
import XCTest

/// The problems of Data/math (what `make run` builds): every quantity kind appears, every generic question is
/// free of numbers, every program verifies, every instance keeps the constraints, and the two planted problems
/// are rejected with their codes.
final class DataMathTests: XCTestCase {
    static var records: [JSONValue] {
        get throws {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Data/math/problems.jsonl")
            let text = try String(contentsOf: url, encoding: .utf8)
            return try text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        }
    }

    func testAtLeastSixtyProblemsCoverEveryQuantityKindAndVerify() throws {
        let records = try Self.records
        XCTAssertGreaterThanOrEqual(records.count, 60)
        var kinds: Set<QuantityKind> = []
        var rejects: [String] = []
        var verified = 0
        for record in records {
            do {
                let program = try DerivedProgram(problem: try MathProblem(record: record))
                verified += 1
                kinds.formUnion(program.decoupled.quantities.map(\.kind))
                // The generic question has no number left but in its placeholders.
                var generic = program.decoupled.genericQuestion
                for quantity in program.decoupled.quantities { generic = generic.replacingOccurrences(of: "{\(quantity.name)}", with: "") }
                XCTAssertNil(generic.rangeOfCharacter(from: .decimalDigits), program.decoupled.genericQuestion)
                // The program answers the gold answer and its answer depends on the question.
                XCTAssertTrue(DerivedProgram.matches(program.answer.doubleValue ?? .nan, program.problem.gold))
                XCTAssertFalse(program.usedVariables.isEmpty)
                try InstanceTests.assertConstraints(program)
            } catch let reject as MathReject {
                rejects.append(reject.code)
            }
        }
        XCTAssertEqual(Set(kinds), Set(QuantityKind.allCases), "every quantity kind appears in Data/math")
        XCTAssertEqual(rejects.sorted(), ["math.answer_mismatch", "math.no_annotations"])
        XCTAssertEqual(verified, records.count - 2)
    }

    func testGenericQuestionsOfSomeProblems() throws {
        let expected: [String: String] = [
            "Eggs cost $.25 each. How much do 16 eggs cost?": "Eggs cost ${dollars_eggs_cost} each. How much do {num_eggs} eggs cost?",
            "Kai waters his plants every third day. How many times does he water them in 30 days?":
                "Kai waters his plants every {every_nth_day} day. How many times does he water them in {num_days} days?",
            "Grace buys a dozen roses and gives 5 of them to her mother. How many roses does she keep?":
                "Grace buys {num_roses} roses and gives {num_mother} of them to her mother. How many roses does she keep?",
            "A town had 5,000 people. The population grew by 10% in one year. How many people live there now?":
                "A town had {num_people} people. The population grew by {percent_year}% in {num_year} year. How many people live there now?",
        ]
        var seen = 0
        for record in try Self.records {
            guard let question = record["question"]?.stringValue, let generic = expected[question] else { continue }
            XCTAssertEqual(DecoupledQuestion(question: question).genericQuestion, generic)
            seen += 1
        }
        XCTAssertEqual(seen, expected.count)
    }
}
