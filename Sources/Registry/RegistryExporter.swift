import Engine
import Foundation
import Ontology
import StageKit

/// The forms the registry is exported in.
public enum RegistryFormat: String, Sendable, CaseIterable {
    /// A YAML list of entries in upstream's template order: a catalogue `pipe validate --catalog` checks.
    case mlcommonsYAML = "mlcommons-yaml"
    /// The datasets' Croissant files, one per entry, in a folder.
    case croissant
    /// One static HTML page.
    case html
}

/// Writes the registry in one of its export forms. The same registry gives the same bytes.
public struct RegistryExporter {
    let catalog: Catalog
    let workspace: Workspace
    let rubric: Rubric
    let currentDirectory: String

    public init(catalog: Catalog, workspace: Workspace, rubric: Rubric, currentDirectory: String) {
        self.catalog = catalog
        self.workspace = workspace
        self.rubric = rubric
        self.currentDirectory = currentDirectory
    }

    /// Writes `format` to `path` (a file, or for Croissant a folder); returns the files written.
    public func export(_ format: RegistryFormat, to path: String) throws -> [String] {
        let rows = try catalog.registry()
        let entries = try rows.map(Self.entry)
        switch format {
        case .mlcommonsYAML:
            try FileSystem.writeAtomically(Array(EntryYAMLWriter(rubric: rubric).catalog(entries).utf8), to: path)
            return [path]
        case .html:
            let items = zip(rows, entries).map { RegistryPageItem(entry: $1, overall: $0.overall, dataset: $0.dataset) }
            try FileSystem.writeAtomically(Array(try RegistryPage.html(items, rubric: rubric).utf8), to: path)
            return [path]
        case .croissant:
            return try croissant(rows, entries: entries, folder: path)
        }
    }

    /// Each entry's dataset's `croissant.json`, copied as `<folder>/<entry slug>.croissant.json`. The copies keep
    /// their relative file paths, which name files of the export folder (the entry's dataset link).
    private func croissant(_ rows: [RegistryRow], entries: [OntologyEntry], folder: String) throws -> [String] {
        try FileSystem.makeDirectory(folder)
        let exports = Dictionary(try catalog.datasets().map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var written: [String] = []
        for (row, entry) in zip(rows, entries) {
            guard let dataset = exports[row.dataset],
                  let export = ExportLocation.resolve(dataset, workspace: workspace, currentDirectory: currentDirectory),
                  FileSystem.exists(export + "/croissant.json").exists
            else {
                throw PipeError("registry.no_croissant",
                                "the export of '\(row.dataset)' (entry '\(row.name)') has no croissant.json now: export the dataset again, then pipe registry build")
            }
            let target = folder + "/" + (entry.slug.isEmpty ? "entry" : entry.slug) + ".croissant.json"
            guard !written.contains(target) else {
                throw PipeError("registry.duplicate_name", "two entries would both be written to \(target): rename one of their datasets")
            }
            try FileSystem.writeAtomically(try FileSystem.read(export + "/croissant.json"), to: target)
            written.append(target)
        }
        return written
    }

    /// The entry a registry row holds.
    public static func entry(_ row: RegistryRow) throws -> OntologyEntry {
        do {
            return try OntologyEntry(try JSONParser.parse(Array(row.entry.utf8)))
        } catch let error as PipeError {
            throw PipeError("registry.entry", "the registry entry '\(row.name)' cannot be read: \(error.message) (run pipe registry build)")
        }
    }
}
