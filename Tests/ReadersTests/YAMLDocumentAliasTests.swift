import StageKit
import XCTest
@testable import Readers

/// Aliases are expanded as YAML requires, and every use is listed with its own place in the text.
final class YAMLDocumentAliasTests: XCTestCase {
    func testAliasUsesAreListedWhereTheyStand() throws {
        let document = try YAMLDocument(text: """
            base: &shared
              name: "x"
            copy: *shared
            list:
            - &one "a"
            - *one
            - [*one, b]
            """, path: "a.yaml")
        XCTAssertEqual(document.value["copy"], ["name": "x"])
        XCTAssertEqual(document.value["list"], ["a", "a", ["a", "b"]])
        XCTAssertEqual(document.aliases, [
            YAMLAlias(pointer: "/copy", anchor: "shared", location: SourceLocation(file: "a.yaml", line: 3, column: 7)),
            YAMLAlias(pointer: "/list/1", anchor: "one", location: SourceLocation(file: "a.yaml", line: 6, column: 3)),
            YAMLAlias(pointer: "/list/2/0", anchor: "one", location: SourceLocation(file: "a.yaml", line: 7, column: 4)),
        ])
        // A value inside an alias's copy is located at the alias, not at the anchored original.
        XCTAssertEqual(document.location(of: "/copy/name"), SourceLocation(file: "a.yaml", line: 3, column: 7))
        XCTAssertEqual(document.location(of: "/base/name"), SourceLocation(file: "a.yaml", line: 2, column: 9))
    }

    func testDocumentWithoutAliasesListsNone() throws {
        let document = try YAMLDocument(text: "a: &anchored 1\nb: 2\n", path: "b.yaml")
        XCTAssertEqual(document.aliases, [])
    }

    func testLocatedPointersComeInTextOrder() throws {
        let document = try YAMLDocument(text: "a: 1\nb:\n- x\n", path: "c.yaml")
        XCTAssertEqual(document.locatedPointers().map { "\($0.pointer)\($0.isKey ? "#key" : "")@\($0.line):\($0.column)" },
                       ["@1:1", "/a#key@1:1", "/a@1:4", "/b#key@2:1", "/b@3:1", "/b/0@3:3"])
    }
}
