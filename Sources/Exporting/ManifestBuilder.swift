import StageKit
/// Builds an export's `manifest.json`, the machine-readable account of its files and provenance,
/// described by `Schemas/Engine/manifest.schema.json`.
public enum ManifestBuilder {
    /// The schema file that describes the manifest.
    public static let schemaName = "manifest.schema.json"

    /// The manifest document; `JSONWriter.pretty` gives its file text.
    public static func build(_ d: ExportDescription) -> JSONValue {
        var manifest: [String: JSONValue] = [
            "name": .string(d.name),
            "description": .string(d.description),
            "license": .string(d.license),
            "version": .string(d.effectiveVersion),
            "schema": .string(d.recordSchemaName),
            "id_field": .string(d.idField),
            "compression": .string(d.compression),
            "files": .array(sortedByPath(d.files).map(fileEntry)),
            "artifacts": .array(sortedByPath(d.artifacts).map(fileEntry)),
            "splits": .object(d.splits.mapValues { .integer($0) }),
            "records": .integer(d.totalRecords),
            "provenance": provenance(d.provenance),
            "pipe_version": .string(d.provenance.pipeVersion),
        ]
        if let creator = d.creator {
            manifest["creator"] = ["name": .string(creator), "type": .string(d.creatorKind.rawValue)]
        }
        if let url = d.url { manifest["url"] = .string(url) }
        if let citation = d.citation { manifest["citation"] = .string(citation) }
        if let date = d.datePublished { manifest["date_published"] = .string(date) }
        return .object(manifest)
    }

    /// Keys that do not apply (an artifact's split) are left out rather than written as null.
    private static func fileEntry(_ file: ExportedFile) -> JSONValue {
        var entry: [String: JSONValue] = [
            "path": .string(file.path),
            "sha256": .string(file.sha256),
            "bytes": .integer(file.bytes),
        ]
        if let split = file.split { entry["split"] = .string(split) }
        if let records = file.records { entry["records"] = .integer(records) }
        return .object(entry)
    }

    private static func provenance(_ p: Provenance) -> JSONValue {
        let inputs = p.inputs
            .sorted { ($0.locator, $0.sha256) < ($1.locator, $1.sha256) }
            .map { JSONValue.object(["locator": .string($0.locator), "sha256": .string($0.sha256)]) }
        return [
            "pipeline": .string(p.pipeline),
            "pipeline_file": .string(p.pipelineFile),
            "stage": .string(p.stage),
            "kind": .string(p.kind),
            "params": p.params,
            "inputs": .array(inputs),
            "upstream": .object(p.upstream.mapValues { .string($0) }),
            "run_id": .string(p.runID),
        ]
    }

    private static func sortedByPath(_ files: [ExportedFile]) -> [ExportedFile] {
        files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }
}
