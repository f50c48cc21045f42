import Foundation
import XCTest
import StageKit
import StageKitTestSupport
@testable import Tokompiler

/// The stage's parameters: checked before any work, with the field named.
final class StageTests: XCTestCase {
    private func make(_ params: JSONValue) throws -> TokompilerTokenizeStage {
        try StageTesting.make(TokompilerTokenizeStage.self, params: params, directory: "/tmp")
    }

    func testParameters() throws {
        XCTAssertNoThrow(try make(.object([:])))
        XCTAssertNoThrow(try make(["random_ids": true, "seed": 3, "ids_per": "function"]))
        XCTAssertThrowsError(try make(["random_ids": true])) {
            XCTAssertEqual(($0 as? PipeError)?.code, "params.seed")
            XCTAssertEqual(($0 as? PipeError)?.field, "/random_ids")
        }
        XCTAssertThrowsError(try make(["seed": 3]))
        XCTAssertThrowsError(try make(["ids_per": "block"]))
        let schema = try XCTUnwrap(StageTesting.schemas([TokompilerTokenizeStage.self]).schema(named: TokompilerTokenizeStage.parametersSchema))
        XCTAssertTrue(schema.isValid(["anonymize_library_calls": true, "random_ids": true, "seed": 1, "shard_tokens": 1000]))
        XCTAssertFalse(schema.isValid(["random_ids": true]))
        XCTAssertFalse(schema.isValid(["unknown": 1]))
    }
}
