import XCTest
import DataFiltering

final class DataFilteringModuleTests: XCTestCase {
    func testModuleName() { XCTAssertEqual(DataFilteringModule.name, "DataFiltering") }
}
