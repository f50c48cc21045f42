import JSONSchema
import StageKit
import XCTest

/// Sets stage kinds up and checks their records the way the engine does, without the engine.
public enum StageTesting {
    /// The schemas `kinds` embed, compiled (an unknown schema name or a broken schema fails the test that uses it).
    public static func schemas(_ kinds: [any Stage.Type]) -> SchemaLibrary {
        var files: [String: SchemaFile] = [:]
        for kind in kinds {
            for file in kind.schemaFiles { files[file.name] = file }
        }
        return SchemaLibrary(files: files.keys.sorted().compactMap { files[$0] })
    }

    /// A setup for `kind` whose relative paths resolve against `directory`.
    public static func setup(_ kind: any Stage.Type, directory: String = ".", inputs: [StreamSpec] = []) -> StageSetup {
        StageSetup(pipelineDirectory: directory, schemas: schemas([kind]), inputs: inputs)
    }

    /// `kind` set up from `params` as a pipeline file would give them (decoded by `ParameterDecoder`).
    public static func make<S: Stage>(_ kind: S.Type, params: JSONValue = .object([:]), directory: String = ".",
                                      inputs: [StreamSpec] = []) throws -> S {
        try S.make(parameters: params, setup: setup(kind, directory: directory, inputs: inputs))
    }

    /// Fails the test for every record of `records` that its stream's schema rejects; `streams` name the schemas.
    public static func assertRecordsMatchSchemas(
        _ records: [(stream: String, bytes: [UInt8])], streams: [StreamSpec], schemas: SchemaLibrary,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        for record in records {
            guard let spec = streams.first(where: { $0.name == record.stream }), !spec.hidden else { continue }
            do {
                let validator: any RecordValidator
                if let document = spec.document {
                    validator = CompiledValidator(name: spec.schema, path: nil,
                                                  schema: try JSONSchema(document, registry: schemas.registry))
                } else {
                    validator = try schemas.validator(for: spec.schema, relativeTo: ".")
                }
                let value = try JSONParser.parse(record.bytes)
                XCTAssertTrue(validator.isValid(value),
                              "\(record.stream) record fails \(spec.schema): \(validator.problems(in: value, limit: 3))",
                              file: file, line: line)
                XCTAssertEqual(JSONWriter.compact(value), record.bytes, "\(record.stream) record is not canonical JSON",
                               file: file, line: line)
            } catch {
                XCTFail("\(record.stream) record: \(error)", file: file, line: line)
            }
        }
    }
}
