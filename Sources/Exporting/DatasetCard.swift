import StageKit
/// Renders an export's dataset card (`README.md`): Hugging Face YAML front matter, so the Hub and
/// `datasets.load_dataset(folder)` find the splits, then a Markdown description for people.
public enum DatasetCard {
    /// The card text, ending with a newline; the same description always gives the same bytes.
    public static func render(_ d: ExportDescription) -> String {
        var lines: [String] = []
        frontMatter(d, into: &lines)
        lines.append("")
        lines.append("# \(singleLine(d.name))")
        lines.append("")
        if !d.description.isEmpty {
            lines.append(d.description.trimmingTrailingNewlines())
            lines.append("")
        }
        splitsSection(d, into: &lines)
        fieldsSection(d, into: &lines)
        filesSection(d, into: &lines)
        provenanceSection(d, into: &lines)
        licenseSection(d, into: &lines)
        lines.append("## Citation")
        lines.append("")
        lines.append("```bibtex")
        lines.append(d.citationText.trimmingTrailingNewlines())
        lines.append("```")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func frontMatter(_ d: ExportDescription, into lines: inout [String]) {
        let hubLicense = ExportLicense.huggingFaceID(d.license)
        lines.append("---")
        lines.append("license: \(hubLicense)")
        if hubLicense == "other" {
            lines.append("license_name: \(yamlQuoted(d.license.lowercased()))")
            if let link = ExportLicense.spdxURL(d.license) { lines.append("license_link: \(yamlQuoted(link))") }
        }
        lines.append("pretty_name: \(yamlQuoted(d.name))")
        lines.append("configs:")
        lines.append("- config_name: default")
        lines.append("  data_files:")
        let splits = d.orderedSplits
        if splits.isEmpty {
            // The Hub calls a split-less dataset's only split `train`.
            lines.append("  - split: train")
            lines.append("    path: \(yamlQuoted("data/*"))")
        }
        for split in splits {
            lines.append("  - split: \(yamlQuoted(split))")
            lines.append("    path: \(yamlQuoted("data/\(split)-*"))")
        }
        lines.append("---")
    }

    private static func splitsSection(_ d: ExportDescription, into lines: inout [String]) {
        lines.append("## Splits")
        lines.append("")
        lines.append("| split | records | files |")
        lines.append("|---|---:|---:|")
        for split in d.orderedSplits {
            let records = d.splits[split] ?? d.files.filter { $0.split == split }.reduce(0) { $0 &+ ($1.records ?? 0) }
            let files = d.files.filter { $0.split == split }.count
            lines.append("| \(cell(split)) | \(records) | \(files) |")
        }
        lines.append("| **total** | \(d.totalRecords) | \(d.files.count) |")
        lines.append("")
        if d.orderedSplits.count > 1 {
            lines.append("Records are split by a stable hash of a grouping key, so related records never straddle splits.")
            lines.append("")
        }
    }

    private static func fieldsSection(_ d: ExportDescription, into lines: inout [String]) {
        lines.append("## Fields")
        lines.append("")
        lines.append("Each line of a data shard is one JSON record following the schema `\(codeSpan(d.recordSchemaName))`; "
            + "`\(codeSpan(d.idField))` identifies a record.")
        lines.append("")
        let properties = RecordSchemaReader.properties(of: d.recordSchema)
        if properties.isEmpty {
            lines.append("The schema lists no fields.")
            lines.append("")
            return
        }
        let required = Set((d.recordSchema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        lines.append("| field | type | required | description |")
        lines.append("|---|---|---|---|")
        for property in properties {
            let description = property.schema["description"]?.stringValue ?? ""
            lines.append(
                "| `\(cell(codeSpan(property.name)))` | \(cell(RecordSchemaReader.typeText(of: property.schema))) | "
                    + "\(required.contains(property.name) ? "yes" : "no") | \(cell(description)) |")
        }
        lines.append("")
        let omitted = CroissantBuilder.omittedProperties(d)
        if !omitted.isEmpty {
            let names = omitted.map { "`\(codeSpan($0))`" }.joined(separator: ", ")
            lines.append("`croissant.json` leaves out \(names): no Croissant type that `mlcroissant` can load fits "
                + "(free-form objects, untyped values, names a JSONPath cannot spell), or no record has the field.")
            lines.append("")
        }
    }

    private static func filesSection(_ d: ExportDescription, into lines: inout [String]) {
        lines.append("## Files")
        lines.append("")
        let compression = d.shardSuffix == ".jsonl" ? "uncompressed" : d.compression
        lines.append("Data shards are JSON Lines (\(compression)). `manifest.json` lists the same files for machines, "
            + "`croissant.json` describes the dataset in Croissant 1.1.")
        lines.append("")
        lines.append("| path | split | records | bytes | sha256 |")
        lines.append("|---|---|---:|---:|---|")
        for file in sortedByPath(d.files) {
            lines.append("| `\(cell(codeSpan(file.path)))` | \(cell(file.split ?? "")) | "
                + "\(file.records.map(String.init) ?? "") | \(file.bytes) | `\(cell(codeSpan(file.sha256)))` |")
        }
        lines.append("")
        guard !d.artifacts.isEmpty else { return }
        lines.append("Artifacts of the run:")
        lines.append("")
        lines.append("| path | bytes | sha256 |")
        lines.append("|---|---:|---|")
        for file in sortedByPath(d.artifacts) {
            lines.append("| `\(cell(codeSpan(file.path)))` | \(file.bytes) | `\(cell(codeSpan(file.sha256)))` |")
        }
        lines.append("")
    }

    private static func provenanceSection(_ d: ExportDescription, into lines: inout [String]) {
        let p = d.provenance
        lines.append("## Provenance")
        lines.append("")
        lines.append("- pipeline: `\(codeSpan(p.pipeline))` (`\(codeSpan(p.pipelineFile))`)")
        lines.append("- stage: `\(codeSpan(p.stage))` of kind `\(codeSpan(p.kind))`")
        lines.append("- run: `\(codeSpan(p.runID))`")
        lines.append("- pipe version: `\(codeSpan(p.pipeVersion))`")
        if let date = d.datePublished { lines.append("- published: \(singleLine(date))") }
        lines.append("- version: \(singleLine(d.effectiveVersion))")
        lines.append("")
        lines.append("Parameters:")
        lines.append("")
        lines.append("```json")
        lines.append(JSONWriter.pretty(p.params))
        lines.append("```")
        lines.append("")
        if !p.inputs.isEmpty {
            lines.append("| input | sha256 |")
            lines.append("|---|---|")
            let inputs = p.inputs.sorted { $0.locator.utf8.lexicographicallyPrecedes($1.locator.utf8) }
            for input in inputs {
                lines.append("| `\(cell(codeSpan(input.locator)))` | `\(cell(codeSpan(input.sha256)))` |")
            }
            lines.append("")
        }
        if !p.upstream.isEmpty {
            lines.append("| upstream stage | run |")
            lines.append("|---|---|")
            for stage in p.upstream.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                lines.append("| `\(cell(codeSpan(stage)))` | `\(cell(codeSpan(p.upstream[stage] ?? "")))` |")
            }
            lines.append("")
        }
    }

    private static func licenseSection(_ d: ExportDescription, into lines: inout [String]) {
        lines.append("## License")
        lines.append("")
        if let link = ExportLicense.spdxURL(d.license) {
            lines.append("[\(singleLine(d.license))](\(link))")
        } else {
            lines.append(singleLine(d.license))
        }
        if let creator = d.creator { lines.append(contentsOf: ["", "Created by \(singleLine(creator))."]) }
        if let url = d.url { lines.append(contentsOf: ["", "Home: <\(singleLine(url))>"]) }
        lines.append("")
    }

    private static func sortedByPath(_ files: [ExportedFile]) -> [ExportedFile] {
        files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// A table cell holds one line, and a bare `|` would end it.
    private static func cell(_ text: String) -> String {
        singleLine(text).replacingAll("|", with: "\\|")
    }

    /// A backtick would close a code span early; a plain quote reads the same.
    private static func codeSpan(_ text: String) -> String {
        text.replacingAll("`", with: "'")
    }

    private static func singleLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// A YAML double-quoted scalar; characters YAML does not allow raw are escaped.
    static func yamlQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                let value = scalar.value
                let printable = (value >= 0x20 && value < 0x7F) || (value >= 0xA0 && value != 0x2028 && value != 0x2029
                    && value != 0xFEFF && !(0xD800...0xDFFF).contains(value) && value != 0xFFFE && value != 0xFFFF)
                if printable {
                    out.unicodeScalars.append(scalar)
                } else if value <= 0xFFFF {
                    out += "\\u" + hex(value, digits: 4)
                } else {
                    out += "\\U" + hex(value, digits: 8)
                }
            }
        }
        return out + "\""
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = Substring(self)
        while let last = text.last, last.isNewline { text = text.dropLast() }
        return String(text)
    }

    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self {
            if character == target { out += replacement } else { out.append(character) }
        }
        return out
    }
}
