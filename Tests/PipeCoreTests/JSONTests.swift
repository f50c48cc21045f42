import XCTest
@testable import PipeCore
final class JSONTests: XCTestCase {
  func testRoundTrip() throws {
    let v = try JSONParser.parse("{\"b\":[1,2.5,\"x\\u00e9\\n\"],\"a\":null}")
    XCTAssertEqual(JSONWriter.compactString(v), "{\"a\":null,\"b\":[1,2.5,\"xé\\n\"]}")
  }
}
