import Foundation
import JSONSchema
import Readers
import StageKit

/// Checks an export folder against its own `manifest.json`: every listed file is there with its SHA-256, size
/// and record count; no data or artifact file is unlisted; every record satisfies the export's `schema.json`.
///
/// An export travels (copied, uploaded, downloaded); this is how a receiver, or `pipe validate`, knows it is
/// whole and untampered.
public struct ExportVerifier {
    /// What the check found.
    public struct Report: Sendable {
        /// Every problem, located at the file it is about.
        public var problems: [PipeError] = []
        public var files = 0
        public var records: Int64 = 0
        public var invalidRecords: Int64 = 0
    }

    let folder: String
    let schemas: SchemaLibrary
    /// Records whose schema problems are listed one by one; the rest are only counted.
    let maxRecordProblems: Int

    public init(folder: String, schemas: SchemaLibrary, maxRecordProblems: Int = 20) {
        self.folder = folder
        self.schemas = schemas
        self.maxRecordProblems = maxRecordProblems
    }

    public func verify() -> Report {
        var report = Report()
        let manifestPath = folder + "/manifest.json"
        let manifest: JSONValue
        do {
            manifest = try JSONParser.parse(try FileSystem.read(manifestPath))
        } catch {
            report.problems.append(PipeError("export.manifest", "cannot read the manifest: \(Self.text(error))",
                                             at: SourceLocation(file: manifestPath)))
            return report
        }
        if let schema = schemas.schema(named: ManifestBuilder.schemaName) {
            for issue in schema.validate(manifest, maxIssues: 10) {
                report.problems.append(PipeError("export.manifest", "\(issue.instancePath.isEmpty ? "/" : issue.instancePath): \(issue.message)",
                                                 at: SourceLocation(file: manifestPath)))
            }
        }
        let recordSchema = loadRecordSchema(&report)
        var listed: Set<String> = []
        for (kind, entries) in [("files", manifest["files"]), ("artifacts", manifest["artifacts"])] {
            for entry in entries?.arrayValue ?? [] {
                guard let path = entry["path"]?.stringValue else { continue }
                listed.insert(path)
                report.files += 1
                check(entry, path: path, isData: kind == "files", schema: recordSchema, report: &report)
            }
        }
        for top in ["data", "artifacts"] {
            for path in Self.files(under: folder + "/" + top, prefix: top) where !listed.contains(path) {
                report.problems.append(PipeError("export.unlisted", "\(path) is not listed in the manifest",
                                                 at: SourceLocation(file: folder + "/" + path)))
            }
        }
        if let total = manifest["records"]?.integerValue, total != report.records, report.problems.isEmpty {
            report.problems.append(PipeError("export.records", "the manifest says \(total) records; the files hold \(report.records)",
                                             at: SourceLocation(file: manifestPath)))
        }
        return report
    }

    private func loadRecordSchema(_ report: inout Report) -> JSONSchema? {
        let path = folder + "/schema.json"
        guard FileSystem.exists(path).exists else { return nil }
        do {
            return try JSONSchema(try JSONParser.parse(try FileSystem.read(path)), registry: schemas.registry)
        } catch {
            report.problems.append(PipeError("export.schema", "the export's schema cannot be used: \(Self.text(error))",
                                             at: SourceLocation(file: path)))
            return nil
        }
    }

    private func check(_ entry: JSONValue, path: String, isData: Bool, schema: JSONSchema?, report: inout Report) {
        let location = SourceLocation(file: folder + "/" + path)
        guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
            return report.problems.append(PipeError("export.path", "listed path \(path) leaves the export folder", at: location))
        }
        let full = folder + "/" + path
        guard FileKind.of(full) == .regular else {
            return report.problems.append(PipeError("export.missing", "\(path) is listed in the manifest but missing", at: location))
        }
        do {
            let size = Int64((try FileManager.default.attributesOfItem(atPath: full)[.size] as? NSNumber)?.int64Value ?? -1)
            if let bytes = entry["bytes"]?.integerValue, bytes != size {
                report.problems.append(PipeError("export.bytes", "\(path) has \(size) bytes; the manifest says \(bytes)", at: location))
            }
            let digest = try StableHash.sha256(fileAt: full)
            if let sha256 = entry["sha256"]?.stringValue, sha256 != digest {
                report.problems.append(PipeError("export.sha256", "\(path) has SHA-256 \(digest); the manifest says \(sha256)",
                                                 at: location))
            }
        } catch {
            return report.problems.append(PipeError("export.read", "cannot read \(path): \(Self.text(error))", at: location))
        }
        guard isData else { return }
        var records: Int64 = 0
        var listedProblems = 0
        do {
            try JSONRecordReader(path: full, layout: .lines).read { value, position in
                records += 1
                guard let schema, !schema.isValid(value) else { return }
                report.invalidRecords += 1
                if listedProblems < maxRecordProblems {
                    listedProblems += 1
                    let text = schema.validate(value, maxIssues: 3)
                        .map { "\($0.instancePath.isEmpty ? "/" : $0.instancePath): \($0.message)" }.joined(separator: "; ")
                    report.problems.append(PipeError("export.record", text,
                                                     at: SourceLocation(file: full, line: position.line)))
                }
            } problem: { problem in
                records += 1
                report.invalidRecords += 1
                report.problems.append(PipeError(problem.code, problem.reason,
                                                 at: SourceLocation(file: full, line: problem.position.line > 0 ? problem.position.line : nil)))
            }
        } catch {
            report.problems.append(PipeError("export.read", "cannot read \(path): \(Self.text(error))", at: location))
        }
        report.records += records
        if let expected = entry["records"]?.integerValue, expected != records {
            report.problems.append(PipeError("export.records", "\(path) holds \(records) records; the manifest says \(expected)",
                                             at: location))
        }
    }

    /// Every file below `folder` as a path relative to the export (`data/train-00000-of-00001.jsonl.gz`).
    static func files(under folder: String, prefix: String) -> [String] {
        var found: [String] = []
        for name in FileSystem.list(folder) {
            let path = folder + "/" + name
            if FileKind.of(path) == .directory {
                found += files(under: path, prefix: prefix + "/" + name)
            } else {
                found.append(prefix + "/" + name)
            }
        }
        return found
    }

    private static func text(_ error: Error) -> String {
        (error as? PipeError)?.message ?? "\(error)"
    }
}
