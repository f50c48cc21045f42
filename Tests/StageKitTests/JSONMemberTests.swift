import XCTest
@testable import StageKit

/// `JSONParser.member` reads one top-level member without parsing the rest.
final class JSONMemberTests: XCTestCase {
    func testMemberScannerFindsTopLevelFieldsOnly() throws {
        let text = #"{"a":{"group":"inner"},"s":"x\"group\":1","list":[{"group":2}],"group":"outer","z":1}"#
        let found = try Array(text.utf8).withUnsafeBytes { try JSONParser.member("group", in: $0) }
        XCTAssertEqual(found, .string("outer"))
        let missing = try Array(#"{"a":1,"b":[1,{"c":2}]}"#.utf8).withUnsafeBytes { try JSONParser.member("group", in: $0) }
        XCTAssertNil(missing)
        let number = try Array(#"{"group": 12 , "b":2}"#.utf8).withUnsafeBytes { try JSONParser.member("group", in: $0) }
        XCTAssertEqual(number, .integer(12))
        XCTAssertThrowsError(try Array("[1]".utf8).withUnsafeBytes { try JSONParser.member("group", in: $0) })
    }
}
