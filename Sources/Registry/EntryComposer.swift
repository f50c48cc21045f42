import Foundation
import Ontology
import StageKit

/// Fills a benchmark entry from a dataset's evidence: every field pipe has evidence for, "unknown" for the others,
/// text made ASCII as upstream requires, and the ratings from `EvidenceRater`.
public struct EntryComposer: Sendable {
    public let rater: EvidenceRater

    public init(rubric: Rubric) {
        rater = EvidenceRater(rubric: rubric)
    }

    /// The entry, and whether its `url` is the export's `file://` URL (the dataset has no public one).
    public func entry(_ e: DatasetEvidence) -> (entry: OntologyEntry, local: Bool) {
        let m = e.manifest
        let localURL = EntryURL.file(path: e.exportDirectory) ?? "file:///"
        let url = e.publicURL ?? localURL
        let date = m.datePublished.flatMap { Self.isDate($0) ? $0 : nil } ?? Self.unknown
        let profile = e.profile
        let description = Self.text(m.description)
        let entry = OntologyEntry(
            date: date, version: Self.text(m.version), lastUpdated: date, expired: "no",
            valid: e.damagedFiles.isEmpty ? "yes" : "no", validDate: date,
            name: Self.text(m.name), url: url, doi: doi(e), domain: Self.list(profile?.domain),
            focus: Self.focus(description), keywords: keywords(e), summary: summary(e, description: description),
            licensing: Self.text(m.license), taskTypes: Self.list(profile?.taskTypes),
            aiCapabilityMeasured: Self.list(profile?.aiCapabilityMeasured),
            metrics: Self.list(e.evaluation?.metrics), models: [Self.unknown], mlMotif: Self.list(profile?.mlMotif),
            type: "Dataset", mlTask: Self.list(profile?.mlTask), solutions: "0", notes: notes(e),
            contact: Contact(name: m.creator.map { Self.text($0.name) } ?? Self.unknown, email: Self.unknown),
            cite: [cite(e)],
            datasets: Links([Link(name: "\(Self.text(m.name)) export (manifest.json, croissant.json, data/)", url: url)]),
            results: Links([Link(name: Self.unknown, url: Self.unknown)]),
            fair: FAIR(reproducible: e.provenanceComplete ? "Yes" : "unknown", benchmarkReady: e.evaluation == nil ? "No" : "Yes"),
            ratings: rater.ratings(e))
        return (entry, e.publicURL == nil)
    }

    static let unknown = "unknown"

    /// The text of a required field made ASCII; "unknown" when empty.
    static func text(_ value: String) -> String {
        let folded = ASCIIFolding.fold(value).trimmingCharacters(in: .whitespacesAndNewlines)
        return folded.isEmpty ? unknown : folded
    }

    static func list(_ values: [String]?) -> [String] {
        let texts = (values ?? []).map(text).filter { $0 != unknown }
        return texts.isEmpty ? [unknown] : texts
    }

    /// The description's first sentence.
    static func focus(_ description: String) -> String {
        guard description != unknown else { return unknown }
        let firstLine = description.split(separator: "\n").first.map(String.init) ?? description
        if let end = firstLine.range(of: ". ") { return String(firstLine[..<end.lowerBound]) }
        return firstLine.hasSuffix(".") ? String(firstLine.dropLast()) : firstLine
    }

    private func keywords(_ e: DatasetEvidence) -> [String] {
        var seen = Set<String>()
        return (["pipe", e.manifest.provenance.kind] + (e.profile?.keywords ?? [])).map(Self.text)
            .filter { $0 != Self.unknown && seen.insert($0.lowercased()).inserted }
    }

    private func summary(_ e: DatasetEvidence, description: String) -> String {
        let m = e.manifest
        let p = m.provenance
        var lines = [description == Self.unknown ? "No description was given." : description, ""]
        lines.append("\(m.records) records in \(m.files.count) data file(s) (\(e.splitText)): JSON Lines (\(m.compression)), "
            + "each file with its SHA-256 in manifest.json\(e.hasSchema ? ", records described by schema.json" : "")"
            + "\(e.hasCroissant ? ", Croissant 1.1 metadata" : "")\(e.hasCard ? " and a dataset card" : "").")
        if !m.artifacts.isEmpty { lines.append("\(m.artifacts.count) artifact file(s) come with the records.") }
        lines.append("Built by stage \(p.stage) (\(p.kind)) of pipeline \(p.pipeline) (\(p.pipelineFile)) from "
            + "\(p.inputs.count) input(s)\(p.upstream.isEmpty ? "" : " and \(p.upstream.count) upstream run(s)") with pipe \(m.pipeVersion).")
        if let evaluation = e.evaluation { lines.append("Models are evaluated on it with \(evaluation.command).") }
        return lines.map(Self.folded).joined(separator: "\n") + "\n"
    }

    private func notes(_ e: DatasetEvidence) -> String {
        var parts = ["Registered by pipe registry build from the export of run \(e.row.runID) (manifest.json SHA-256 \(e.manifestSHA256))."]
        if e.publicURL == nil {
            parts.append("No public URL: url and the dataset link name the export folder on the machine that built it; publish the export and give the dataset spec a url before submitting.")
        }
        if !e.damagedFiles.isEmpty {
            parts.append("The export is not whole: \(e.damagedFiles.count) file(s) listed in its manifest are missing or changed (pipe validate on the folder says which).")
        }
        return Self.folded(parts.joined(separator: " "))
    }

    /// The dataset spec's citation; else the citation the export's Croissant file gives (pipe derives one from the
    /// dataset's name, creator, year and version); else one derived here the same way.
    private func cite(_ e: DatasetEvidence) -> String {
        let text = e.citation ?? e.croissantCiteAs ?? derivedCitation(e)
        let folded = Self.folded(text).trimmingCharacters(in: .whitespacesAndNewlines)
        return folded + "\n"
    }

    private func derivedCitation(_ e: DatasetEvidence) -> String {
        let m = e.manifest
        let clean = { (text: String) in text.filter { $0 != "{" && $0 != "}" } }
        var fields = [("title", clean(m.name))]
        if let creator = m.creator { fields.append(("author", "{\(clean(creator.name))}")) }
        if let year = m.datePublished?.prefix(4), year.count == 4 { fields.append(("year", String(year))) }
        fields.append(("version", clean(m.version)))
        let key = Slug.make(m.name).isEmpty ? "dataset" : Slug.make(m.name)
        return "@misc{\(key),\n" + fields.map { "  \($0.0) = {\($0.1)}" }.joined(separator: ",\n") + "\n}"
    }

    /// The DOI of the spec's citation, when it gives one.
    private func doi(_ e: DatasetEvidence) -> String {
        guard let citation = e.citation, let entries = try? BibTeXParser.parse(citation) else { return Self.unknown }
        for entry in entries {
            if let doi = entry.value("doi")?.trimmingCharacters(in: .whitespaces), doi.hasPrefix("10."), doi.contains("/"),
               !doi.contains(where: \.isWhitespace), !ASCIIFolding.needsFolding(doi) {
                return doi
            }
        }
        return Self.unknown
    }

    private static func folded(_ text: String) -> String { ASCIIFolding.fold(text) }

    /// `YYYY-MM-DD` with digits where they belong (the validator checks that the date is real).
    static func isDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        return bytes.enumerated().allSatisfy { index, byte in index == 4 || index == 7 || (0x30...0x39).contains(byte) }
    }
}
