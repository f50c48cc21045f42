import XCTest
@testable import StageKit
import StageKitTestSupport

final class JSONTests: XCTestCase {
    func testStringEscapesMatchAByteByByteReference() {
        // Every special byte at every position of strings around the 8-byte word size, among plain and
        // multi-byte text, escapes exactly as the one-byte-at-a-time rule says.
        func reference(_ bytes: [UInt8]) -> [UInt8] {
            var out: [UInt8] = [UInt8(ascii: "\"")]
            let hex = Array("0123456789abcdef".utf8)
            for byte in bytes {
                switch byte {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += [0x5C, UInt8(ascii: "n")]
                case 0x0D: out += [0x5C, UInt8(ascii: "r")]
                case 0x09: out += [0x5C, UInt8(ascii: "t")]
                case 0x08: out += [0x5C, UInt8(ascii: "b")]
                case 0x0C: out += [0x5C, UInt8(ascii: "f")]
                case 0..<0x20: out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                default: out.append(byte)
                }
            }
            return out + [UInt8(ascii: "\"")]
        }
        let fillers: [[UInt8]] = [Array("abcdefghijklmnopq".utf8), Array("é漢ü字xyzé漢".utf8), Array(" !#[]{}~\u{7F}".utf8)]
        let specials: [UInt8] = [0x00, 0x01, 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1F, 0x22, 0x5C, 0x20, 0x21, 0x5B, 0x5D, 0x7F]
        for filler in fillers {
            for length in 0...17 {
                let base = Array((0..<length).map { filler[$0 % filler.count] })
                for special in specials {
                    for position in 0...length {
                        var bytes = base
                        bytes.insert(special, at: position)
                        if position + 3 < bytes.count { bytes[position + 3] = special }
                        let text = String(decoding: bytes, as: UTF8.self)
                        XCTAssertEqual(JSONWriter.compact(.string(text)), reference(Array(text.utf8)))
                    }
                }
            }
        }
    }

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

    func testRandomBytesAreParsedOrRefusedWithAPositionInside() throws {
        // Seeded, so a failure reproduces; JSON-ish bytes, so that both outcomes occur often.
        var generator = SplitMix64(seed: 20261207)
        let alphabet = Array(#"{}[]",:0123456789.eE+-truefalsn\u "#.utf8) + [0xC3, 0xA9, 0xFF]
        var accepted = 0
        var refused = 0
        for _ in 0..<5_000 {
            let length = Int.random(in: 0..<40, using: &generator)
            let bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            do {
                let value = try JSONParser.parse(bytes)
                // What is accepted survives the canonical writer unchanged.
                XCTAssertEqual(try JSONParser.parse(JSONWriter.compact(value)), value, "\(bytes)")
                accepted += 1
            } catch let error as JSONParseError {
                XCTAssertTrue((0...bytes.count).contains(error.offset), "\(bytes): offset \(error.offset)")
                XCTAssertGreaterThanOrEqual(error.line, 1)
                XCTAssertGreaterThanOrEqual(error.column, 1)
                refused += 1
            }
        }
        XCTAssertGreaterThan(accepted, 20, "the generator must produce valid texts too")
        XCTAssertGreaterThan(refused, 100)
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
