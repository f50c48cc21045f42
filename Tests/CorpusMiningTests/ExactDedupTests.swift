import XCTest

@testable import CorpusMining

final class ExactDedupTests: XCTestCase {
    func testOnlyLineEndingsAndTrailingBlanksAreNormalized() {
        XCTAssertEqual(ExactDedup.normalize(Array("a  \r\nb\t\rc \n".utf8)), Array("a\nb\nc\n".utf8))
        XCTAssertEqual(ExactDedup.normalize(Array("  lead  in  \n".utf8)), Array("  lead  in\n".utf8))
        XCTAssertEqual(ExactDedup.normalize(Array("end  ".utf8)), Array("end".utf8))
        XCTAssertEqual(ExactDedup.key(Array("x = 1;\r\n".utf8)), ExactDedup.key(Array("x = 1;   \n".utf8)))
        XCTAssertNotEqual(ExactDedup.key(Array("x = 1;\n".utf8)), ExactDedup.key(Array("x  = 1;\n".utf8)))
        XCTAssertNotEqual(ExactDedup.key(Array("x = 1;\n".utf8)), ExactDedup.key(Array("x = 1;\n\n".utf8)))
        XCTAssertNotEqual(ExactDedup.key(Array("X = 1;\n".utf8)), ExactDedup.key(Array("x = 1;\n".utf8)))
    }

    func testKeyIsSHA256OfTheNormalizedBytes() {
        // SHA-256("abc"), the FIPS 180-2 test vector.
        XCTAssertEqual(ExactDedup.key(Array("abc  ".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
