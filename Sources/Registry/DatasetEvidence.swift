import Engine
import Foundation
import Ontology
import StageKit

/// Everything pipe knows about one exported dataset, which its registry entry is filled and rated from: the
/// catalog's record of the export, the export's own files, the pipeline's dataset spec and what pipe states about
/// the stage kind that made it.
public struct DatasetEvidence: Sendable {
    /// The catalog's record of the export (dataset, stage, run, folder, manifest SHA-256).
    public var row: DatasetRow
    /// The export folder, absolute.
    public var exportDirectory: String
    public var manifest: ExportManifest
    /// SHA-256 of `manifest.json` as it is now.
    public var manifestSHA256: String
    /// Croissant's `citeAs`, when the export has a `croissant.json` that says one.
    public var croissantCiteAs: String?
    public var hasCroissant: Bool
    /// The dataset card, `README.md`.
    public var hasCard: Bool
    /// The record schema, `schema.json`.
    public var hasSchema: Bool
    /// Files the manifest lists that are missing or not of the listed size.
    public var damagedFiles: [String]
    /// The dataset as the pipeline files declare it now; nil when they no longer do (or none were loaded).
    public var spec: DatasetSpec?
    public var profile: KindProfile?
    /// The command that evaluates models on the dataset, when this build of pipe has it.
    public var evaluation: KindProfile.Evaluation?

    public init(row: DatasetRow, exportDirectory: String, manifest: ExportManifest, manifestSHA256: String,
                croissantCiteAs: String?, hasCroissant: Bool, hasCard: Bool, hasSchema: Bool, damagedFiles: [String],
                spec: DatasetSpec?, profile: KindProfile?, evaluation: KindProfile.Evaluation?) {
        self.row = row
        self.exportDirectory = exportDirectory
        self.manifest = manifest
        self.manifestSHA256 = manifestSHA256
        self.croissantCiteAs = croissantCiteAs
        self.hasCroissant = hasCroissant
        self.hasCard = hasCard
        self.hasSchema = hasSchema
        self.damagedFiles = damagedFiles
        self.spec = spec
        self.profile = profile
        self.evaluation = evaluation
    }

    /// The dataset's public URL: the one its export states (from the dataset spec), when it is an http(s) URL.
    public var publicURL: String? {
        guard let url = manifest.url?.trimmingCharacters(in: .whitespacesAndNewlines), !url.isEmpty, EntryURL.isWeb(url) else { return nil }
        return url
    }

    /// The citation the dataset spec gives (the upstream work's), as the manifest recorded it.
    public var citation: String? {
        guard let text = manifest.citation?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    /// The manifest names the pipeline file, the stage and its kind, its inputs or upstream runs, the run and the
    /// pipe version: what `pipe build` needs to make the same records again.
    public var provenanceComplete: Bool {
        let p = manifest.provenance
        return !p.pipelineFile.isEmpty && !p.stage.isEmpty && !p.kind.isEmpty && !p.runID.isEmpty
            && !manifest.pipeVersion.isEmpty && !(p.inputs.isEmpty && p.upstream.isEmpty)
    }

    /// Splits that hold records, in the conventional order, with their counts.
    public var nonEmptySplits: [(name: String, records: Int64)] {
        manifest.orderedSplits.compactMap { name in
            guard let count = manifest.splits[name], count > 0 else { return nil }
            return (name, count)
        }
    }

    /// `train 80, validation 10, test 10`.
    public var splitText: String {
        let splits = manifest.orderedSplits.map { "\($0) \(manifest.splits[$0] ?? 0)" }
        return splits.isEmpty ? "no split" : splits.joined(separator: ", ")
    }

    /// A license is stated (an SPDX id or expression), not left open.
    public var licenseKnown: Bool {
        let license = manifest.license.trimmingCharacters(in: .whitespacesAndNewlines)
        return !license.isEmpty && !["NOASSERTION", "NONE", "UNKNOWN"].contains(license.uppercased())
    }
}
