import InfinityMath
import XCTest

/// The interpreter's statements, limits and errors (its arithmetic is checked against CPython in
/// `InterpreterPropertyTests`).
final class InterpreterTests: XCTestCase {
    private func run(_ source: String, _ arguments: [String: PyValue] = [:], limits: PyInterpreter.Limits = .init()) throws -> PyValue {
        try PyInterpreter(source: source, limits: limits).call("solution", arguments: arguments)
    }

    func testStatementsOfTheSubset() throws {
        let source = """
            import math


            def solution(n=10, rate=0.5):
                \"\"\"Sums and branches.\"\"\"
                total = 0
                for i in range(n):
                    if i % 2 == 0:
                        total += i
                    elif i == 5:
                        continue
                    else:
                        total -= 1
                k = 0
                while k < 3:
                    k += 1
                    if k == 2:
                        break
                best = max([1, 2.5, 2]) + min(3, 4) + abs(-2) + sum([1, 2, 3]) + round(2.5) + int(7.9)
                return total + k + best + math.floor(rate * 3) + (1 if n > 5 else 0)
            """
        // total = (0+2+4+6+8) - 4 = 16; k = 2; best = 2.5 + 3 + 2 + 6 + 2 + 7 = 22.5; floor(1.5) = 1; +1.
        XCTAssertEqual(try run(source), .float(42.5))
        XCTAssertEqual(try run(source, ["n": .int(0)]), .float(22.5 + 2 + 1))
    }

    func testPythonSemanticsOfTheHardOperators() throws {
        let cases: [(String, PyValue)] = [
            ("-7 // 2", .int(-4)), ("-7 % 3", .int(2)), ("7 % -3", .int(-2)), ("7 / 2", .float(3.5)), ("2 ** 10", .int(1024)),
            ("2 ** -1", .float(0.5)), ("-2 ** 2", .int(-4)), ("round(2.5)", .int(2)), ("round(3.5)", .int(4)), ("round(-2.5)", .int(-2)),
            ("round(2.675, 2)", .float(2.67)), ("round(1250, -2)", .int(1200)), ("round(1350, -2)", .int(1400)),
            ("-7.5 // 2", .float(-4.0)), ("7.5 % -2", .float(-0.5)), ("True + True", .int(2)), ("1 < 2 < 3", .bool(true)),
        ]
        for (expression, expected) in cases {
            XCTAssertEqual(try PyInterpreter.evaluate(expression), expected, expression)
        }
    }

    func testErrorsAreCPythonsOrTheInterpretersOwn() {
        func kind(_ expression: String) -> PyError.Kind? {
            do {
                _ = try PyInterpreter.evaluate(expression)
                return nil
            } catch { return (error as? PyError)?.kind }
        }
        XCTAssertEqual(kind("1 / 0"), .zeroDivision)
        XCTAssertEqual(kind("1 // 0"), .zeroDivision)
        XCTAssertEqual(kind("math.sqrt(-1)"), .value)
        XCTAssertEqual(kind("10.0 ** 400"), .overflow)
        XCTAssertEqual(kind("(-8) ** 0.5"), .complex)
        XCTAssertEqual(kind("9223372036854775807 + 1"), .integerRange)
        XCTAssertEqual(kind("2 ** 64"), .integerRange)
        XCTAssertEqual(kind("undefined_name"), .name)
        XCTAssertEqual(kind("1 +"), .syntax)
        XCTAssertEqual(kind("open('x')"), .name)
        XCTAssertEqual(kind("__import__('os')"), .name)
    }

    func testNoIOAndOnlyTheSubset() {
        for source in ["import os\ndef solution():\n    return 1\n", "def solution():\n    x = [1][0]\n    return x\n",
                       "class A:\n    pass\n", "def solution():\n    return 'a'.upper()\n", "from math import *\n"] {
            XCTAssertThrowsError(try run(source), source)
        }
    }

    func testLimitsStopRunawayPrograms() {
        let forever = "def solution():\n    while True:\n        pass\n"
        XCTAssertThrowsError(try run(forever, limits: .init(maxSteps: 10_000))) { error in
            XCTAssertEqual((error as? PyError)?.kind, .limit)
        }
        XCTAssertThrowsError(try run("def solution():\n    return len(range(100000000))\n")) { error in
            XCTAssertEqual((error as? PyError)?.kind, .limit)
        }
        let deep = "def solution():\n    return " + String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500) + "\n"
        XCTAssertThrowsError(try run(deep)) { error in XCTAssertEqual((error as? PyError)?.kind, .limit) }
        let huge = "def solution():\n    return 1\n" + String(repeating: "# padding\n", count: 10_000)
        XCTAssertThrowsError(try run(huge)) { error in XCTAssertEqual((error as? PyError)?.kind, .limit) }
    }

    func testArgumentsOverrideDefaultsAndUnknownOnesAreRefused() throws {
        let source = "def solution(a=2, b=3):\n    return a * b\n"
        XCTAssertEqual(try run(source, ["b": .int(5)]), .int(10))
        XCTAssertThrowsError(try run(source, ["c": .int(1)]))
    }

    func testReprMatchesPython() {
        XCTAssertEqual(PyValue.float(1e16).repr, "1e+16")
        XCTAssertEqual(PyValue.float(1e-5).repr, "1e-05")
        XCTAssertEqual(PyValue.float(0.0001).repr, "0.0001")
        XCTAssertEqual(PyValue.float(72).repr, "72.0")
        XCTAssertEqual(PyValue.float(-0.0).repr, "-0.0")
        XCTAssertEqual(PyValue.float(123456789012345680).repr, "1.2345678901234568e+17")
        XCTAssertEqual(PyValue.float(20.200000000000003).cleaned, .float(20.2))
    }
}
