import Foundation
import PipeCore
import XCTest
@testable import Tokompiler

/// The stage's parameters: checked before any work, with the field named.
final class StageTests: XCTestCase {
    private let setup = StageSetup(pipelineDirectory: "/tmp", schemas: SchemaRegistry.bundled)

    func testParameters() throws {
        XCTAssertNoThrow(try TokompilerTokenizeStage(parameters: .object([:]), setup: setup))
        XCTAssertNoThrow(try TokompilerTokenizeStage(parameters: ["random_ids": true, "seed": 3, "ids_per": "function"],
                                                     setup: setup))
        XCTAssertThrowsError(try TokompilerTokenizeStage(parameters: ["random_ids": true], setup: setup)) {
            XCTAssertEqual(($0 as? PipeError)?.code, "params.seed")
        }
        XCTAssertThrowsError(try TokompilerTokenizeStage(parameters: ["seed": 3], setup: setup))
        XCTAssertThrowsError(try TokompilerTokenizeStage(parameters: ["ids_per": "block"], setup: setup))
        let schema = try XCTUnwrap(SchemaRegistry.bundled.schema(named: TokompilerTokenizeStage.parametersSchema))
        XCTAssertTrue(schema.isValid(["anonymize_library_calls": true, "random_ids": true, "seed": 1, "shard_tokens": 1000]))
        XCTAssertFalse(schema.isValid(["random_ids": true]))
        XCTAssertFalse(schema.isValid(["unknown": 1]))
    }
}
