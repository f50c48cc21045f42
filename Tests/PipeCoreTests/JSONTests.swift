import XCTest
@testable import PipeCore

final class JSONTests: XCTestCase {
    func testCanonicalFormSortsKeysAndKeepsUnicode() throws {
        let value = try JSONParser.parse(#"{"b":[1,2.5,"x\u00e9\n"],"a":null,"é":true,"Z":-0.0001}"#)
        XCTAssertEqual(JSONWriter.compactString(value), #"{"Z":-0.0001,"a":null,"b":[1,2.5,"xé\n"],"é":true}"#)
    }

    func testNumbersKeepIntegersExactAndUseShortestDoubles() throws {
        XCTAssertEqual(try JSONParser.parse("9007199254740993"), .integer(9_007_199_254_740_993))
        XCTAssertEqual(JSONWriter.compactString(try JSONParser.parse("0.1")), "0.1")
        XCTAssertEqual(JSONWriter.compactString(try JSONParser.parse("1E2")), "100.0")
        XCTAssertThrowsError(try JSONParser.parse("1e400"), "a number out of Double's range is an error")
    }

    func testIntegerAndDoubleCompareAsJSONSchemaDoes() throws {
        XCTAssertEqual(JSONValue.integer(1), JSONValue.number(1.0))
        XCTAssertNotEqual(JSONValue.integer(1), JSONValue.number(1.5))
        XCTAssertEqual(Set([JSONValue.integer(3), .number(3.0)]).count, 1)
    }

    func testErrorsCarryLineAndColumn() {
        XCTAssertThrowsError(try JSONParser.parse("{\n  \"a\": tru\n}")) { error in
            guard let error = error as? JSONParseError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.line, 2)
            XCTAssertEqual(error.column, 8)
        }
    }

    func testRejectsWhatRFC8259Forbids() {
        for text in ["", "01", "[1,]", "{\"a\" 1}", "\"\u{01}\"", "[1] x", "\"\\x\"", "\"\\ud800\"", "NaN", "{\"a\":1,\"a\":2}"] {
            XCTAssertThrowsError(try JSONParser.parse(text), "accepted \(text.debugDescription)")
        }
    }

    func testInvalidUTF8IsAnErrorNotACrash() {
        XCTAssertThrowsError(try JSONParser.parse([0x22, 0xFF, 0xFE, 0x22]))
    }

    func testDepthLimit() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        XCTAssertThrowsError(try JSONParser.parse(deep))
        XCTAssertNoThrow(try JSONParser.parse(deep, limits: JSONLimits(maxDepth: 400)))
    }

    func testSurrogatePairsAndEscapesRoundTrip() throws {
        let value = try JSONParser.parse(#""\ud83d\ude00 tab\t quote\" slash\/ ctl\u0001""#)
        XCTAssertEqual(value, .string("😀 tab\t quote\" slash/ ctl\u{01}"))
        XCTAssertEqual(JSONWriter.compactString(value), #""😀 tab\t quote\" slash/ ctl\u0001""#)
    }

    func testRandomBytesNeverCrashTheParser() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(#"{}[]",:0123456789.eE+-truefalsn\u "#.utf8) + [0xC3, 0xA9, 0xFF]
        for _ in 0..<5_000 {
            let length = Int.random(in: 0..<40, using: &generator)
            let bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            _ = try? JSONParser.parse(bytes)
        }
    }

    func testPrettyFormIsStable() throws {
        let value = try JSONParser.parse(#"{"b":{"c":[]},"a":[1,{}]}"#)
        XCTAssertEqual(JSONWriter.pretty(value), """
            {
              "a": [
                1,
                {}
              ],
              "b": {
                "c": []
              }
            }
            """)
    }
}
