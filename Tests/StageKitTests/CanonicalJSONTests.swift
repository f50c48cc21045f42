import XCTest
@testable import StageKit

/// Typed records go through one encoder and come out as `JSONWriter` writes their values.
final class CanonicalJSONTests: XCTestCase {
    private struct Inner: Encodable {
        var name: String
        var weight: Double
    }

    private struct Record: Encodable {
        var id: String
        var count: Int
        var ratio: Double
        var small: Float
        var flag: Bool
        var missing: String?
        var tags: [String]
        var inner: Inner
        var extra: JSONValue
        var byName: [String: Int]

        enum CodingKeys: String, CodingKey {
            case id, count, ratio, small, flag, missing, tags, inner, extra
            case byName = "by_name"
        }
    }

    func testRecordsAreWrittenWithSortedKeysAndNullForMissingOptionals() throws {
        let record = Record(id: "r1", count: 3, ratio: 0.1, small: 0.1, flag: true, missing: nil, tags: ["b", "a"],
                            inner: Inner(name: "é\n", weight: 2), extra: ["z": 1, "a": [1.5, nil]], byName: ["y": 2, "x": 1])
        let text = String(decoding: try CanonicalJSON.encode(record), as: UTF8.self)
        XCTAssertEqual(text, #"{"by_name":{"x":1,"y":2},"count":3,"extra":{"a":[1.5,null],"z":1},"flag":true,"id":"r1","inner":{"name":"é\n","weight":2.0},"missing":null,"ratio":0.1,"small":0.1,"tags":["b","a"]}"#)
        XCTAssertEqual(try CanonicalJSON.encode(record), JSONWriter.compact(try JSONParser.parse(text)))
    }

    func testNumbersThatAreNotJSONAreRefused() {
        struct Bad: Encodable { var value: Double }
        XCTAssertThrowsError(try CanonicalJSON.encode(Bad(value: .nan)))
        XCTAssertThrowsError(try CanonicalJSON.encode(Bad(value: .infinity)))
        struct Big: Encodable { var value: UInt64 }
        XCTAssertThrowsError(try CanonicalJSON.encode(Big(value: .max)))
        XCTAssertEqual(try CanonicalJSON.value(of: Big(value: 7)), ["value": 7])
    }

    func testJSONValuesPassThroughUnchanged() throws {
        let value: JSONValue = ["a": [1, 2.5, "x", nil, true], "b": ["c": .integer(Int64.max)]]
        XCTAssertEqual(try CanonicalJSON.value(of: value), value)
        XCTAssertEqual(try CanonicalJSON.encode(value), JSONWriter.compact(value))
    }
}
