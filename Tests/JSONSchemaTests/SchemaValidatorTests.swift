import Foundation
import XCTest
@testable import JSONSchema
import StageKit


final class SchemaValidatorTests: XCTestCase {
    private func json(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

    private func schema(_ text: String, registry: SchemaRegistry? = nil) throws -> JSONSchema {
        try JSONSchema(json(text), registry: registry ?? SchemaRegistry(documents: [:]))
    }

    private func schemaError(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> SchemaError? {
        do {
            _ = try schema(text)
            XCTFail("expected a SchemaError for \(text)", file: file, line: line)
            return nil
        } catch let error as SchemaError {
            return error
        }
    }

    // MARK: - Issues

    func testRequiredIssueCarriesInstanceAndSchemaPaths() throws {
        let validator = try schema(
            """
            {"type": "object", "properties": {"items": {"type": "array",
              "items": {"type": "object", "required": ["id", "name"]}}}}
            """)
        let instance = try json(#"{"items": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3, "name": "c"}, {"id": 4}]}"#)
        XCTAssertFalse(validator.isValid(instance))
        XCTAssertEqual(
            validator.validate(instance),
            [
                ValidationIssue(
                    instancePath: "/items/3", schemaPath: "/properties/items/items/required",
                    message: #"missing required property "name""#)
            ])
    }

    func testMessagesForCommonKeywords() throws {
        let validator = try schema(
            """
            {"properties": {
               "kind": {"enum": ["a", "b"]},
               "count": {"type": "integer", "minimum": 1},
               "name": {"type": "string", "maxLength": 3, "pattern": "^[a-z]+$"},
               "tags": {"type": "array", "uniqueItems": true, "minItems": 1}
             },
             "additionalProperties": false}
            """)
        let issues = validator.validate(
            try json(#"{"kind": "c", "count": 0.5, "name": "Abcd", "tags": [1, 1.0], "extra": true}"#))
        let described = issues.map { "\($0.instancePath) \($0.schemaPath) \($0.message)" }
        XCTAssertEqual(
            described,
            [
                #"/count /properties/count/type expected type "integer", found "number""#,
                "/count /properties/count/minimum 0.5 is less than the minimum 1",
                #" /additionalProperties additional property "extra" is not allowed"#,
                #"/kind /properties/kind/enum "c" is not one of ["a","b"]"#,
                "/name /properties/name/maxLength expected at most 3 characters, found 4",
                #"/name /properties/name/pattern "Abcd" does not match the pattern "^[a-z]+$""#,
                "/tags /properties/tags/uniqueItems items 0 and 1 are equal, but items must be unique",
            ])
    }

    func testInstancePathsEscapePointerCharacters() throws {
        let validator = try schema(#"{"additionalProperties": {"type": "string"}}"#)
        let issues = validator.validate(try json(#"{"a/b~c": 1}"#))
        XCTAssertEqual(issues.map(\.instancePath), ["/a~1b~0c"])
        XCTAssertEqual(issues.map(\.schemaPath), ["/additionalProperties/type"])
    }

    func testIssueLimitIsRespected() throws {
        let validator = try schema(#"{"required": ["a", "b", "c", "d"]}"#)
        XCTAssertEqual(validator.validate(.object([:]), maxIssues: 2).count, 2)
        XCTAssertEqual(validator.validate(.object([:])).count, 4)
        // An invalid instance always yields at least one issue, whatever the limit.
        XCTAssertEqual(validator.validate(.object([:]), maxIssues: 0).count, 1)
        XCTAssertEqual(validator.validate(try json(#"{"a":1,"b":2,"c":3,"d":4}"#)), [])
    }

    func testApplicatorMessages() throws {
        let validator = try schema(
            """
            {"properties": {
               "any": {"anyOf": [{"type": "string"}, {"type": "boolean"}]},
               "one": {"oneOf": [{"minimum": 0}, {"maximum": 10}]},
               "not": {"not": {"type": "null"}},
               "cond": {"if": {"minimum": 5}, "then": {"multipleOf": 5}, "else": {"const": 0}}
            }}
            """)
        let issues = validator.validate(try json(#"{"any": 1, "one": 5, "not": null, "cond": 7}"#))
        XCTAssertEqual(
            issues.map { "\($0.instancePath) \($0.schemaPath)" },
            ["/any /properties/any/anyOf", "/cond /properties/cond/then/multipleOf", "/not /properties/not/not",
             "/one /properties/one/oneOf"])
        XCTAssertTrue(validator.isValid(try json(#"{"any": true, "one": -1, "not": 0, "cond": 10}"#)))
        XCTAssertTrue(validator.isValid(try json(#"{"cond": 0}"#)))
    }

    func testIssueDescriptionIsReadable() {
        let issue = ValidationIssue(instancePath: "", schemaPath: "/type", message: "expected type \"object\"")
        XCTAssertEqual(issue.description, "(root): expected type \"object\" (schema /type)")
    }

    // MARK: - Boolean schemas

    func testBooleanSchemas() throws {
        XCTAssertTrue(try schema("true").isValid(try json(#"{"anything": [1, 2]}"#)))
        let never = try schema("false")
        XCTAssertFalse(never.isValid(.null))
        XCTAssertEqual(never.validate(.null).map(\.schemaPath), [""])
        let nested = try schema(#"{"properties": {"gone": false}, "items": true}"#)
        XCTAssertTrue(nested.isValid(try json(#"{"kept": 1}"#)))
        XCTAssertEqual(nested.validate(try json(#"{"gone": 1}"#)).map(\.schemaPath), ["/properties/gone"])
    }

    // MARK: - References

    func testLocalReferencesWithEscapes() throws {
        let validator = try schema(
            """
            {"$defs": {"a/b": {"type": "integer"}, "c~d": {"type": "string"}, "e%f": {"type": "boolean"}},
             "properties": {"x": {"$ref": "#/$defs/a~1b"}, "y": {"$ref": "#/$defs/c~0d"},
                            "z": {"$ref": "#/$defs/e%25f"}}}
            """)
        XCTAssertTrue(validator.isValid(try json(#"{"x": 1, "y": "s", "z": true}"#)))
        XCTAssertEqual(
            validator.validate(try json(#"{"x": "no"}"#)).map(\.schemaPath), ["/properties/x/$ref/type"])
    }

    func testRecursiveSchemaThroughReference() throws {
        let validator = try schema(
            """
            {"$defs": {"node": {"type": "object", "required": ["value"],
               "properties": {"value": {"type": "number"}, "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
             "$ref": "#/$defs/node"}
            """)
        XCTAssertTrue(validator.isValid(try json(#"{"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]}"#)))
        let issues = validator.validate(try json(#"{"value": 1, "children": [{"value": 2, "children": [{}]}]}"#))
        XCTAssertEqual(issues.map(\.instancePath), ["/children/0/children/0"])
        XCTAssertEqual(
            issues.map(\.schemaPath),
            ["/$ref/properties/children/items/$ref/properties/children/items/$ref/required"])
    }

    func testReferencesAcrossRegistryDocuments() throws {
        let registry = try SchemaRegistry(documents: [
            "manifest.schema.json": try json(
                """
                {"$id": "manifest.schema.json", "type": "object",
                 "$defs": {"file": {"type": "object", "required": ["path", "sha256"],
                   "properties": {"path": {"type": "string"}, "sha256": {"$ref": "#/$defs/digest"}}},
                   "digest": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}}
                """),
            "record.schema.json": try json(
                #"{"type": "object", "properties": {"file": {"$ref": "manifest.schema.json#/$defs/file"}}}"#),
        ])
        let digest = String(repeating: "ab", count: 32)
        guard let record = registry.schema(named: "record") else { return XCTFail("record schema missing") }
        XCTAssertNotNil(registry.schema(named: "record.schema.json"))
        XCTAssertNotNil(registry.schema(named: "manifest.schema.json"))
        XCTAssertNil(registry.schema(named: "nothing"))
        XCTAssertTrue(record.isValid(try json(#"{"file": {"path": "a", "sha256": "\#(digest)"}}"#)))
        let issues = record.validate(try json(#"{"file": {"path": "a", "sha256": "xyz"}}"#))
        XCTAssertEqual(issues.map(\.instancePath), ["/file/sha256"])
        XCTAssertEqual(issues.map(\.schemaPath), ["/properties/file/$ref/properties/sha256/$ref/pattern"])

        // A schema compiled on its own, say one given by path, sees the registry's documents too.
        let inline = try JSONSchema(json(#"{"items": {"$ref": "manifest.schema.json#/$defs/file"}}"#), registry: registry)
        XCTAssertFalse(inline.isValid(try json(#"[{"path": "a"}]"#)))
        XCTAssertEqual(inline.validate(try json(#"[{"path": "a"}]"#)).first?.message, #"missing required property "sha256""#)

        let extended = try registry.adding(
            document: try json(#"{"$ref": "record.schema.json", "required": ["file"]}"#), name: "user.schema.json")
        XCTAssertEqual(extended.names, ["manifest.schema.json", "record.schema.json", "user.schema.json"])
        guard let user = extended.schema(named: "user") else { return XCTFail("user schema missing") }
        XCTAssertFalse(user.isValid(.object([:])))
        XCTAssertTrue(user.isValid(try json(#"{"file": {"path": "a", "sha256": "\#(digest)"}}"#)))
        XCTAssertThrowsError(try registry.adding(document: try json(#"{"$ref": "missing.json"}"#), name: "bad.json"))
    }

    func testReferencesByAbsoluteIdAndEmbeddedBaseChanges() throws {
        let registry = try SchemaRegistry(documents: [
            "https://example.org/schemas/positive.json": try json(#"{"type": "integer", "exclusiveMinimum": 0}"#)
        ])
        let validator = try schema(
            """
            {"$id": "https://example.org/schemas/root.json",
             "properties": {
               "count": {"$ref": "positive.json"},
               "inner": {"$id": "nested/inner.json", "$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s"},
               "sibling": {"$ref": "nested/inner.json"}
             }}
            """, registry: registry)
        XCTAssertTrue(validator.isValid(try json(#"{"count": 3, "inner": "a", "sibling": "b"}"#)))
        XCTAssertFalse(validator.isValid(try json(#"{"count": 0}"#)))
        XCTAssertFalse(validator.isValid(try json(#"{"inner": 1}"#)))
        XCTAssertFalse(validator.isValid(try json(#"{"sibling": 1}"#)))
        XCTAssertNotNil(registry.schema(named: "https://example.org/schemas/positive.json"))
        XCTAssertNotNil(registry.schema(named: "positive"))
    }

    func testUnresolvableReferencesAreSchemaErrors() throws {
        let remote = try schemaError(#"{"$ref": "http://localhost:1234/integer.json"}"#)
        XCTAssertEqual(remote?.schemaPath, "/$ref")
        XCTAssertEqual(remote?.message.hasPrefix("unresolvable $ref"), true)
        XCTAssertEqual(try schemaError(##"{"$ref": "#/$defs/missing"}"##)?.schemaPath, "/$ref")
        XCTAssertEqual(try schemaError(##"{"$ref": "#anchor", "$defs": {"a": {"$anchor": "anchor"}}}"##)?.schemaPath, "/$ref")
        XCTAssertEqual(try schemaError(#"{"properties": {"a": {"$ref": 5}}}"#)?.schemaPath, "/properties/a/$ref")
    }

    func testReferenceCyclesAreRefused() throws {
        XCTAssertNotNil(try schemaError(##"{"$ref": "#"}"##))
        XCTAssertNotNil(
            try schemaError(
                ##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"}"##))
        XCTAssertNotNil(try schemaError(##"{"not": {"allOf": [{"$ref": "#"}]}}"##))
        // A cycle that moves into the instance on every turn is an ordinary recursive schema.
        XCTAssertTrue(try schema(##"{"items": {"$ref": "#"}}"##).isValid(try json("[[[]]]")))
    }

    func testDeepInstancesStopAtTheDepthLimitWithAnIssue() throws {
        let validator = try schema(##"{"type": "array", "items": {"$ref": "#"}}"##)
        var nested: JSONValue = .array([])
        for _ in 0..<SchemaEvaluation<FastSink>.maxDepth { nested = .array([nested]) }
        let deep = nested
        XCTAssertFalse(validator.isValid(deep))
        let issues = validator.validate(deep)
        XCTAssertEqual(issues.count, 1)
        XCTAssertTrue(issues[0].message.contains("nested more than"), issues[0].message)
        // The same depth on a worker thread must not overflow its stack. Debug builds use several times
        // the stack of release builds, hence the default 8 MB rather than the 512 KB release fits in.
        let done = expectation(description: "worker thread")
        let box = ResultBox()
        let thread = Thread {
            box.value = validator.isValid(deep)
            done.fulfill()
        }
        thread.stackSize = 8 << 20
        thread.start()
        wait(for: [done], timeout: 60)
        XCTAssertEqual(box.value, false)

        var shallow: JSONValue = .array([])
        for _ in 0..<200 { shallow = .array([shallow]) }
        XCTAssertTrue(validator.isValid(shallow))
    }

    // MARK: - Schema errors

    func testMalformedKeywordValuesAreSchemaErrors() throws {
        XCTAssertEqual(try schemaError(#"{"type": "strin"}"#)?.schemaPath, "/type")
        XCTAssertEqual(try schemaError(#"{"properties": {"a": {"minLength": -1}}}"#)?.schemaPath, "/properties/a/minLength")
        XCTAssertEqual(try schemaError(#"{"required": "a"}"#)?.schemaPath, "/required")
        XCTAssertEqual(try schemaError(#"{"multipleOf": 0}"#)?.schemaPath, "/multipleOf")
        XCTAssertEqual(try schemaError(#"{"allOf": []}"#)?.schemaPath, "/allOf")
        XCTAssertEqual(try schemaError(#"{"items": [{"type": "string"}]}"#)?.schemaPath, "/items")
        XCTAssertEqual(try schemaError(#"{"$defs": {"x": 3}}"#)?.schemaPath, "/$defs/x")
        XCTAssertEqual(try schemaError(#"{"unevaluatedProperties": false}"#)?.schemaPath, "/unevaluatedProperties")
        XCTAssertEqual(try schemaError(##"{"$dynamicRef": "#meta"}"##)?.schemaPath, "/$dynamicRef")
        XCTAssertEqual(try schemaError("3")?.schemaPath, "")
        XCTAssertEqual(
            SchemaError(message: "bad", schemaPath: "/type").description, "invalid schema at /type: bad")
    }

    func testOverlyNestedSchemasAreSchemaErrors() throws {
        var nested: JSONValue = .object([:])
        for _ in 0..<(SchemaCompiler.maxNesting + 10) { nested = .object(["items": nested]) }
        XCTAssertThrowsError(try JSONSchema(nested, registry: SchemaRegistry(documents: [:]))) { error in
            XCTAssertTrue((error as? SchemaError)?.message.contains("nested more than") == true, "\(error)")
        }
        var fine: JSONValue = .object(["type": "integer"])
        for _ in 0..<100 { fine = .object(["items": fine]) }
        XCTAssertNoThrow(try JSONSchema(fine, registry: SchemaRegistry(documents: [:])))
    }

    func testInvalidPatternsAreSchemaErrors() throws {
        for pattern in ["(", "[z-a]", "a**", "a{2,1}", "\\", "(?i)a", "\\p{Nope}", "(?<=a+)b", "\\e", "[a", "a*+"] {
            let document = JSONValue.object(["pattern": .string(pattern)])
            XCTAssertThrowsError(try JSONSchema(document, registry: SchemaRegistry(documents: [:])), pattern) { error in
                XCTAssertEqual((error as? SchemaError)?.schemaPath, "/pattern", pattern)
            }
        }
        XCTAssertEqual(try schemaError(#"{"patternProperties": {"(": true}}"#)?.schemaPath, "/patternProperties/(")
    }

    func testAnnotationsDoNotAffectValidity() throws {
        let validator = try schema(
            """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://example.org/a.json",
             "$comment": "c", "title": "t", "description": "d", "default": 1, "examples": [1], "deprecated": true,
             "readOnly": true, "writeOnly": false, "format": "email", "x-custom": {"type": "string"}}
            """)
        XCTAssertTrue(validator.isValid("not an email"))
        XCTAssertTrue(validator.isValid(3))
    }

    // MARK: - Keyword semantics

    func testECMARegexSemantics() throws {
        func matches(_ pattern: String, _ text: String) throws -> Bool {
            try JSONSchema(.object(["pattern": .string(pattern)]), registry: SchemaRegistry(documents: [:]))
                .isValid(.string(text))
        }
        XCTAssertTrue(try matches("a+", "xxaayy"), "unanchored search")
        XCTAssertFalse(try matches("^\\d+$", "\u{0663}"), "\\d is ASCII only")
        XCTAssertFalse(try matches("^\\w$", "é"), "\\w is ASCII only")
        XCTAssertTrue(try matches("^\\s$", "\u{FEFF}"), "\\s includes the BOM")
        XCTAssertFalse(try matches("^a$", "a\n"), "$ does not match before a final newline")
        XCTAssertFalse(try matches("^.$", "\n"), ". stops at line terminators")
        XCTAssertTrue(try matches("^.$", "😀"), ". matches a whole code point")
        XCTAssertTrue(try matches("^[[]$", "["), "[ is literal inside a class")
        XCTAssertTrue(try matches("^[a&&b]+$", "&a"), "&& is literal inside a class")
        XCTAssertTrue(try matches("^[^]$", "\n"), "[^] matches anything")
        XCTAssertFalse(try matches("[]", "a"), "[] matches nothing")
        XCTAssertTrue(try matches("^\\p{Letter}+$", "πa"))
        XCTAssertTrue(try matches("^\\u{1F600}$", "😀"))
        XCTAssertTrue(try matches("^\\uD83D\\uDE00$", "😀"))
        XCTAssertTrue(try matches("^[\\d\\-x]+$", "1-x"))
        XCTAssertTrue(try matches("\\bfoo\\b", "éfooé"), "\\b uses ASCII word characters")
        XCTAssertFalse(try matches("\\bfoo\\b", "afoo"))
        XCTAssertTrue(try matches("^a\\/b\\.c$", "a/b.c"))
        XCTAssertTrue(try matches("^(?<year>\\d{4})-\\k<year>$", "2024-2024"))
        XCTAssertTrue(try matches("^x{2}$", "xx"))
        XCTAssertTrue(try matches("café", "un café"), "literal fast path")
        XCTAssertFalse(try matches("café", "cafe\u{301}"), "code points, not canonical equivalence")
    }

    func testBuiltInAutomatonAgreesWithICU() throws {
        let patterns = [
            "^[0-9a-f]{64}$", "^[a-z]+-[0-9]+$", "a+", "^a$", "^.$", "^[^]$", "[]", "\\bfoo\\b", "\\Bo",
            "^(ab|cd)*e?$", "^\\d{3}-\\d{4}$", "x{2,3}", "^x{2,}$", "^(?:a|b)+$", "\\s+", "[\\w.-]+@[\\w-]+",
            "^\\u{1F600}+$", "^[\\u0041-\\u005A]+$", "colou?r", "^$", "", "a|", "^(a*)*$", ".*", "^[\\^\\]\\-]+$",
            "[a-c-e]", "^[^a-z]*$", "^\\S+$", "^\\W", "\\D$", "a{0}b", "^a{1,2}a$", "^[a-z]*[a-z0-9]$", "(a|ab)(c|bcd)(d*)",
            "^\\x41\\u0042\\cJ?$", "^[\\s\\S]{2}$", "é+", "^.{3}$", "x*?y", "^\\.\\*\\+\\?\\(\\)$",
            "^ab+", "^[a-z]+\\d", "^[a-z]{2,3}[0-9]?$",
        ]
        let samples = [
            "", "a", "aa", "aaa", "ab", "abcd", "abcde", "cde", "foo", "a foo b", "afoob", "123-4567", "12-4567",
            String(repeating: "0123456789abcdef", count: 4), String(repeating: "0123456789abcdef", count: 4) + "\n",
            "x", "xx", "xxx", "xxxx", "\n", "a\n", "😀", "😀😀", "é", "e\u{301}", "color", "colour", "ABC",
            "test@example.com", " ", "\u{2028}", "ab\u{FEFF}", "b", "^]-", "d", "Z9", "z", "za", "AB\n", "AB",
            ".*+?()", "boo", "abcd", "y", "xxy", "1a",
        ]
        var automatonCount = 0
        for pattern in patterns {
            let regex = try ECMARegex(pattern)
            if regex.automaton != nil { automatonCount += 1 }
            for sample in samples {
                XCTAssertEqual(
                    regex.matches(sample), regex.matches(sample, allowAutomaton: false),
                    "pattern \(pattern) on \(sample.debugDescription)")
            }
        }
        XCTAssertGreaterThan(automatonCount, patterns.count - 3, "most patterns should run on the automaton")
        XCTAssertNil(try ECMARegex("(?<=a)b").automaton, "lookbehind is left to ICU")
        XCTAssertNil(try ECMARegex("^\\p{L}$").automaton, "property escapes are left to ICU")
        XCTAssertNil(try ECMARegex("^a{1234567}$").automaton, "huge counts are left to ICU")
        XCTAssertFalse(try ECMARegex("^a{1234567}$").matches("a{1234567}"))
        XCTAssertTrue(try ECMARegex("^a{,5}$").matches("a{,5}"), "not a quantifier, so literal")
    }

    func testBuiltInAutomatonAgreesWithICUOnGeneratedPatterns() throws {
        // A fixed linear congruential generator, so that failures reproduce.
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let atoms = ["a", "b", ".", "[ab]", "[^a]", "\\d", "(a|b)", "(?:ab)", "(a|)", "\\b", "[a-b1]"]
        // No lazy quantifiers: ICU takes tens of seconds on forms like `(a|)*?a$`, and laziness does not
        // change whether a match exists, which is all the automaton answers.
        let quantifiers = ["", "", "*", "+", "?", "{1,2}", "{2}", "{0,}"]
        let alphabet: [Character] = ["a", "b", "1", "\n", " "]
        for _ in 0..<300 {
            var pattern = next(3) == 0 ? "^" : ""
            for _ in 0..<(1 + next(4)) {
                let atom = atoms[next(atoms.count)]
                pattern += atom + (atom == "\\b" ? "" : quantifiers[next(quantifiers.count)])
            }
            if next(3) == 0 { pattern += "$" }
            let regex = try ECMARegex(pattern)
            for _ in 0..<30 {
                let sample = String((0..<next(7)).map { _ in alphabet[next(alphabet.count)] })
                XCTAssertEqual(
                    regex.matches(sample), regex.matches(sample, allowAutomaton: false),
                    "pattern \(pattern) on \(sample.debugDescription)")
            }
        }
    }

    func testAutomatonStaysLinearOnPathologicalPatterns() throws {
        let regex = try ECMARegex("^(a+)+$")
        XCTAssertNotNil(regex.automaton)
        // Backtracking engines take exponential time here; the automaton answers at once.
        XCTAssertFalse(regex.matches(String(repeating: "a", count: 5_000) + "!"))
        XCTAssertTrue(regex.matches(String(repeating: "a", count: 5_000)))
    }

    func testLengthsCountCodePoints() throws {
        let validator = try schema(#"{"minLength": 2, "maxLength": 2}"#)
        XCTAssertFalse(validator.isValid("😀"))
        XCTAssertTrue(validator.isValid("😀😀"))
        XCTAssertTrue(validator.isValid("e\u{301}"), "two code points, one character")
        XCTAssertFalse(validator.isValid("abc"))
    }

    func testMultipleOfIsDecimal() throws {
        XCTAssertTrue(try schema(#"{"multipleOf": 0.0001}"#).isValid(0.0075))
        XCTAssertFalse(try schema(#"{"multipleOf": 0.0001}"#).isValid(0.00751))
        XCTAssertTrue(try schema(#"{"multipleOf": 0.01}"#).isValid(19.99))
        XCTAssertFalse(try schema(#"{"multipleOf": 0.123456789}"#).isValid(.number(1e308)))
        XCTAssertTrue(try schema(#"{"multipleOf": 1e-8}"#).isValid(12_391_239_123))
        XCTAssertTrue(try schema(#"{"multipleOf": 1.5}"#).isValid(-4.5))
        XCTAssertFalse(try schema(#"{"multipleOf": 1.5}"#).isValid(35))
        XCTAssertTrue(try schema(#"{"multipleOf": 1}"#).isValid(.integer(.min)))
        XCTAssertFalse(try schema(#"{"multipleOf": 2.5}"#).isValid(.integer(.max)))
        XCTAssertTrue(try schema(#"{"multipleOf": 3}"#).isValid(.number(9e20)))
        XCTAssertFalse(try schema(#"{"multipleOf": 7}"#).isValid(.number(1e20)))
    }

    func testNumericBoundsCompareExactly() throws {
        let validator = try schema(#"{"maximum": 9007199254740992}"#)
        XCTAssertFalse(validator.isValid(.integer(9_007_199_254_740_993)))
        XCTAssertTrue(validator.isValid(.number(9_007_199_254_740_992)))
        XCTAssertFalse(try schema(#"{"exclusiveMinimum": 1}"#).isValid(1.0))
        XCTAssertTrue(try schema(#"{"exclusiveMinimum": 0.5}"#).isValid(1))
        XCTAssertTrue(try schema(#"{"type": "integer"}"#).isValid(1.0))
        XCTAssertFalse(try schema(#"{"type": "integer"}"#).isValid(1.5))
    }

    func testEqualityComparesCodePointsAndNumbersByValue() throws {
        XCTAssertFalse(try schema(#"{"const": "é"}"#).isValid("e\u{301}"))
        XCTAssertTrue(try schema(#"{"const": {"a": [1, "x"]}}"#).isValid(try json(#"{"a": [1.0, "x"]}"#)))
        XCTAssertFalse(try schema(#"{"enum": [false]}"#).isValid(0))
        let manyValues = (0..<20).map { JSONValue.string("v\($0)") } + [.string("é")]
        let bigEnum = try JSONSchema(.object(["enum": .array(manyValues)]), registry: SchemaRegistry(documents: [:]))
        XCTAssertTrue(bigEnum.isValid("v7"))
        XCTAssertTrue(bigEnum.isValid("é"))
        XCTAssertFalse(bigEnum.isValid("e\u{301}"))
        let unique = try schema(#"{"uniqueItems": true}"#)
        XCTAssertTrue(unique.isValid(.array(["é", "e\u{301}"])))
        XCTAssertFalse(unique.isValid(.array((0..<40).map { JSONValue.integer($0 % 39) })))
        XCTAssertTrue(unique.isValid(.array((0..<40).map { JSONValue.integer($0) })))
    }

    func testContainsBounds() throws {
        let validator = try schema(#"{"contains": {"type": "string"}, "minContains": 2, "maxContains": 3}"#)
        XCTAssertFalse(validator.isValid(try json(#"["a", 1]"#)))
        XCTAssertTrue(validator.isValid(try json(#"["a", 1, "b"]"#)))
        XCTAssertFalse(validator.isValid(try json(#"["a", "b", "c", "d"]"#)))
        XCTAssertEqual(validator.validate(try json(#"["a", "b", "c", "d"]"#)).map(\.schemaPath), ["/maxContains"])
        XCTAssertTrue(try schema(#"{"contains": false, "minContains": 0}"#).isValid(.array([])))
    }

    func testObjectDependencies() throws {
        let validator = try schema(
            #"{"dependentRequired": {"card": ["bill"]}, "dependentSchemas": {"vip": {"required": ["level"]}}, "propertyNames": {"maxLength": 5}, "minProperties": 1, "maxProperties": 3}"#)
        XCTAssertTrue(validator.isValid(try json(#"{"card": 1, "bill": 2}"#)))
        XCTAssertEqual(
            validator.validate(try json(#"{"card": 1}"#)).map(\.message),
            [#"missing property "bill", required when "card" is present"#])
        XCTAssertEqual(
            validator.validate(try json(#"{"vip": 1}"#)).map(\.schemaPath), ["/dependentSchemas/vip/required"])
        XCTAssertEqual(
            validator.validate(try json(#"{"toolong": 1}"#)).map(\.message),
            [#"property name "toolong" does not match propertyNames"#])
        XCTAssertFalse(validator.isValid(.object([:])))
        XCTAssertFalse(validator.isValid(try json(#"{"a": 1, "b": 2, "c": 3, "d": 4}"#)))
    }

    // MARK: - Registry and threads

    func testRegistryRejectsBadDocuments() {
        XCTAssertThrowsError(try SchemaRegistry(documents: ["a.json": ["type": 3]])) { error in
            XCTAssertEqual((error as? SchemaError)?.schemaPath, "a.json#/type")
        }
        XCTAssertThrowsError(
            try SchemaRegistry(documents: ["a.json": ["$id": "https://x/s.json"], "b.json": ["$id": "https://x/s.json"]]))
    }

    func testConcurrentValidation() throws {
        let validator = try schema(
            """
            {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "pattern": "^[a-z]+-[0-9]+$"},
             "values": {"type": "array", "items": {"type": "number", "multipleOf": 0.5}}},
             "additionalProperties": false}
            """)
        let good = try json(#"{"id": "rec-1", "values": [0.5, 1, 1.5]}"#)
        let bad = try json(#"{"id": "REC", "values": [0.3], "x": 1}"#)
        let expected = validator.validate(bad)
        XCTAssertEqual(expected.count, 3)
        let mismatches = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<500 {
                if !validator.isValid(good) || validator.isValid(bad) || validator.validate(bad) != expected {
                    mismatches.increment()
                }
            }
        }
        XCTAssertEqual(mismatches.value, 0)
    }
}

/// Carries a result out of a thread in the depth test.
private final class ResultBox: @unchecked Sendable {
    // Written once by the thread before the expectation is fulfilled, read after the wait.
    var value: Bool?
}

/// A thread-safe tally for the concurrency test.
private final class Counter: @unchecked Sendable {
    // Guarded by `lock`.
    private var count = 0
    private let lock = NSLock()

    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
