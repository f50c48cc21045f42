import XCTest
import Tokompiler

final class TokompilerModuleTests: XCTestCase {
    func testModuleName() { XCTAssertEqual(TokompilerModule.name, "Tokompiler") }
}
