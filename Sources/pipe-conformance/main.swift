import StageKit
import JSONSchema
// Runs pipe's JSON Schema validator against external conformance suites and writes a markdown report; times
// pipe's math interpreter on exported programs for scripts/bench-math.
//
//     pipe-conformance json-schema <suite-dir> <output-markdown>
//     pipe-conformance math-interpreter <programs.jsonl> <instances.jsonl> <repeats>
//     pipe-conformance hls4ml-report <project-dir> <repeats>
//
// The suite is only read at run time; none of its files belong in this repository.

import Foundation

/// Keywords the validator implements; a test group whose schema uses any other keyword is out of scope.
let supportedKeywords: Set<String> = [
    "type", "enum", "const", "properties", "required", "additionalProperties", "patternProperties",
    "propertyNames", "items", "prefixItems", "contains", "minContains", "maxContains", "minItems", "maxItems",
    "uniqueItems", "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
    "dependentRequired", "dependentSchemas", "minProperties", "maxProperties", "$ref", "$defs",
    "$schema", "$id", "$comment", "title", "description", "default", "examples", "deprecated", "readOnly",
    "writeOnly", "format",
]

/// Keywords whose value is a schema, an array of schemas, or an object of schemas: the only places the
/// scope check looks for further keywords, so that names under `properties` or values of `enum` are not
/// mistaken for keywords.
let singleSchemaKeywords: Set<String> = [
    "additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else",
]
let schemaArrayKeywords: Set<String> = ["allOf", "anyOf", "oneOf", "prefixItems"]
let schemaMapKeywords: Set<String> = ["properties", "patternProperties", "$defs", "dependentSchemas"]

/// `$schema` values that mean plain draft 2020-12.
let standardMetaschemas: Set<String> = [
    "https://json-schema.org/draft/2020-12/schema", "https://json-schema.org/draft/2020-12/schema#",
]
let customMetaschemaReason = "$schema (custom metaschema)"

/// The label used for groups that reference schemas only reachable over the network.
let remoteReferenceReason = "remote $ref"

struct FileResult {
    var name: String
    var passed = 0
    var failed = 0
    var skipped = 0
    var skipReasons: [String: Int] = [:]
}

struct Failure {
    var file: String
    var group: String
    var test: String
    var detail: String
}

/// The first keyword, depth first in sorted order, that puts `schema` out of scope.
func firstUnsupportedKeyword(_ schema: JSONValue) -> String? {
    guard case .object(let members) = schema else { return nil }
    let keys = members.keys.sorted()
    if let unsupported = keys.first(where: { !supportedKeywords.contains($0) }) { return unsupported }
    // A custom metaschema can switch vocabularies off, which the validator does not read.
    if let metaschema = members["$schema"], !standardMetaschemas.contains(metaschema.stringValue ?? "") {
        return customMetaschemaReason
    }
    for key in keys {
        guard let value = members[key] else { continue }
        var children: [JSONValue] = []
        if singleSchemaKeywords.contains(key) {
            children = [value]
        } else if schemaArrayKeywords.contains(key), case .array(let elements) = value {
            children = elements
        } else if schemaMapKeywords.contains(key), case .object(let entries) = value {
            children = entries.keys.sorted().compactMap { entries[$0] }
        }
        for child in children {
            if let unsupported = firstUnsupportedKeyword(child) { return unsupported }
        }
    }
    return nil
}

/// Whether compiling failed only because a `$ref` leads to an http(s) URI that no local schema has.
func isRemoteReference(_ error: SchemaError) -> Bool {
    guard error.message.hasPrefix("unresolvable $ref"), let marker = error.message.range(of: "(resolved to ")
    else { return false }
    let target = error.message[marker.upperBound...]
    return target.hasPrefix("http://") || target.hasPrefix("https://")
}

func markdownCell(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
}

func describeReasons(_ reasons: [String: Int]) -> String {
    reasons.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        .map { "`\($0.key)` (\($0.value))" }
        .joined(separator: ", ")
}

func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data("pipe-conformance: \(message)\n".utf8))
    exit(code)
}

func runJSONSchemaSuite(directory: String, output: String) -> Int32 {
    let fileManager = FileManager.default
    let files: [String]
    do {
        files = try fileManager.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
    } catch {
        fail("cannot read the suite folder \(directory): \(error.localizedDescription)", code: 1)
    }
    if files.isEmpty { fail("no .json test files in \(directory)", code: 1) }

    // The suite's schemas must not resolve against pipe's own bundled schemas by accident.
    let emptyRegistry: SchemaRegistry
    do {
        emptyRegistry = try SchemaRegistry(documents: [:])
    } catch {
        fail("cannot create an empty schema registry: \(error)", code: 1)
    }
    var results: [FileResult] = []
    var failures: [Failure] = []
    for file in files {
        var result = FileResult(name: file)
        let path = (directory as NSString).appendingPathComponent(file)
        guard let data = fileManager.contents(atPath: path) else { fail("cannot read \(path)", code: 1) }
        let groups: [JSONValue]
        do {
            guard case .array(let elements) = try JSONParser.parse(data) else {
                fail("\(path): expected an array of test groups", code: 1)
            }
            groups = elements
        } catch {
            fail("\(path): \(error)", code: 1)
        }
        for group in groups {
            let groupName = group["description"]?.stringValue ?? "(no description)"
            let tests = group["tests"]?.arrayValue ?? []
            let schemaDocument = group["schema"] ?? .bool(true)
            if let keyword = firstUnsupportedKeyword(schemaDocument) {
                result.skipped += tests.count
                result.skipReasons[keyword, default: 0] += tests.count
                continue
            }
            let schema: JSONSchema
            do {
                schema = try JSONSchema(schemaDocument, registry: emptyRegistry)
            } catch let error as SchemaError where isRemoteReference(error) {
                result.skipped += tests.count
                result.skipReasons[remoteReferenceReason, default: 0] += tests.count
                continue
            } catch {
                result.failed += tests.count
                for test in tests {
                    failures.append(
                        Failure(
                            file: file, group: groupName, test: test["description"]?.stringValue ?? "",
                            detail: "schema did not compile: \(error)"))
                }
                continue
            }
            for test in tests {
                let description = test["description"]?.stringValue ?? "(no description)"
                guard let expected = test["valid"]?.boolValue else {
                    fail("\(file): test \"\(description)\" has no boolean \"valid\"", code: 1)
                }
                let instance = test["data"] ?? .null
                let fast = schema.isValid(instance)
                let issues = schema.validate(instance)
                // Both entry points are checked: they take different paths through the evaluator.
                if fast == expected && issues.isEmpty == expected {
                    result.passed += 1
                } else {
                    result.failed += 1
                    var detail = "expected \(expected ? "valid" : "invalid"), isValid returned \(fast)"
                    if let issue = issues.first { detail += ", first issue: \(issue)" }
                    failures.append(Failure(file: file, group: groupName, test: description, detail: detail))
                }
            }
        }
        results.append(result)
    }

    var total = FileResult(name: "total")
    for result in results {
        total.passed += result.passed
        total.failed += result.failed
        total.skipped += result.skipped
        total.skipReasons.merge(result.skipReasons, uniquingKeysWith: +)
    }

    var report = "# Conformance\n\n"
    report += "## JSON Schema Test Suite (draft 2020-12)\n\n"
    let folder = (directory as NSString).lastPathComponent
    report += "Source folder: `\(folder)`"
    let commitFile = ((directory as NSString).deletingLastPathComponent as NSString)
        .appendingPathComponent("SOURCE_COMMIT")
    if let commit = try? String(contentsOfFile: commitFile, encoding: .utf8)
        .split(whereSeparator: \.isWhitespace).first
    {
        report += " (suite commit `\(commit)`)"
    }
    report += ". A group of tests is skipped when its schema uses a keyword the validator does not implement, "
    report += "or a `$ref` to an http(s) URI that no local schema provides (\(remoteReferenceReason)); "
    report += "every test of every other group must pass.\n\n"
    report += "| file | passed | failed | skipped | skipped because of |\n"
    report += "|---|---:|---:|---:|---|\n"
    for result in results {
        report += "| \(markdownCell(result.name)) | \(result.passed) | \(result.failed) | \(result.skipped) | "
        report += "\(markdownCell(describeReasons(result.skipReasons))) |\n"
    }
    report += "| **total** | **\(total.passed)** | **\(total.failed)** | **\(total.skipped)** | "
    report += "\(markdownCell(describeReasons(total.skipReasons))) |\n\n"
    report += "### Failing tests\n\n"
    if failures.isEmpty {
        report += "None.\n"
    } else {
        for failure in failures {
            report += "- `\(failure.file)`, group \"\(failure.group)\", test \"\(failure.test)\": \(failure.detail)\n"
        }
    }
    do {
        try report.write(toFile: output, atomically: true, encoding: .utf8)
    } catch {
        fail("cannot write \(output): \(error.localizedDescription)", code: 1)
    }
    print("\(total.passed) passed, \(total.failed) failed, \(total.skipped) skipped")
    return total.failed > 0 ? 1 : 0
}

let arguments = CommandLine.arguments
if arguments.count == 5, arguments[1] == "math-interpreter", let repeats = Int(arguments[4]), repeats > 0 {
    exit(runMathInterpreterTiming(programs: arguments[2], instances: arguments[3], repeats: repeats))
}
if arguments.count == 4, arguments[1] == "hls4ml-report", let repeats = Int(arguments[3]), repeats > 0 {
    exit(runHls4mlReport(directory: arguments[2], repeats: repeats))
}
guard arguments.count == 4, arguments[1] == "json-schema" else {
    fail("usage: pipe-conformance json-schema <suite-dir> <output-markdown> | math-interpreter <programs.jsonl> <instances.jsonl> <repeats> | hls4ml-report <project-dir> <repeats>",
         code: 64)
}
exit(runJSONSchemaSuite(directory: arguments[2], output: arguments[3]))
