import Foundation
import XCTest
@testable import PipeCore

/// The schemas compiled into the binary must be exactly the files in `Schemas/`.
final class BundledSchemasTests: XCTestCase {
    func testBundledSchemasMatchTheSchemasFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Schemas")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".schema.json") }
        XCTAssertEqual(Set(names), Set(BundledSchemas.files.keys), "run scripts/embed-schemas")
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            XCTAssertEqual(try JSONParser.parse(text), try JSONParser.parse(BundledSchemas.files[name] ?? ""),
                           "\(name) differs from its bundled copy: run scripts/embed-schemas")
        }
    }

    func testEveryBundledSchemaCompiles() throws {
        for (name, text) in BundledSchemas.files {
            XCTAssertNoThrow(try JSONSchema(try JSONParser.parse(text)), name)
        }
    }

    func testMemberScannerFindsTopLevelFieldsOnly() throws {
        let text = #"{"a":{"group":"inner"},"s":"x\"group\":1","list":[{"group":2}],"group":"outer","z":1}"#
        let found = try Array(text.utf8).withUnsafeBytes { try JSONParser.member("group", in: $0) }
        XCTAssertEqual(found, .string("outer"))
        let missing = try Array(#"{"a":1,"b":[1,{"c":2}]}"#.utf8).withUnsafeBytes { try JSONParser.member("group", in: $0) }
        XCTAssertNil(missing)
        let number = try Array(#"{"group": 12 , "b":2}"#.utf8).withUnsafeBytes { try JSONParser.member("group", in: $0) }
        XCTAssertEqual(number, .integer(12))
        XCTAssertThrowsError(try Array("[1]".utf8).withUnsafeBytes { try JSONParser.member("group", in: $0) })
    }
}
