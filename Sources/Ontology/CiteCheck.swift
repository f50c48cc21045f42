import StageKit

/// `cite`: each string is BibTeX that parses, each entry has a title and a known type, and its `url` fields
/// are URLs (upstream's URL check fetches them too).
enum CiteCheck {
    /// Entry types of BibTeX and biblatex that reference managers write.
    static let knownTypes: Set<String> = [
        "article", "book", "booklet", "conference", "inbook", "incollection", "inproceedings", "manual",
        "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished", "online", "software",
        "dataset", "report", "thesis", "electronic", "www", "collection", "patent",
    ]

    static func check(_ entry: JSONValue, into findings: inout EntryFindings) {
        guard let cites = entry["cite"]?.arrayValue else { return }
        var keys: [String: Int] = [:]
        for (index, cite) in cites.enumerated() {
            let pointer = "/cite/\(index)"
            guard let text = cite.stringValue, !text.allSatisfy(\.isWhitespace), text.trimmingWhitespace != "unknown" else {
                if cite.stringValue?.trimmingWhitespace == "unknown" {
                    findings.add("ontology.bibtex", .error, field: pointer, "'cite/\(index)' is \"unknown\": at least one BibTeX citation is required")
                }
                continue
            }
            let parsed: [BibTeXEntry]
            do {
                parsed = try BibTeXParser.parse(text)
            } catch {
                findings.add("ontology.bibtex", .error, field: pointer, "'cite/\(index)' is not BibTeX: \(error.message)",
                             at: place(error.offset, in: text, pointer: pointer, findings: findings))
                continue
            }
            if parsed.isEmpty {
                findings.add("ontology.bibtex", .error, field: pointer, "'cite/\(index)' holds no BibTeX entry")
            }
            for bib in parsed {
                let at = place(bib.offset, in: text, pointer: pointer, findings: findings)
                if !knownTypes.contains(bib.type) {
                    findings.add("ontology.bibtex_type", .warning, field: pointer,
                                 "'\(bib.key)' is of type @\(bib.type), which BibTeX styles do not know\(DidYouMean.phrase(for: bib.type, among: knownTypes.sorted()))",
                                 at: at)
                }
                if bib.value("title")?.allSatisfy(\.isWhitespace) ?? true {
                    findings.add("ontology.bibtex_field", .warning, field: pointer, "'\(bib.key)' has no title", at: at)
                }
                if let first = keys[bib.key] {
                    findings.add("ontology.bibtex_key", .warning, field: pointer,
                                 "the citation key '\(bib.key)' is used in 'cite/\(first)' too", at: at)
                } else {
                    keys[bib.key] = index
                }
                for field in bib.fields where field.name == "url" {
                    if let problem = URLSyntax.problem(in: field.value.trimmingWhitespace) {
                        findings.add("ontology.url", .error, field: pointer, "the url of '\(bib.key)' \(problem)",
                                     at: place(field.offset, in: text, pointer: pointer, findings: findings))
                    }
                }
            }
        }
    }

    private static func place(_ offset: Int, in text: String, pointer: String, findings: EntryFindings) -> SourceLocation {
        let position = lineAndColumn(of: offset, in: text)
        return findings.file.location(inValueAt: findings.base + pointer, line: position.line, column: position.column)
    }
}
