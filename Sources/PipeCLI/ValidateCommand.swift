import StageKit
import Readers
import JSONSchema
import Engine
import Exporting
import Ontology
import ArgumentParser
import Foundation

/// `pipe validate`: checks pipeline files, record shards and JSON/YAML documents against schemas.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate pipeline files, JSONL shards (plain, .gz, .zst) or JSON/YAML files against a schema.",
        discussion: """
            A file with a top-level 'pipeline:' key is checked as a pipeline file. A .jsonl or .ndjson file \
            (plain, .gz or .zst) is checked record by record, as is any JSON file given with --records (JSON \
            Lines, one top-level array read element by element with flat memory, or concatenated values). \
            Other JSON files (parsed as JSON) and YAML files are checked as one document. An export folder is \
            verified against its manifest (files, SHA-256, sizes, record counts, no unlisted file, every record \
            against the export's schema.json). --schema names an \
            embedded schema (Schemas/*/) or a schema file; manifest.json files are checked against the manifest \
            schema when none is given. --schema ontology-entry checks a benchmark entry of the MLCommons Science \
            ontology completely (schema, upstream conventions, taxonomy, BibTeX, ratings against the rubric), and \
            --catalog a YAML list of entries; --format json prints their report on stdout.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Files to check.")
    var files: [String]

    @Option(help: "A bundled schema name (e.g. demo-record) or a path to a schema file.")
    var schema: String?

    @Option(help: "Stop reporting a file after this many invalid records.")
    var maxErrors: Int = 20

    @Flag(help: "Check each record of the file (array element, line or value) instead of the file as one document.")
    var records = false

    @Flag(help: "Check each file as a catalogue of benchmark entries (a YAML list), as --schema ontology-entry checks one.")
    var catalog = false

    @Option(help: "With --schema ontology-entry or --catalog: text (diagnostics on stderr) or json (a report on stdout).")
    var format: ReportFormat = .text

    func validate() throws {
        if format == .json, !checksEntries {
            throw ValidationError("--format json goes with --schema ontology-entry or --catalog")
        }
        if checksEntries, records { throw ValidationError("--records does not go with benchmark entries") }
    }

    /// Benchmark entries are checked by the ontology validator, not by the schema alone.
    var checksEntries: Bool {
        catalog || schema.map { [OntologyValidator.schemaName, OntologyValidator.schemaFile].contains($0) } == true
    }

    func run() throws {
        if checksEntries {
            try Diagnostics.run(global.logFormat) {
                let reports = try EntryValidation.check(files, catalog: catalog)
                EntryValidation.print(reports, format: format, global: global)
                if !reports.allSatisfy(\.valid) { throw ExitCode.failure }
            }
            return
        }
        var failed = false
        try Diagnostics.run(global.logFormat) {
            let explicit = try schema.map { try StageKinds.catalog.schemas.load($0, relativeTo: ".") }.map { ($0.name, $0.schema) }
            // Pipeline files named together are checked together, as `pipe build` loads them: a stage may read a
            // stage of another file, and names must be unique across all of them.
            let pipelines = explicit == nil ? files.filter(FileValidator.isPipelineFile) : []
            if !pipelines.isEmpty {
                let errors = FileValidator.checkPipelines(pipelines, kinds: StageKinds.catalog)
                for error in errors { _ = Diagnostics.report(error, format: global.logFormat) }
                if !errors.isEmpty { failed = true }
                let names = pipelines.count == 1 ? pipelines[0] : "\(pipelines.count) pipeline files"
                global.progress.note("\(names): " + (errors.isEmpty ? "valid pipeline file\(pipelines.count == 1 ? "" : "s")" : "\(errors.count) error(s)"))
            }
            for file in files where !pipelines.contains(file) {
                let report = try FileValidator(schema: explicit, maxErrors: maxErrors, kinds: StageKinds.catalog,
                                               records: records).check(file)
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
    /// Whether `path` is a YAML or JSON file with top-level `pipeline:` and `stages:` keys.
    static func isPipelineFile(_ path: String) -> Bool {
        guard !isJSONL(path), FileKind.of(path) == .regular || FileKind.following(path) == .regular,
            let document = try? YAMLDocument(contentsOf: path)
        else { return false }
        return document.value["pipeline"] != nil && document.value["stages"] != nil
    }

    /// Pipeline files checked as `pipe build` loads them: together, then every stage's file inputs resolved
    /// (an input that matches nothing is an error), without reading any input.
    static func checkPipelines(_ paths: [String], kinds: KindCatalog) -> [PipeError] {
        let set: PipelineSet
        do {
            set = try PipelineSet.load(paths: paths, registry: kinds.registry, schemas: kinds.schemas)
        } catch let errors as PipeErrors {
            return errors.errors
        } catch let error as PipeError {
            return [error]
        } catch {
            return [PipeError("internal", "\(error)")]
        }
        var errors: [PipeError] = []
        for name in set.stages.keys.sorted() {
            guard let spec = set.stages[name] else { continue }
            do {
                _ = try InputResolver(pipelineFile: spec.file).files(for: spec, document: try? YAMLDocument(contentsOf: spec.file))
            } catch let found as PipeErrors {
                errors += found.errors
            } catch let error as PipeError {
                errors.append(error)
            } catch {
                errors.append(PipeError("internal", "\(error)"))
            }
        }
        return errors
    }

    let schema: (name: String, schema: JSONSchema)?
    let maxErrors: Int
    let kinds: KindCatalog
    /// Every record of the file is checked, not the file as one document.
    var records = false

    struct Report {
        var errors: [PipeError] = []
        var checked: Int64 = 0
        var invalid: Int64 = 0
        var summary = ""
    }

    func check(_ path: String) throws -> Report {
        guard FileSystem.exists(path).exists else { throw PipeError("validate.missing", "no such file: \(path)") }
        if FileSystem.exists(path).isDirectory { return checkExport(path) }
        if records || Self.isJSONL(path) { return checkRecords(path) }
        let document = try YAMLDocument(contentsOf: path)
        var report = Report()
        var value = document.value
        if path.lowercased().hasSuffix(".json") {
            // JSON is read as JSON (YAML would take `1e400` for a string and accept trailing commas); the YAML
            // reading only supplies locations.
            do {
                value = try JSONParser.parse(try FileSystem.read(path, limit: YAMLDocument.maxBytes))
            } catch let error as JSONParseError {
                report.errors.append(PipeError("validate.json", error.message,
                                               at: SourceLocation(file: path, line: error.line, column: error.column)))
                report.summary = "not valid JSON"
                return report
            }
        }
        if schema == nil, value["pipeline"] != nil, value["stages"] != nil {
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
        for issue in chosen.schema.validate(value, maxIssues: maxErrors) {
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

    /// An export folder, against its own manifest: files, digests, sizes, record counts and every record's schema.
    func checkExport(_ path: String) -> Report {
        var report = Report()
        guard FileSystem.exists(path + "/manifest.json").exists else {
            report.errors.append(PipeError("validate.missing", "\(path) is a folder without manifest.json: not an export",
                                           at: SourceLocation(file: path)))
            report.summary = "not an export"
            return report
        }
        let verified = ExportVerifier(folder: path, schemas: kinds.schemas, maxRecordProblems: maxErrors).verify()
        report.errors = verified.problems
        report.checked = verified.records
        report.invalid = verified.invalidRecords
        report.summary = verified.problems.isEmpty
            ? "export verified: \(verified.files) files and \(verified.records) records match the manifest and the schema"
            : "\(verified.problems.count) problem(s) in \(verified.files) files, \(verified.invalidRecords) invalid record(s)"
        return report
    }

    /// Every record of a file, read by the streaming JSON reader: memory stays flat however large the file.
    func checkRecords(_ path: String) -> Report {
        var report = Report()
        let reader = JSONRecordReader(path: path)
        func note(_ error: PipeError) {
            if report.errors.count < maxErrors { report.errors.append(error) }
        }
        do {
            try reader.read { value, position in
                report.checked += 1
                guard let schema, !schema.schema.isValid(value) else { return }
                report.invalid += 1
                let text = schema.schema.validate(value, maxIssues: 3)
                    .map { "\($0.instancePath.isEmpty ? "/" : $0.instancePath): \($0.message)" }.joined(separator: "; ")
                note(PipeError("validate.schema", "\(text) (element \(position.index))",
                               at: SourceLocation(file: path, line: position.line)))
            } problem: { problem in
                if problem.code.hasPrefix("record.") {
                    report.checked += 1
                    report.invalid += 1
                }
                note(PipeError(problem.code, "\(problem.reason) (element \(problem.position.index), byte \(problem.position.offset))",
                               at: SourceLocation(file: path, line: problem.position.line > 0 ? problem.position.line : nil)))
            }
        } catch {
            note(PipeError("validate.json", "\(error)", at: SourceLocation(file: path)))
        }
        let against = schema.map { " against \($0.name)" } ?? " (JSON only: use --schema to check records)"
        report.summary = "\(report.checked) records, \(report.invalid) invalid\(against)"
        return report
    }
}
