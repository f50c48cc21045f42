import Foundation
import StageKit

/// The parts of an export's `manifest.json` (`Schemas/Engine/manifest.schema.json`) an entry is filled from.
public struct ExportManifest: Sendable, Equatable, Decodable {
    public var name: String
    public var description: String
    public var license: String
    public var version: String
    public var schema: String
    public var idField: String
    public var compression: String
    public var files: [File]
    public var artifacts: [File]
    public var splits: [String: Int64]
    public var records: Int64
    public var provenance: Provenance
    public var pipeVersion: String
    public var creator: Creator?
    public var url: String?
    public var citation: String?
    public var datePublished: String?

    enum CodingKeys: String, CodingKey {
        case name, description, license, version, schema
        case idField = "id_field"
        case compression, files, artifacts, splits, records, provenance
        case pipeVersion = "pipe_version"
        case creator, url, citation
        case datePublished = "date_published"
    }

    /// One file of the export, as listed.
    public struct File: Sendable, Equatable, Decodable {
        public var path: String
        public var sha256: String
        public var bytes: Int64
        public var split: String?
        public var records: Int64?

        enum CodingKeys: String, CodingKey {
            case path, sha256, bytes, split, records
        }
    }

    /// Who made the dataset.
    public struct Creator: Sendable, Equatable, Decodable {
        public var name: String
        public var type: String

        enum CodingKeys: String, CodingKey {
            case name, type
        }
    }

    /// Where the records came from.
    public struct Provenance: Sendable, Equatable, Decodable {
        public var pipeline: String
        public var pipelineFile: String
        public var stage: String
        public var kind: String
        public var inputs: [Input]
        public var upstream: [String: String]
        public var runID: String

        enum CodingKeys: String, CodingKey {
            case pipeline
            case pipelineFile = "pipeline_file"
            case stage, kind, inputs, upstream
            case runID = "run_id"
        }
    }

    /// An input of the stage and its content hash.
    public struct Input: Sendable, Equatable, Decodable {
        public var locator: String
        public var sha256: String

        enum CodingKeys: String, CodingKey {
            case locator, sha256
        }
    }

    /// Reads a manifest; one that does not have the manifest's shape is `registry.manifest`.
    public static func read(_ path: String) throws -> ExportManifest {
        let bytes = try FileSystem.read(path)
        do {
            // Keys the registry does not use (stage parameters, the record schema's name) are ignored, not refused.
            return try JSONDecoder().decode(ExportManifest.self, from: Data(bytes))
        } catch {
            throw PipeError("registry.manifest", "\(path) is not a manifest pipe can read: \(Self.describe(error))",
                            at: SourceLocation(file: path))
        }
    }

    /// A decoding failure in a phrase: the path of the key at fault and what was wrong.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            "/" + context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)) has no '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// Split names in the conventional order (train, validation, test, then the others by name).
    public var orderedSplits: [String] {
        let known = ["train", "validation", "test"]
        return known.filter { splits[$0] != nil } + splits.keys.filter { !known.contains($0) }.sorted()
    }
}
