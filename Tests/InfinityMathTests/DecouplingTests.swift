import InfinityMath
import XCTest

/// Number decoupling: every quantity kind is found with its value, kind, span and a name from its context, and
/// the generic question has a placeholder where each one was.
final class DecouplingTests: XCTestCase {
    private func quantities(_ question: String) -> [(text: String, value: PyValue, kind: QuantityKind)] {
        DecoupledQuestion(question: question).quantities.map { ($0.text, $0.value, $0.kind) }
    }

    private func assertQuantities(_ question: String, _ expected: [(String, PyValue, QuantityKind)],
                                  file: StaticString = #filePath, line: UInt = #line) {
        let found = quantities(question)
        XCTAssertEqual(found.map(\.text), expected.map(\.0), question, file: file, line: line)
        XCTAssertEqual(found.map(\.value), expected.map(\.1), question, file: file, line: line)
        XCTAssertEqual(found.map(\.kind), expected.map(\.2), question, file: file, line: line)
    }

    func testIntegersAndThousandsSeparators() {
        assertQuantities("A library has 8 shelves with 1,250 books and 3,000,000 pages.",
                         [("8", .int(8), .integer), ("1,250", .int(1250), .integer), ("3,000,000", .int(3_000_000), .integer)])
        // A comma between numbers that is not a thousands group separates two numbers.
        assertQuantities("He scored 5,10 and 15 points.", [("5", .int(5), .integer), ("10", .int(10), .integer), ("15", .int(15), .integer)])
    }

    func testDecimalsIncludingALeadingDot() {
        assertQuantities("A plank is 2.5 meters long and .75 meters wide.",
                         [("2.5", .float(2.5), .decimal), (".75", .float(0.75), .decimal)])
    }

    func testMoney() {
        assertQuantities("Eggs cost $.50 each, a cake costs $12 and a bike $1,250.99; he has 40 dollars.",
                         [(".50", .float(0.5), .money), ("12", .int(12), .money), ("1,250.99", .float(1250.99), .money),
                          ("40", .int(40), .money)])
    }

    func testPercentages() {
        assertQuantities("It is 25% off, then twenty percent more.", [("25", .int(25), .percent), ("twenty", .int(20), .percent)])
    }

    func testFractionsInDigitsAndWords() {
        assertQuantities("Ali eats 3/4 of the pizza, half of the cake, a third of the pie and two-thirds of the bread.",
                         [("3/4", .float(0.75), .fraction), ("half", .float(0.5), .fraction), ("a third", .float(1.0 / 3), .fraction),
                          ("two-thirds", .float(2.0 / 3), .fraction)])
        let decoupled = DecoupledQuestion(question: "Ali eats 3/4 of it.")
        XCTAssertEqual(decoupled.quantities.first?.fraction?.numerator, 3)
        XCTAssertEqual(decoupled.quantities.first?.fraction?.denominator, 4)
        // A date is not a fraction.
        XCTAssertFalse(quantities("On 3/4/2020 she left.").contains { $0.kind == .fraction })
    }

    func testNumberWordsAndADozen() {
        assertQuantities("Three boxes hold twenty-five pens; a dozen eggs and two hundred cups.",
                         [("Three", .int(3), .numberWord), ("twenty-five", .int(25), .numberWord), ("a dozen", .int(12), .numberWord),
                          ("two hundred", .int(200), .numberWord)])
    }

    func testMultipliers() {
        assertQuantities("He has twice as many, then triple the amount, and his savings doubled.",
                         [("twice", .int(2), .multiplier), ("triple", .int(3), .multiplier), ("doubled", .int(2), .multiplier)])
    }

    func testOrdinalsThatAreQuantities() {
        assertQuantities("She waters them every third day and every 5th customer wins.",
                         [("third", .int(3), .ordinal), ("5th", .int(5), .ordinal)])
        // An ordinal that only orders things is not a quantity.
        XCTAssertTrue(quantities("His second throw was long.").isEmpty)
    }

    func testClockTimesYearsZeroAndOneStayAsWritten() {
        let decoupled = DecoupledQuestion(question: "At 3:30 in 2019 she had 1 cat and 0 dogs and 4 fish.")
        let fixed = decoupled.quantities.filter { !$0.mayVary }.map(\.text)
        XCTAssertEqual(fixed, ["3", "30", "2019", "1", "0"])
        XCTAssertEqual(decoupled.quantities.filter(\.mayVary).map(\.text), ["4"])
    }

    func testSpansAreUnicodeScalarOffsetsAndTheGenericQuestionHasPlaceholders() {
        let question = "Zoë sold clips to 48 of her friends in April, and then she sold half as many clips in May."
        let decoupled = DecoupledQuestion(question: question)
        let scalars = Array(question.unicodeScalars)
        for quantity in decoupled.quantities {
            XCTAssertEqual(String(String.UnicodeScalarView(scalars[quantity.span])), quantity.text)
        }
        XCTAssertEqual(decoupled.quantities.map(\.name), ["num_friends_april", "fraction_clips_may"])
        XCTAssertEqual(decoupled.genericQuestion,
                       "Zoë sold clips to {num_friends_april} of her friends in April, and then she sold {fraction_clips_may} as many clips in May.")
    }

    func testNamesAreUniqueIdentifiersAndBracesAreEscaped() {
        let decoupled = DecoupledQuestion(question: "He has 3 apples and 4 apples {sic} and 5 apples.")
        let names = decoupled.quantities.map(\.name)
        XCTAssertEqual(names, ["num_apples", "num_apples_2", "num_apples_3"])
        XCTAssertTrue(decoupled.genericQuestion.contains("{{sic}}"))
        for name in names { XCTAssertNotNil(name.range(of: "^[a-z_][a-z0-9_]*$", options: .regularExpression)) }
    }

    func testInstantiationWritesNewValuesInTheOriginalStyle() {
        let decoupled = DecoupledQuestion(question: "Three friends pay $1,200.50 for 2.5 kg, a third of it, twice, every 4th day, and a 20% tip.")
        var values: [String: PyValue] = [:]
        let replacements: [PyValue] = [.int(8), .float(2400.75), .float(3.5), .float(0.125), .int(3), .int(11), .int(15)]
        for (quantity, value) in zip(decoupled.quantities, replacements) { values[quantity.name] = value }
        XCTAssertEqual(decoupled.instantiate(values),
                       "Eight friends pay $2,400.75 for 3.5 kg, an eighth of it, three times, every 11th day, and a 15% tip.")
    }
}
