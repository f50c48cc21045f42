@testable import PipeCLI
import StageKit
import StageKitTestSupport
import XCTest

/// For every kind pipe knows: its parameters schema and its `Parameters` type agree (examples decode,
/// documented defaults are the type's, documented keys are the keys the type reads).
final class ParametersAgreementTests: XCTestCase {
    func testEveryKindsSchemaAndParametersAgree() {
        func check<S: Stage>(_ kind: S.Type) {
            StageTesting.assertParametersAgreeWithSchema(kind, schemas: StageKinds.catalog.schemas)
        }
        for kind in StageKinds.all { check(kind) }
    }
}
