import XCTest
import StageKit
import StageKitTestSupport

@testable import CorpusMining

final class RecordBytesTests: XCTestCase {
    func testPatternsNeverMatchInsideStrings() throws {
        let record: JSONValue = [
            "content": "evil \"license\":null, \"repo\":\"fake\"", "license": nil, "repo": "real/ repo \"q\"",
        ]
        let bytes = JSONWriter.compact(record)
        XCTAssertEqual(RecordBytes.stringMember("repo", in: bytes), "real/ repo \"q\"")
        let patched = try XCTUnwrap(RecordBytes.replacingLast(Array(#""license":null"#.utf8),
                                                              with: Array(#""license":"MIT""#.utf8), in: bytes))
        let parsed = try JSONParser.parse(patched)
        XCTAssertEqual(parsed["license"], "MIT")
        XCTAssertEqual(parsed["content"], record["content"])
        XCTAssertNil(RecordBytes.replacingLast(Array("absent".utf8), with: [], in: bytes))
        XCTAssertNil(RecordBytes.stringMember("missing", in: bytes))
    }
}
