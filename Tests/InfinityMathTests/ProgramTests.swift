import InfinityMath
import StageKit
import XCTest

/// Program derivation from GSM8K annotations: the emitted Python, the rules that read each annotation number,
/// and the reject codes.
final class ProgramTests: XCTestCase {
    private func program(_ question: String, _ answer: String) throws -> DerivedProgram {
        try DerivedProgram(problem: MathProblem(question: question, answer: answer))
    }

    private func assertRejected(_ question: String, _ answer: String, _ code: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try program(question, answer), file: file, line: line) { error in
            XCTAssertEqual((error as? MathReject)?.code, code, "\(error)", file: file, line: line)
        }
    }

    func testTheFirstGSM8KProblemGivesThisProgram() throws {
        // train.jsonl#L1 of GSM8K (reference, §5).
        let derived = try program(
            "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?",
            "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.\n#### 72")
        XCTAssertEqual(derived.source, """
            def solution(num_friends_april=48, fraction_clips_may=0.5):
                \"\"\"Natalia sold clips to {num_friends_april} of her friends in April, and then she sold {fraction_clips_may} as many clips in May. How many clips did Natalia sell altogether in April and May?

                Args:
                    num_friends_april (integer): 48 in the question
                    fraction_clips_may (fraction): half in the question

                Returns:
                    The answer to the question (72 for the numbers as given).
                \"\"\"
                # Natalia sold 48/2 = 24 clips in May.
                clips_may = num_friends_april * fraction_clips_may
                # Natalia sold 48+24 = 72 clips altogether in April and May.
                clips_april = num_friends_april + clips_may
                return clips_april

            """)
        XCTAssertEqual(derived.answer, .float(72))
        XCTAssertEqual(derived.usedVariables, ["num_friends_april", "fraction_clips_may"])
    }

    func testHiddenConstantsAreNamedAndDecimalsWithoutALeadingZeroAreRead() throws {
        // train.jsonl#L2349: a dozen as 12, $.50 as .5, and the sign before the annotation.
        let derived = try program("Tim buys 3 dozen eggs.  Eggs cost $.50 each.  How much did he pay for eggs?",
                                  "He bought 3*12=<<3*12=36>>36 eggs\nSo they cost 36*.5=$<<36*.5=18>>18\n#### 18")
        XCTAssertEqual(derived.constants, [NamedConstant(name: "items_per_dozen", value: .int(12))])
        XCTAssertTrue(derived.source.contains("    items_per_dozen = 12\n"), derived.source)
        XCTAssertTrue(derived.source.contains("= num_eggs * items_per_dozen\n"), derived.source)
        XCTAssertEqual(derived.answer, .float(18))
    }

    func testPercentagesAreReadAsFractionsAndIncreases() throws {
        let derived = try program("A town had 5,000 people and grew by 10%, then a shop cut 20% off a $50 coat.",
                                  "Now 5000*1.1=<<5000*1.1=5500>>5500 people.\nThe coat is 50*.8=$<<50*.8=40>>40.\nSo 5500+40=<<5500+40=5540>>5540.\n#### 5540")
        XCTAssertTrue(derived.source.contains("num_people * (1 + percent_people_grew / 100)"), derived.source)
        XCTAssertTrue(derived.source.contains("dollars_coat * (1 - percent_off / 100)"), derived.source)
    }

    func testUnitFractionsDivideAndPlainTextArithmeticCounts() throws {
        // `36/2` with "half" is `36 * half`; the last step is only written out (`36 - 18 = 18`).
        let derived = try program("Sam has 36 marbles and gives half to his brother. How many are left?",
                                  "He gives 36/2 = <<36/2=18>>18 marbles.\nHe keeps 36 - 18 = 18 marbles.\n#### 18")
        XCTAssertTrue(derived.source.contains("num_marbles * fraction_brother"), derived.source)
        XCTAssertEqual(derived.steps.count, 2)
        XCTAssertEqual(derived.answer, .float(18))
    }

    func testAWholeAnswerFromAFractionalResultIsRounded() throws {
        let derived = try program("Buses hold 40 students each. 150 students go on a trip. How many buses are needed?",
                                  "They need 150 / 40 = <<150/40=3.75>>3.75 buses, so 4 buses.\n#### 4")
        XCTAssertTrue(derived.source.hasPrefix("import math\n"), derived.source)
        XCTAssertTrue(derived.source.contains("math.ceil("), derived.source)
        XCTAssertEqual(derived.answer, .int(4))
    }

    func testTheProgramRunsOnNewValues() throws {
        let derived = try program("Lily has 14 shells. Her brother has twice as many shells. How many shells do they have together?",
                                  "Her brother has 14 * 2 = <<14*2=28>>28 shells.\nTogether they have 14 + 28 = <<14+28=42>>42 shells.\n#### 42")
        XCTAssertEqual(try derived.interpreter.call("solution", arguments: ["num_shells": .int(10), "times_shells": .int(3)]), .int(40))
    }

    func testVariantsSubstituteNumbersAndKeepTheAnswer() throws {
        let derived = try program("A school orders 7 boxes of pencils with 24 pencils in each box. The teachers hand out 130 pencils. How many pencils are left?",
                                  "The school has 7 * 24 = <<7*24=168>>168 pencils.\nThere are 168 - 130 = <<168-130=38>>38 pencils left.\n#### 38")
        let variants = try derived.variants()
        XCTAssertEqual(variants.count, 7)
        let first = try XCTUnwrap(variants.first)
        XCTAssertEqual(first.substituted, ["num_boxes"])
        XCTAssertTrue(first.source.hasPrefix("def solution(num_pencils=24, num_pencils_2=130):"), first.source)
        XCTAssertTrue(first.source.contains("= 7 * num_pencils"), first.source)
        XCTAssertFalse(first.source.contains("num_boxes"), first.source)
        XCTAssertTrue(first.genericQuestion.hasPrefix("A school orders 7 boxes of pencils with {num_pencils} pencils"), first.genericQuestion)
        for variant in variants { XCTAssertEqual(try PyInterpreter(source: variant.source).call("solution"), .int(38)) }
    }

    func testRejectCodes() {
        assertRejected("A box has 10 pens. How many pens are in 3 boxes?", "There are 30 pens.\n#### 30", "math.no_annotations")
        assertRejected("Kate has 5 apples and buys 7 more.", "She has 5 + 7 = <<5+7=12>>12 apples.\nShe eats 2.\n#### 10", "math.answer_mismatch")
        assertRejected("Kate has 5 apples.", "She has 5 + 7 = <<5+7=12>>12 apples.\n", "math.no_final_answer")
        assertRejected("Kate has 5 apples.", "She has <<5+7=13>>13 apples.\n#### 13", "math.annotation_value")
        assertRejected("Kate has 5 apples.", "She has <<5+x=13>>13 apples.\n#### 13", "math.annotation_syntax")
        // 347 is nowhere in the question, not a result, and no single operation of known values.
        assertRejected("Kate has 5 apples and 9 pears.", "She has 5 + 347 = <<5+347=352>>352 fruits.\n#### 352", "math.unexplained_number")
        // The answer would be a constant: every instance would keep it whatever the numbers.
        assertRejected("Kate has some apples.", "She has <<3*4=12>>12 apples.\n#### 12", "math.constant_answer")
        XCTAssertThrowsError(try MathProblem(record: ["question": "q"])) { error in
            XCTAssertEqual((error as? MathReject)?.code, "math.record")
            XCTAssertEqual((error as? MathReject)?.rejectClass, .error)
        }
    }

    func testEveryRejectCodeHasAClass() {
        let codes = MathReject.mathCodes.map(\.code)
        XCTAssertEqual(Set(codes).count, codes.count)
        for code in ["math.record", "math.no_final_answer", "math.input"] {
            XCTAssertEqual(MathReject.mathCodes.first { $0.code == code }?.rejectClass, .error)
        }
    }

    func testDocstringsAreSafeForAnyQuestionText() throws {
        let derived = try program(#"He said """hi""" \ and bought 3 pens at $2 each."#,
                                  "He pays 3*2=<<3*2=6>>6.\n#### 6")
        // The program still parses and runs: the quotes and the backslash are escaped.
        XCTAssertEqual(try PyInterpreter(source: derived.source).call("solution"), .int(6))
    }
}

/// Hostile problems cost little and never crash.
final class HostileProblemTests: XCTestCase {
    func testHugeAndStrangeInputsAreRejectedOrHandled() {
        let long = String(repeating: "7 ", count: 20_000)
        XCTAssertThrowsError(try MathProblem(question: long, answer: "1+1=<<1+1=2>>2\n#### 2")) { error in
            XCTAssertEqual((error as? MathReject)?.code, "math.too_large")
        }
        let equations = String(repeating: "1+", count: 5_000) + "1 = 5001\n#### 5001"
        XCTAssertThrowsError(try DerivedProgram(problem: MathProblem(question: "He has 1 apple.", answer: equations)))
        // Numbers too large for Int64 or for drawing, odd Unicode, braces: no crash, and nothing varies wildly.
        let question = "He has 99999999999999999999 coins, ½ a pie, １２ Ｘ and {x} 5 cats."
        if let program = try? DerivedProgram(problem: MathProblem(question: question, answer: "5*2=<<5*2=10>>10\n#### 10")) {
            XCTAssertNoThrow(try InstanceSampler(program: program).sample(count: 5, seed: 1))
        }
        XCTAssertThrowsError(try MathProblem(question: "q", answer: "<<" + String(repeating: "(", count: 10_000) + "1=1>>\n#### 1"))
    }
}
