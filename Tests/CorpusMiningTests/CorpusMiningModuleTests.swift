import XCTest
import CorpusMining

final class CorpusMiningModuleTests: XCTestCase {
    func testModuleName() { XCTAssertEqual(CorpusMiningModule.name, "CorpusMining") }
}
