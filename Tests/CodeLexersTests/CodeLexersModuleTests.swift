import XCTest
import CodeLexers

final class CodeLexersModuleTests: XCTestCase {
    func testModuleName() { XCTAssertEqual(CodeLexersModule.name, "CodeLexers") }
}
