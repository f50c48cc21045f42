import StageKit

/// The values of the published taxonomy (reference A.4), kept in the entry schema as the `examples` of
/// `domain` and `ml_motif` items, so the data lives in one place.
public struct Taxonomy: Sendable, Equatable {
    public var domains: [String]
    public var motifs: [String]

    /// Reads the values from the entry schema document.
    init(schema: JSONValue) {
        func examples(_ field: String) -> [String] {
            schema["properties"]?[field]?["items"]?["examples"]?.arrayValue?.compactMap(\.stringValue) ?? []
        }
        domains = examples("domain")
        motifs = examples("ml_motif")
    }
}

/// `domain` and `ml_motif` values from the known taxonomy: a near miss is an error with the value meant, a new
/// value a warning (the taxonomy is not closed upstream, but every new value splits it).
struct TaxonomyCheck {
    let taxonomy: Taxonomy

    func check(_ entry: JSONValue, into findings: inout EntryFindings) {
        check(entry, field: "domain", known: taxonomy.domains, into: &findings)
        check(entry, field: "ml_motif", known: taxonomy.motifs, into: &findings)
        if let motifs = entry["ml_motif"]?.arrayValue, motifs.count > 1 {
            findings.add("ontology.motif_count", .warning, field: "/ml_motif",
                         "'ml_motif' has \(motifs.count) values; every published entry has exactly one")
        }
    }

    private func check(_ entry: JSONValue, field: String, known: [String], into findings: inout EntryFindings) {
        guard let values = entry[field]?.arrayValue else { return }
        for (index, value) in values.enumerated() {
            // "unknown" is how the conventions say a value is not known, not a value of the taxonomy.
            guard let text = value.stringValue, !text.allSatisfy(\.isWhitespace), !known.contains(text),
                  !EmptyValueCheck.placeholders.contains(text), text != "unknown" else { continue }
            let pointer = "/\(field)/\(index)"
            if let meant = DidYouMean.suggestion(for: text, among: known) {
                findings.add("ontology.taxonomy", .error, field: pointer,
                             "'\(field)' value \"\(text)\" is not in the taxonomy (did you mean '\(meant)'?)")
            } else {
                findings.add("ontology.taxonomy_new", .warning, field: pointer,
                             "'\(field)' value \"\(text)\" is not in the published taxonomy (\(known.joined(separator: ", ")))")
            }
        }
    }
}
