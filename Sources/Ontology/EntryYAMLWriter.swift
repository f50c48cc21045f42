import StageKit

/// Writes entries as upstream's catalogue does (reference A.3, A.7): the 29 template keys in template order, two
/// spaces of indentation with list items at their key's column, scalars in double quotes, prose (`summary`,
/// `cite`, `reason`) as `|` blocks. What is written reads back, through `YAMLDocument`, as the same entry.
public struct EntryYAMLWriter: Sendable {
    /// Orders each checklist's criteria as the rubric lists them (others after, by name).
    public let rubric: Rubric?

    public init(rubric: Rubric? = nil) {
        self.rubric = rubric
    }

    /// A catalogue: a YAML list of entries, each starting with `- ` at column 0.
    public func catalog(_ entries: [OntologyEntry]) -> String {
        entries.map { entry in
            let lines = mappingLines(entry)
            return lines.enumerated().map { index, line in index == 0 ? "- " + line : (line.isEmpty ? "" : "  " + line) }.joined(separator: "\n")
        }.map { $0 + "\n" }.joined()
    }

    /// One entry as a mapping, the form `pipe validate --schema ontology-entry` and `pipe rate` read.
    public func mapping(_ entry: OntologyEntry) -> String {
        mappingLines(entry).joined(separator: "\n") + "\n"
    }

    private func mappingLines(_ entry: OntologyEntry) -> [String] {
        var out: [String] = []
        func scalar(_ key: String, _ value: String) { out += Self.scalar(key, value, indent: 0) }
        func list(_ key: String, _ values: [String]) { out += Self.list(key, values, indent: 0) }
        scalar("date", entry.date)
        scalar("version", entry.version)
        scalar("last_updated", entry.lastUpdated)
        scalar("expired", entry.expired)
        scalar("valid", entry.valid)
        scalar("valid_date", entry.validDate)
        scalar("name", entry.name)
        scalar("url", entry.url)
        scalar("doi", entry.doi)
        list("domain", entry.domain)
        scalar("focus", entry.focus)
        list("keywords", entry.keywords)
        out += Self.block("summary", entry.summary, indent: 0)
        scalar("licensing", entry.licensing)
        list("task_types", entry.taskTypes)
        list("ai_capability_measured", entry.aiCapabilityMeasured)
        list("metrics", entry.metrics)
        list("models", entry.models)
        list("ml_motif", entry.mlMotif)
        scalar("type", entry.type)
        list("ml_task", entry.mlTask)
        scalar("solutions", entry.solutions)
        scalar("notes", entry.notes)
        out.append("contact:")
        out += Self.scalar("name", entry.contact.name, indent: 2)
        out += Self.scalar("email", entry.contact.email, indent: 2)
        out.append("cite:")
        for cite in entry.cite { out += Self.item(cite, indent: 0, prose: true) }
        out += Self.links("datasets", entry.datasets)
        out += Self.links("results", entry.results)
        out.append("fair:")
        out += Self.scalar("reproducible", entry.fair.reproducible, indent: 2)
        out += Self.scalar("benchmark_ready", entry.fair.benchmarkReady, indent: 2)
        out.append("ratings:" + (Self.isEmpty(entry.ratings) ? " {}" : ""))
        for key in Self.categoryKeys {
            guard let rating = entry.ratings[key] else { continue }
            out.append("  \(key):")
            out.append("    rating: \(RatingsCheck.text(rating.rating))")
            out += Self.block("reason", rating.reason, indent: 4)
            if let checklist = rating.checklist { out += checklistLines(checklist, category: key) }
        }
        return out
    }

    private func checklistLines(_ checklist: [String: JSONValue], category: String) -> [String] {
        guard !checklist.isEmpty else { return ["    checklist: {}"] }
        let order = rubric?.category(category)?.criteria.map(\.id) ?? []
        let known = order.filter { checklist[$0] != nil }
        let rest = checklist.keys.filter { !order.contains($0) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var out = ["    checklist:"]
        for id in known + rest {
            guard let answer = checklist[id] else { continue }
            out.append("      \(Self.key(id)): \(Self.answer(answer))")
        }
        return out
    }

    /// The rubric's category keys in rubric order, as `Ratings` names them.
    static let categoryKeys = ["software", "specification", "dataset", "metrics", "reference_solution", "documentation"]

    private static func isEmpty(_ ratings: Ratings) -> Bool { categoryKeys.allSatisfy { ratings[$0] == nil } }

    private static func links(_ key: String, _ links: Links) -> [String] {
        var out = ["\(key):", "  links:" + (links.links.isEmpty ? " []" : "")]
        for link in links.links {
            out += scalar("name", link.name, indent: 2).map { "  - " + $0.dropFirst(2) }
            out += scalar("url", link.url, indent: 4)
        }
        return out
    }

    private static func scalar(_ key: String, _ value: String, indent: Int) -> [String] {
        [String(repeating: " ", count: indent) + "\(Self.key(key)): \(quoted(value))"]
    }

    private static func list(_ key: String, _ values: [String], indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        guard !values.isEmpty else { return [pad + "\(key): []"] }
        return [pad + "\(key):"] + values.flatMap { item($0, indent: indent, prose: false) }
    }

    /// A list item at `indent`: a quoted scalar, or for prose a `|` block whose text is indented two more.
    private static func item(_ value: String, indent: Int, prose: Bool) -> [String] {
        let pad = String(repeating: " ", count: indent)
        guard prose, let lines = blockLines(value) else { return [pad + "- " + quoted(value)] }
        return [pad + "- |"] + lines.map { $0.isEmpty ? "" : pad + "  " + $0 }
    }

    /// `key: |` and the text indented two more, or a quoted scalar when a `|` block cannot hold the text as it is.
    private static func block(_ key: String, _ value: String, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        guard let lines = blockLines(value) else { return scalar(key, value, indent: indent) }
        return [pad + "\(key): |"] + lines.map { $0.isEmpty ? "" : pad + "  " + $0 }
    }

    /// The lines of a text a plain `|` block gives back unchanged: one final newline, no leading space on its first
    /// line (that would need an indentation indicator), only printable characters and no carriage return.
    static func blockLines(_ text: String) -> [String]? {
        guard text.hasSuffix("\n"), !text.hasSuffix("\n\n"), let first = text.first, first != " ", first != "\n",
              text.unicodeScalars.allSatisfy({ $0 == "\n" || !isControl($0) })
        else { return nil }
        return text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// A double-quoted scalar; characters outside ASCII stay as they are, so the validator reports them.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if isControl(scalar) {
                    out += "\\u" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A mapping key: plain when it is made of letters, digits, `_` and `-`, else quoted.
    private static func key(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-")
        } && text.first != "-"
        return plain ? text : quoted(text)
    }

    /// A checklist answer: a quoted word or a number.
    private static func answer(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return quoted(text)
        case .integer(let number): return String(number)
        case .number(let number): return RatingsCheck.text(number)
        case .bool(let flag): return flag ? "true" : "false"
        default: return "\"unknown\""
        }
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
            || scalar == "\u{FEFF}"
    }
}
