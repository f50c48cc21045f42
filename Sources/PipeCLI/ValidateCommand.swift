import StageKit
import Readers
import JSONSchema
import Storage
import Engine
import Exporting
import RecordsImport
import ArgumentParser
import Foundation

/// `pipe validate`: checks pipeline files, record shards and JSON/YAML documents against schemas.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate pipeline files, JSONL shards (plain, .gz, .zst) or JSON/YAML files against a schema.",
        discussion: """
            A file with a top-level 'pipeline:' key is checked as a pipeline file. A .jsonl file (optionally \
            compressed) is checked record by record. Other JSON or YAML files are checked as one document. \
            --schema names a bundled schema (see Schemas/) or a schema file; manifest.json files are checked \
            against the manifest schema when none is given.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Files to check.")
    var files: [String]

    @Option(help: "A bundled schema name (e.g. demo-record) or a path to a schema file.")
    var schema: String?

    @Option(help: "Stop reporting a file after this many invalid records.")
    var maxErrors: Int = 20

    func run() throws {
        var failed = false
        try Diagnostics.run(global.logFormat) {
            let explicit = try schema.map { try StageKinds.catalog.schemas.load($0, relativeTo: ".") }.map { ($0.name, $0.schema) }
            for file in files {
                let report = try FileValidator(schema: explicit, maxErrors: maxErrors, kinds: StageKinds.catalog).check(file)
                for error in report.errors {
                    _ = Diagnostics.report(error, format: global.logFormat)
                }
                if !report.errors.isEmpty || report.invalid > 0 { failed = true }
                global.progress.note("\(file): \(report.summary)")
            }
        }
        if failed { throw ExitCode.failure }
    }
}

/// Checks one file and says what it found.
struct FileValidator {
    let schema: (name: String, schema: JSONSchema)?
    let maxErrors: Int
    let kinds: KindCatalog

    struct Report {
        var errors: [PipeError] = []
        var checked: Int64 = 0
        var invalid: Int64 = 0
        var summary = ""
    }

    func check(_ path: String) throws -> Report {
        guard FileSystem.exists(path).exists else { throw PipeError("validate.missing", "no such file: \(path)") }
        if Self.isJSONL(path) { return try checkRecords(path) }
        let document = try YAMLDocument(contentsOf: path)
        var report = Report()
        if schema == nil, document.value["pipeline"] != nil, document.value["stages"] != nil {
            do {
                _ = try PipelineSet.load(paths: [path], registry: kinds.registry, schemas: kinds.schemas)
                report.summary = "valid pipeline file"
            } catch let errors as PipeErrors {
                report.errors = errors.errors
                report.summary = "\(errors.errors.count) error(s)"
            }
            return report
        }
        let chosen = try schema ?? Self.inferredSchema(path)
        guard let chosen else {
            report.summary = "well-formed (no schema given: use --schema)"
            return report
        }
        report.checked = 1
        for issue in chosen.schema.validate(document.value, maxIssues: maxErrors) {
            report.errors.append(PipeError("validate.schema", "\(issue.instancePath.isEmpty ? "/" : issue.instancePath): \(issue.message) (schema \(chosen.name) at \(issue.schemaPath))",
                                           at: document.location(of: issue.instancePath)))
        }
        report.invalid = report.errors.isEmpty ? 0 : 1
        report.summary = report.errors.isEmpty ? "valid against \(chosen.name)" : "invalid against \(chosen.name)"
        return report
    }

    static func isJSONL(_ path: String) -> Bool {
        [".jsonl", ".jsonl.gz", ".jsonl.zst", ".ndjson"].contains { path.hasSuffix($0) }
    }

    static func inferredSchema(_ path: String) throws -> (name: String, schema: JSONSchema)? {
        guard (path as NSString).lastPathComponent == "manifest.json" else { return nil }
        let loaded = try StageKinds.catalog.schemas.load("manifest", relativeTo: ".")
        return (loaded.name, loaded.schema)
    }

    func checkRecords(_ path: String) throws -> Report {
        var report = Report()
        let reader = try ShardReader(path: path)
        do {
            try reader.forEachLine { line, number, _ in
                report.checked += 1
                let location = SourceLocation(file: path, line: number)
                let value: JSONValue
                do {
                    value = try JSONParser.parse(buffer: line)
                } catch let error as JSONParseError {
                    report.invalid += 1
                    if report.errors.count < maxErrors {
                        report.errors.append(PipeError("validate.json", error.message,
                                                       at: SourceLocation(file: path, line: number, column: error.column)))
                    }
                    return
                }
                guard let schema else { return }
                let issues = schema.schema.validate(value, maxIssues: 3)
                if !issues.isEmpty {
                    report.invalid += 1
                    if report.errors.count < maxErrors {
                        let text = issues.map { "\($0.instancePath.isEmpty ? "/" : $0.instancePath): \($0.message)" }
                            .joined(separator: "; ")
                        report.errors.append(PipeError("validate.schema", text, at: location))
                    }
                }
            }
        } catch let error as ShardReadError {
            report.errors.append(PipeError(error.code, error.description, at: SourceLocation(file: path, line: error.lineNumber)))
        }
        let against = schema.map { " against \($0.name)" } ?? " (JSON only: use --schema to check records)"
        report.summary = "\(report.checked) records, \(report.invalid) invalid\(against)"
        return report
    }
}
