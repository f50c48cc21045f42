import Foundation
import Engine
@testable import PipeCLI
import StageKit
import XCTest

/// Every schema file (`*.schema.json`) in `Schemas/<Module>/` is embedded into its module by the build plugin, compiles, and is
/// known to the binary under its file name and stem; no two modules own a schema of the same name.
final class EmbeddedSchemasTests: XCTestCase {
    /// JSON files in `Schemas/` that are data rather than schemas (`Rubric.embedded()` and `KindProfiles.embedded()`
    /// read them; their tests check them).
    static let dataFiles: Set<String> = ["ontology-rubric.json", "registry-kinds.json"]

    func testEverySchemaFileIsEmbeddedAndCompiles() throws {
        let root = PipeProcess.repositoryRoot.appendingPathComponent("Schemas")
        let library = StageKinds.catalog.schemas
        XCTAssertEqual(library.loadErrors.mapValues(\.description), [:])
        var seen: [String: String] = [:]
        for module in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            let folder = root.appendingPathComponent(module)
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".json") {
                // Data files embedded with the schemas (the ontology's rubric) are not schemas; their modules read them.
                guard name.hasSuffix(".schema.json") else {
                    XCTAssertTrue(Self.dataFiles.contains(name), "\(name) in Schemas/\(module) is neither a schema nor a known data file")
                    continue
                }
                XCTAssertNil(seen[name], "\(name) is in both Schemas/\(seen[name] ?? "") and Schemas/\(module)")
                seen[name] = module
                let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                let embedded = try XCTUnwrap(library.registry.document(named: name), "\(name) is not embedded")
                XCTAssertEqual(try JSONParser.parse(text), embedded, "\(name) differs from its embedded copy")
                let stem = String(name.dropLast(".schema.json".count))
                XCTAssertNotNil(library.schema(named: name), name)
                XCTAssertNotNil(library.schema(named: stem), stem)
            }
        }
        XCTAssertEqual(Set(seen.keys), Set(StageKinds.catalog.registry.schemaFiles.map(\.name) + KindCatalog.engineSchemas.map(\.name)))
    }

    func testEveryKindNamesItsParametersSchema() {
        for name in StageKinds.catalog.registry.names {
            guard let kind = StageKinds.catalog.registry.kinds[name] else { continue }
            XCTAssertNotNil(StageKinds.catalog.schemas.schema(named: kind.parametersSchema), "\(name): \(kind.parametersSchema)")
        }
    }
}
