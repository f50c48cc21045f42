import Foundation
import JSONSchema
import StageKit
import XCTest

extension StageTesting {
    /// Checks that a kind's parameters schema and its `Parameters` type agree: every `examples` entry of the
    /// schema is valid and decodes; every `default` the schema documents decodes to what the type defaults to
    /// (defaults live in the type; the schema only documents them); and the keys the type reads are exactly the
    /// keys the schema documents, at every level.
    public static func assertParametersAgreeWithSchema<S: Stage>(
        _ kind: S.Type, schemas: SchemaLibrary, file: StaticString = #filePath, line: UInt = #line
    ) {
        let name = S.parametersSchema
        guard let document = schemas.registry.document(named: name), let validator = schemas.schema(named: name) else {
            return XCTFail("\(S.kind): no schema \(name)", file: file, line: line)
        }
        let examples = document["examples"]?.arrayValue ?? []
        XCTAssertFalse(examples.isEmpty, "\(S.kind): \(name) needs `examples` (a minimal valid parameters object first)",
                       file: file, line: line)
        for example in examples {
            XCTAssertEqual(validator.validate(example), [], "\(S.kind): example \(example) fails \(name)", file: file, line: line)
            let base: S.Parameters
            do {
                base = try ParameterDecoder.decode(S.Parameters.self, from: example)
            } catch {
                XCTFail("\(S.kind): example \(example) does not decode: \(error)", file: file, line: line)
                continue
            }
            // Each documented default, given explicitly, changes nothing.
            for (pointer, value) in defaults(of: document, in: example, at: "") {
                let given = setting(value, at: pointer, in: example)
                do {
                    let decoded = try ParameterDecoder.decode(S.Parameters.self, from: given)
                    XCTAssertEqual(decoded, base,
                                   "\(S.kind): the schema's default for \(pointer) (\(value)) is not the type's default",
                                   file: file, line: line)
                } catch {
                    XCTFail("\(S.kind): the schema's default for \(pointer) (\(value)) does not decode: \(error)", file: file, line: line)
                }
            }
            // Every documented key is read by the type, and the type reads no undocumented key.
            let full = defaults(of: document, in: example, at: "").reduce(example) { setting($1.value, at: $1.pointer, in: $0) }
            guard let requested = try? ParameterDecoder.requestedKeys(S.Parameters.self, decoding: full) else {
                XCTFail("\(S.kind): the example with every default does not decode", file: file, line: line)
                continue
            }
            for (pointer, node) in objectSchemas(document, in: full, at: "") {
                let documented = Set((node["properties"]?.objectValue ?? [:]).keys)
                XCTAssertEqual(requested[pointer] ?? [], documented,
                               "\(S.kind): keys read at '\(pointer)' differ from the keys \(name) documents",
                               file: file, line: line)
            }
        }
    }

    /// The object schema of a node: the node itself when it has `properties`, else its first `oneOf`/`anyOf`
    /// branch that does.
    private static func objectSchema(_ node: JSONValue, for value: JSONValue) -> JSONValue? {
        guard case .object = value else { return nil }
        if node["properties"] != nil { return node }
        for branch in (node["oneOf"]?.arrayValue ?? []) + (node["anyOf"]?.arrayValue ?? []) where branch["properties"] != nil {
            return branch
        }
        return nil
    }

    /// (pointer, default) for every documented default not given in `value`, objects included.
    private static func defaults(of schema: JSONValue, in value: JSONValue, at pointer: String) -> [(pointer: String, value: JSONValue)] {
        guard let node = objectSchema(schema, for: value) else { return [] }
        var found: [(String, JSONValue)] = []
        for (key, property) in (node["properties"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            let path = pointer + "/" + key
            if let member = value[key] {
                found += defaults(of: property, in: member, at: path)
            } else if let fallback = property["default"] {
                found.append((path, fallback))
            }
        }
        return found
    }

    /// Every object of `value` that the schema describes with `properties`, by pointer.
    private static func objectSchemas(_ schema: JSONValue, in value: JSONValue, at pointer: String) -> [(String, JSONValue)] {
        guard let node = objectSchema(schema, for: value) else { return [] }
        var found = [(pointer, node)]
        for (key, property) in (node["properties"]?.objectValue ?? [:]) {
            if let member = value[key] { found += objectSchemas(property, in: member, at: pointer + "/" + key) }
        }
        return found
    }

    private static func setting(_ newValue: JSONValue, at pointer: String, in value: JSONValue) -> JSONValue {
        let tokens = pointer.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        func set(_ current: JSONValue, _ rest: ArraySlice<String>) -> JSONValue {
            guard let first = rest.first else { return newValue }
            var members = current.objectValue ?? [:]
            members[first] = set(members[first] ?? .object([:]), rest.dropFirst())
            return .object(members)
        }
        return set(value, tokens[...])
    }
}
