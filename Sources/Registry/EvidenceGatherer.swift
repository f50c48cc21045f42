import Engine
import Foundation
import Ontology
import StageKit

/// Gathers the evidence for one exported dataset from its export folder, the pipeline files and the kind profiles,
/// with a warning for each thing that weakens it (a changed export, a spec edited since, files gone).
public struct EvidenceGatherer: Sendable {
    let workspace: Workspace
    let pipelines: PipelineSet?
    let profiles: KindProfiles
    /// The top-level commands of this pipe build: an evaluation is claimed only when its command exists.
    let commands: Set<String>
    let currentDirectory: String

    public init(workspace: Workspace, pipelines: PipelineSet?, profiles: KindProfiles, commands: Set<String>,
                currentDirectory: String) {
        self.workspace = workspace
        self.pipelines = pipelines
        self.profiles = profiles
        self.commands = commands
        self.currentDirectory = currentDirectory
    }

    /// The evidence, or nil when the export cannot be read (the warnings say why).
    public func gather(_ row: DatasetRow, warnings: inout [OntologyDiagnostic]) -> DatasetEvidence? {
        guard let folder = ExportLocation.resolve(row, workspace: workspace, currentDirectory: currentDirectory) else {
            warnings.append(Self.warning("registry.export_missing", at: row.exportDirectory,
                                         "dataset '\(row.name)' was exported to \(row.exportDirectory), which has no manifest.json now: it is not registered (export it again)"))
            return nil
        }
        let manifestPath = folder + "/manifest.json"
        let manifest: ExportManifest
        let manifestBytes: [UInt8]
        do {
            manifestBytes = try FileSystem.read(manifestPath)
            manifest = try ExportManifest.read(manifestPath)
        } catch let error as PipeError {
            warnings.append(Self.warning(error.code, at: manifestPath, "\(error.message): dataset '\(row.name)' is not registered"))
            return nil
        } catch {
            warnings.append(Self.warning("registry.manifest", at: manifestPath, "\(error): dataset '\(row.name)' is not registered"))
            return nil
        }
        let sha = StableHash.sha256Hex(manifestBytes)
        if sha != row.manifestSHA256 {
            warnings.append(Self.warning("registry.export_changed", at: manifestPath,
                                         "manifest.json is not the one pipe export wrote for '\(row.name)' (its SHA-256 differs from the catalog's): the entry describes the export as it is now"))
        }
        let damaged = damagedFiles(manifest, folder: folder)
        if !damaged.isEmpty {
            warnings.append(Self.warning("registry.export_damaged", at: folder,
                                         "\(damaged.count) file(s) the manifest lists are missing or of another size (\(damaged.prefix(3).joined(separator: ", "))\(damaged.count > 3 ? ", ..." : "")): the entry says valid \"no\""))
        }
        let spec = pipelines?.datasets[row.name]
        if let spec {
            let changed = changedFields(spec, manifest)
            if !changed.isEmpty {
                warnings.append(Self.warning("registry.spec_changed", at: spec.file,
                                             "the dataset spec of '\(row.name)' changed since it was exported (\(changed.joined(separator: ", "))): the entry follows the export; export it again to register the spec as it is"))
            }
        }
        let croissant = try? JSONParser.parse(try FileSystem.read(folder + "/croissant.json"))
        let profile = profiles.kinds[manifest.provenance.kind]
        let evaluation = profile?.evaluation.flatMap { commands.contains($0.subcommand) ? $0 : nil }
        return DatasetEvidence(
            row: row, exportDirectory: folder, manifest: manifest, manifestSHA256: sha,
            croissantCiteAs: croissant?["citeAs"]?.stringValue, hasCroissant: croissant != nil,
            hasCard: FileSystem.exists(folder + "/README.md").exists, hasSchema: FileSystem.exists(folder + "/schema.json").exists,
            damagedFiles: damaged, spec: spec, profile: profile, evaluation: evaluation)
    }

    /// Listed files that are missing or not of their listed size (checksums are `pipe validate`'s job: reading
    /// every shard is more than registering needs).
    private func damagedFiles(_ manifest: ExportManifest, folder: String) -> [String] {
        (manifest.files + manifest.artifacts).compactMap { file in
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder + "/" + file.path)
            let size = (attributes?[.size] as? NSNumber)?.int64Value
            return size == file.bytes ? nil : file.path
        }
    }

    /// The fields the entry is filled from that the spec now says otherwise than the export.
    private func changedFields(_ spec: DatasetSpec, _ manifest: ExportManifest) -> [String] {
        var changed: [String] = []
        if spec.description != manifest.description { changed.append("description") }
        if spec.license != manifest.license { changed.append("license") }
        if spec.creator != manifest.creator?.name { changed.append("creator") }
        if spec.url != manifest.url { changed.append("url") }
        if (spec.version ?? "1.0.0") != manifest.version { changed.append("version") }
        if spec.citation != manifest.citation { changed.append("citation") }
        return changed
    }

    static func warning(_ code: String, at path: String, _ message: String) -> OntologyDiagnostic {
        OntologyDiagnostic(code, .warning, field: "", message, at: SourceLocation(file: path))
    }
}
