import StageKit
import Engine
/// One file of an export: a data shard or an artifact, with what a reader needs to check it.
public struct ExportedFile: Sendable, Equatable {
    /// Relative to the export folder (`data/train-00000-of-00002.jsonl.gz`), so the export can move.
    public var path: String
    /// The split a data shard belongs to; nil for artifacts.
    public var split: String?
    /// Lowercase hex SHA-256 of the bytes on disk (compressed, as published).
    public var sha256: String
    /// Size on disk.
    public var bytes: Int64
    /// Record count of a data shard; nil when the file is not made of records.
    public var records: Int64?

    public init(path: String, split: String? = nil, sha256: String, bytes: Int64, records: Int64? = nil) {
        self.path = path
        self.split = split
        self.sha256 = sha256
        self.bytes = bytes
        self.records = records
    }
}


/// Where a dataset came from, for the manifest and the card; it holds no absolute path and no
/// task count, because neither may change the bytes of an export.
public struct Provenance: Sendable, Equatable {
    /// The pipeline's name.
    public var pipeline: String
    /// The pipeline file, relative to the project (`Pipelines/code.yaml`).
    public var pipelineFile: String
    /// The stage's name in the pipeline.
    public var stage: String
    /// The stage kind (`corpus.mine`).
    public var kind: String
    /// The stage parameters as decoded from the pipeline file.
    public var params: JSONValue
    /// Every input with its content hash.
    public var inputs: [InputHash]
    /// Upstream stage name to the run id that fed this one.
    public var upstream: [String: String]
    /// The run that produced the exported records.
    public var runID: String
    /// `pipe --version` of the build that ran the stage.
    public var pipeVersion: String

    public init(
        pipeline: String, pipelineFile: String, stage: String, kind: String, params: JSONValue,
        inputs: [InputHash], upstream: [String: String], runID: String, pipeVersion: String
    ) {
        self.pipeline = pipeline
        self.pipelineFile = pipelineFile
        self.stage = stage
        self.kind = kind
        self.params = params
        self.inputs = inputs
        self.upstream = upstream
        self.runID = runID
        self.pipeVersion = pipeVersion
    }
}

/// Whether a dataset's creator is a person or an organization, as schema.org tells them apart.
public enum ExportCreatorKind: String, Sendable {
    /// `sc:Person` in Croissant.
    case person
    /// `sc:Organization` in Croissant.
    case organization
}

/// Everything the card, the manifest and Croissant say about one exported dataset, so that the
/// three documents cannot disagree.
public struct ExportDescription: Sendable, Equatable {
    /// The dataset's name (also the export folder's name).
    public var name: String
    /// A paragraph or more of plain text / Markdown.
    public var description: String
    /// An SPDX license id such as `CC-BY-4.0`.
    public var license: String
    /// Who made the dataset; omitted from every document when nil.
    public var creator: String?
    /// Person or organization, for Croissant's `creator` type.
    public var creatorKind: ExportCreatorKind
    /// Where the dataset lives; Croissant omits `url` when nil rather than invent one.
    public var url: String?
    /// Semantic version; nil means `1.0.0`.
    public var version: String?
    /// BibTeX; when nil a `@misc` entry is derived from the other fields (see `citationText`).
    public var citation: String?
    /// `YYYY-MM-DD`, from `SOURCE_DATE_EPOCH` or the build's commit; omitted when nil because the
    /// clock must not reach exported metadata.
    public var datePublished: String?
    /// The compression of the data shards: `gzip`, `zstd` or `none`.
    public var compression: String
    /// The data shards.
    public var files: [ExportedFile]
    /// Non-record files of the run (token shards, plans, plots).
    public var artifacts: [ExportedFile]
    /// The file name of the record schema (`code-file.schema.json`).
    public var recordSchemaName: String
    /// The JSON Schema of one record, with `$ref`s resolved: fields are read from its `properties`
    /// (and those of inline `allOf` members).
    public var recordSchema: JSONValue
    /// Records per split.
    public var splits: [String: Int64]
    /// Where the records came from.
    public var provenance: Provenance
    /// The property that identifies a record (Croissant's `key`).
    public var idField: String
    /// Top-level keys that at least one exported record has; nil when unknown. Croissant lists
    /// only these, because mlcroissant fails on a field whose column no record has.
    public var observedFields: Set<String>?

    public init(
        name: String, description: String, license: String, creator: String? = nil,
        creatorKind: ExportCreatorKind = .organization, url: String? = nil,
        version: String? = nil, citation: String? = nil, datePublished: String? = nil,
        compression: String = "gzip", files: [ExportedFile], artifacts: [ExportedFile] = [],
        recordSchemaName: String, recordSchema: JSONValue, splits: [String: Int64], provenance: Provenance,
        idField: String, observedFields: Set<String>? = nil
    ) {
        self.name = name
        self.description = description
        self.license = license
        self.creator = creator
        self.creatorKind = creatorKind
        self.url = url
        self.version = version
        self.citation = citation
        self.datePublished = datePublished
        self.compression = compression
        self.files = files
        self.artifacts = artifacts
        self.recordSchemaName = recordSchemaName
        self.recordSchema = recordSchema
        self.splits = splits
        self.provenance = provenance
        self.idField = idField
        self.observedFields = observedFields
    }

    /// The version every document states.
    public var effectiveVersion: String { version ?? "1.0.0" }

    /// The shards' file extension (`.jsonl.gz`); an unknown compression name is taken as none.
    public var shardSuffix: String {
        switch compression {
        case "gzip": return ".jsonl.gz"
        case "zstd": return ".jsonl.zst"
        default: return ".jsonl"
        }
    }

    /// Records in all splits; the shards' counts when no split counts are given.
    public var totalRecords: Int64 {
        if !splits.isEmpty { return splits.values.reduce(0, &+) }
        return files.reduce(0) { $0 &+ ($1.records ?? 0) }
    }

    /// Split names in the conventional order (train, validation, test, then the rest by name),
    /// from the split counts and the shards alike.
    public var orderedSplits: [String] {
        var names = Set(splits.keys)
        for file in files {
            if let split = file.split { names.insert(split) }
        }
        return ExportDescription.conventionalOrder(names)
    }

    /// The given citation, or a `@misc` BibTeX entry built only from stated facts, because a
    /// dataset without `citeAs` draws a Croissant warning and people need something to cite.
    public var citationText: String {
        if let citation, !citation.isEmpty { return citation }
        var fields: [(String, String)] = [("title", ExportDescription.bibtexEscaped(name))]
        if let creator {
            // Double braces keep BibTeX from splitting an organization's name into first and last names.
            let author = ExportDescription.bibtexEscaped(creator)
            fields.append(("author", creatorKind == .organization ? "{\(author)}" : author))
        }
        if let year = datePublished?.prefix(4), year.count == 4, year.allSatisfy({ $0.isASCII && $0.isNumber }) {
            fields.append(("year", String(year)))
        }
        fields.append(("version", ExportDescription.bibtexEscaped(effectiveVersion)))
        if let url { fields.append(("url", ExportDescription.bibtexEscaped(url))) }
        let body = fields.map { "  \($0.0) = {\($0.1)}" }.joined(separator: ",\n")
        return "@misc{\(ExportDescription.bibtexKey(name)),\n\(body)\n}"
    }

    static func conventionalOrder(_ names: Set<String>) -> [String] {
        let known = ["train", "validation", "test"]
        let rest = names.subtracting(known).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return known.filter(names.contains) + rest
    }

    /// BibTeX keys allow few characters; anything else becomes `_`.
    private static func bibtexKey(_ name: String) -> String {
        let key = String(name.unicodeScalars.map { scalar -> Character in
            let allowed = scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_.:".unicodeScalars.contains(scalar))
            return allowed ? Character(scalar) : "_"
        })
        return key.isEmpty ? "dataset" : key
    }

    /// A brace in a value could end the BibTeX field early, so braces are dropped.
    private static func bibtexEscaped(_ text: String) -> String {
        text.filter { $0 != "{" && $0 != "}" }
    }
}

/// License id translations between SPDX (Croissant, manifest) and the Hugging Face Hub (card).
public enum ExportLicense {
    /// The SPDX page of a license id, or nil when the text is not a plain SPDX id (an expression,
    /// a `LicenseRef-`, `NOASSERTION`), which Croissant then gets as text.
    public static func spdxURL(_ id: String) -> String? {
        guard !id.isEmpty, id.utf8.allSatisfy({ byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "+")
        }) else { return nil }
        let upper = id.uppercased()
        if upper.hasPrefix("LICENSEREF-") || upper == "NOASSERTION" || upper == "NONE" { return nil }
        return "https://spdx.org/licenses/\(id).html"
    }

    /// The Hub's license id for an SPDX id, or `other` when the Hub has none.
    public static func huggingFaceID(_ spdx: String) -> String {
        let lower = spdx.lowercased()
        if let alias = aliases[lower] { return alias }
        return huggingFaceIDs.contains(lower) ? lower : "other"
    }

    /// SPDX ids whose Hub id is not simply their lowercase form.
    private static let aliases: [String: String] = [
        "agpl-3.0-only": "agpl-3.0", "agpl-3.0-or-later": "agpl-3.0",
        "gpl-2.0-only": "gpl-2.0", "gpl-2.0-or-later": "gpl-2.0",
        "gpl-3.0-only": "gpl-3.0", "gpl-3.0-or-later": "gpl-3.0",
        "lgpl-2.1-only": "lgpl-2.1", "lgpl-2.1-or-later": "lgpl-2.1",
        "lgpl-3.0-only": "lgpl-3.0", "lgpl-3.0-or-later": "lgpl-3.0",
        "gfdl-1.3-only": "gfdl", "gfdl-1.3-or-later": "gfdl",
        "odc-by-1.0": "odc-by", "odbl-1.0": "odbl", "pddl-1.0": "pddl",
    ]

    /// The Hub's license ids that are also lowercase SPDX ids.
    private static let huggingFaceIDs: Set<String> = [
        "apache-2.0", "mit", "afl-3.0", "artistic-2.0", "bsl-1.0", "bsd-2-clause", "bsd-3-clause",
        "bsd-3-clause-clear", "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0", "cc-by-sa-3.0",
        "cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0", "cc-by-nc-nd-3.0",
        "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0", "cdla-sharing-1.0",
        "cdla-permissive-1.0", "cdla-permissive-2.0", "wtfpl", "ecl-2.0", "epl-1.0", "epl-2.0", "etalab-2.0",
        "eupl-1.1", "eupl-1.2", "agpl-3.0", "gpl-2.0", "gpl-3.0", "lgpl-2.1", "lgpl-3.0", "isc", "lppl-1.3c",
        "ms-pl", "mpl-2.0", "osl-3.0", "postgresql", "ofl-1.1", "ncsa", "unlicense", "zlib",
    ]
}
