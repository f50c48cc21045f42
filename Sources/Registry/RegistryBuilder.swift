import Foundation
import Engine
import Ontology
import StageKit

/// `pipe registry build`: an entry for every dataset the catalog records an export of, filled and rated from its
/// evidence, checked by the ontology validator, and stored in the catalog's registry (which it replaces whole).
public struct RegistryBuilder {
    let catalog: Catalog
    let gatherer: EvidenceGatherer
    let validator: OntologyValidator

    public init(catalog: Catalog, gatherer: EvidenceGatherer, validator: OntologyValidator) {
        self.catalog = catalog
        self.gatherer = gatherer
        self.validator = validator
    }

    /// What a build registered and found.
    public struct Outcome: Sendable {
        /// The registered entries, by name.
        public var rows: [RegistryRow] = []
        /// Per registered entry, the validator's warnings about it (a file URL, an "unknown" link, ...).
        public var entryWarnings: [String: [OntologyDiagnostic]] = [:]
        /// Warnings about the exports, and errors for entries that were not registered.
        public var diagnostics: [OntologyDiagnostic] = []
        /// Whether an entry was left out for an error.
        public var failed: Bool { diagnostics.contains { $0.severity == .error } }
    }

    public func build() throws -> Outcome {
        var outcome = Outcome()
        let composer = EntryComposer(rubric: validator.rubric)
        let writer = EntryYAMLWriter(rubric: validator.rubric)
        var names = Set<String>()
        var localOnly: [(name: String, folder: String, url: String)] = []
        for row in try catalog.datasets() {
            guard let evidence = gatherer.gather(row, warnings: &outcome.diagnostics) else { continue }
            let (entry, local) = composer.entry(evidence)
            if local { localOnly.append((row.name, evidence.exportDirectory, entry.url)) }
            let place = evidence.exportDirectory + " (registry entry '\(entry.name)')"
            guard names.insert(entry.name).inserted else {
                outcome.diagnostics.append(OntologyDiagnostic("registry.duplicate_name", .error, field: "/name",
                                                              "another dataset's entry is already named '\(entry.name)': this one is not registered",
                                                              at: SourceLocation(file: place)))
                continue
            }
            let report = validator.checkEntryFile(try EntryFile(text: writer.mapping(entry), path: place))
            let findings = report.diagnostics
            guard report.valid, let checked = report.entries.first else {
                outcome.diagnostics += findings.filter { $0.severity == .error }.map { finding in
                    OntologyDiagnostic("registry.invalid_entry", .error, field: finding.field,
                                       "the entry made for '\(row.name)' is not valid, so it is not registered: \(finding.message) [\(finding.code)]",
                                       at: SourceLocation(file: place))
                }
                continue
            }
            outcome.entryWarnings[entry.name] = findings
            outcome.rows.append(RegistryRow(
                name: entry.name, dataset: row.name, stage: row.stage, runID: row.runID,
                manifestSHA256: evidence.manifestSHA256, entry: JSONWriter.compactString(try entry.json()),
                overall: checked.ratings.overall ?? 0))
        }
        outcome.rows.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        try catalog.replaceRegistry(outcome.rows)
        outcome.diagnostics += Self.noPublicURL(localOnly)
        return outcome
    }

    /// One warning for every dataset whose entry can only name its local export folder: a workspace of
    /// unpublished datasets would otherwise print the same sentence once per dataset.
    static func noPublicURL(_ datasets: [(name: String, folder: String, url: String)]) -> [OntologyDiagnostic] {
        guard let first = datasets.first else { return [] }
        if datasets.count == 1 {
            return [EvidenceGatherer.warning(
                "registry.no_public_url", at: first.folder,
                "dataset '\(first.name)' has no public URL (its dataset spec gives no http(s) url): its entry names the export folder, \(first.url), which only this machine can open")]
        }
        // Located at the folder that holds the exports when they share one (the workspace's exports/).
        let parents = Set(datasets.map { ($0.folder as NSString).deletingLastPathComponent })
        let folder = parents.count == 1 ? parents.first ?? first.folder : first.folder
        return [EvidenceGatherer.warning(
            "registry.no_public_url", at: folder,
            "\(datasets.count) datasets have no public URL (their dataset specs give no http(s) url): their entries name their export folders, which only this machine can open: \(datasets.map(\.name).joined(separator: ", "))")]
    }
}
