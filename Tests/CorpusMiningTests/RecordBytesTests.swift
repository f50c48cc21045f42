import PipeCore
import XCTest

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

final class RecordJSONTests: XCTestCase {
    func testWritesWhatTheEngineWriterWrites() {
        let values: [JSONValue] = [
            .null, true, false, 0, -12345678901234, 0.1, 1e-7, 25.0, 1.5e300, "",
            "plain ascii", "quote \" backslash \\ slash / tab \t cr \r lf \n bell \u{07} nul \u{0} del \u{7F}",
            "unicode é ∑ 𝄞 \u{2028}", ["a", 1, [nil, ["b": 2]]],
            ["z": 1, "a": ["y": "x", "é": 2, "A": 3, "a_b": 4, "ab": 5], "content": "x\ny"],
        ]
        for value in values {
            XCTAssertEqual(RecordJSON.compact(value), JSONWriter.compact(value), "\(value)")
        }
    }
}
