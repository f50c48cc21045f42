import Dispatch
import Foundation
import JSONSchema
import Readers
import StageKit
import Synchronization

/// Validates MLCommons Science benchmark entries completely: the entry schema, upstream's conventions (every
/// template key, "unknown" rather than empty, ASCII only, dates, URLs, BibTeX), the taxonomy, and the ratings
/// against the rubric. Every finding is a located `OntologyDiagnostic`.
public struct OntologyValidator: Sendable {
    public let rubric: Rubric
    public let taxonomy: Taxonomy
    let schema: SchemaCheck
    let template: TemplateCheck

    /// The validator with pipe's embedded schema and rubric; throws `internal` if they are broken (a build defect).
    public init() throws {
        guard let file = EmbeddedSchemas.files.first(where: { $0.name == Self.schemaFile }) else {
            throw PipeError("internal", "\(Self.schemaFile) is not embedded")
        }
        let document = try JSONParser.parse(Array(file.text.utf8))
        do {
            schema = SchemaCheck(schema: try JSONSchema(document))
        } catch {
            throw PipeError("internal", "\(Self.schemaFile) does not compile: \(error)")
        }
        template = TemplateCheck(schema: document)
        taxonomy = Taxonomy(schema: document)
        rubric = try Rubric.embedded()
    }

    /// The embedded schema's file name; its stem, `ontology-entry`, is what `--schema` takes.
    public static let schemaFile = "ontology-entry.schema.json"
    public static let schemaName = "ontology-entry"

    /// The 29 template keys in template order.
    public var templateKeys: [String] { template.topLevelKeys }

    /// Checks a file that holds one entry: a mapping, or a list of exactly one (the catalogue's form).
    public func checkEntryFile(_ file: EntryFile) -> ValidationReport {
        let root = file.document.value
        switch root {
        case .object:
            return report(file, bases: [""])
        case .array(let elements) where elements.count == 1:
            return report(file, bases: ["/0"])
        case .array(let elements):
            return ValidationReport(path: file.path, problems: [OntologyDiagnostic(
                "ontology.not_one_entry", .error, field: "",
                "the file holds \(elements.count) entries, not one: check it with --catalog", at: file.location(""))])
        default:
            return ValidationReport(path: file.path, problems: [OntologyDiagnostic(
                "ontology.not_mapping", .error, field: "", "the file is a \(root.typeName), not an entry (a mapping of the template's keys)",
                at: file.location(""))])
        }
    }

    /// Checks a catalogue: a YAML list of entries, each checked on its own.
    public func checkCatalog(_ file: EntryFile) -> ValidationReport {
        guard case .array(let elements) = file.document.value else {
            let hint = file.document.value.objectValue != nil ? ": it holds one entry (check it with --schema ontology-entry)" : ""
            return ValidationReport(path: file.path, problems: [OntologyDiagnostic(
                "ontology.not_catalog", .error, field: "", "a catalogue is a YAML list of entries, not a \(file.document.value.typeName)\(hint)",
                at: file.location(""))])
        }
        return report(file, bases: elements.indices.map { "/\($0)" })
    }

    /// The largest catalogue read; entries are parsed one at a time, each within `YAMLDocument`'s caps.
    public static let maxCatalogBytes = 1 << 30

    /// Checks a catalogue given as text: entry by entry when it is a plain block list (an entry whose YAML does not
    /// parse is invalid and the others are still checked), else as one document.
    /// Without `keepingValues` the reports hold no entry values (`.null`), so memory stays with the diagnostics.
    public func checkCatalog(text: String, path: String, keepingValues: Bool = true) -> ValidationReport {
        guard let chunks = CatalogSplitter.entries(in: text) else {
            do {
                return checkCatalog(try EntryFile(text: text, path: path))
            } catch {
                return Self.unreadable(error, path: path)
            }
        }
        // Entries are independent: they are checked on every core, and put back in file order.
        let parts = Mutex<[ValidationReport]>(Array(repeating: ValidationReport(path: path), count: chunks.count))
        DispatchQueue.concurrentPerform(iterations: chunks.count) { index in
            var part = checkChunk(chunks[index], index: index, path: path)
            if !keepingValues {
                for position in part.entries.indices { part.entries[position].value = .null }
            }
            parts.withLock { $0[index] = part }
        }
        var result = ValidationReport(path: path)
        for part in parts.withLock({ $0 }) {
            result.entries += part.entries
            result.problems += part.problems
        }
        return result
    }

    /// One entry cut from a catalogue, reported as the catalogue's entry `index`.
    private func checkChunk(_ chunk: CatalogSplitter.Chunk, index: Int, path: String) -> ValidationReport {
        do {
            let file = try EntryFile(text: chunk.text, path: path, firstLine: chunk.firstLine)
            var part = report(file, bases: ["/0"], firstIndex: index)
            for position in part.entries.indices { part.entries[position].pointer = "/\(index)" }
            return part
        } catch {
            let problem = Self.unreadable(error, path: path).problems
            return ValidationReport(path: path, entries: [EntryReport(
                name: "entry \(index + 1)", pointer: "/\(index)", diagnostics: problem,
                ratings: RatingSummary(declared: [], computed: []), value: .null)])
        }
    }

    /// Reads a file and checks it; a file that cannot be read or parsed gives a report with that problem. A
    /// catalogue's reports keep no entry values.
    public func check(path: String, catalog: Bool) -> ValidationReport {
        do {
            if catalog {
                let bytes = try FileSystem.read(path, limit: Self.maxCatalogBytes)
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw PipeError("yaml.encoding", "file is not valid UTF-8", at: SourceLocation(file: path))
                }
                return checkCatalog(text: text, path: path, keepingValues: false)
            }
            return checkEntryFile(try EntryFile(contentsOf: path))
        } catch {
            return Self.unreadable(error, path: path)
        }
    }

    /// A report whose one problem is why the file (or an entry of it) could not be read.
    static func unreadable(_ error: any Error, path: String) -> ValidationReport {
        switch error {
        case let error as PipeError:
            return ValidationReport(path: path, problems: [OntologyDiagnostic(
                error.code, .error, field: "", error.message, at: error.location ?? SourceLocation(file: path))])
        default:
            return ValidationReport(path: path, problems: [OntologyDiagnostic(
                "internal", .error, field: "", "\(error)", at: SourceLocation(file: path))])
        }
    }

    /// The entries at `bases`, with the findings about the whole text (characters, aliases) handed to the entry
    /// they fall in.
    private func report(_ file: EntryFile, bases: [String], firstIndex: Int = 0) -> ValidationReport {
        var result = ValidationReport(path: file.path)
        let characters = ASCIICheck.scan(file)
        func owner(_ pointer: String) -> String? {
            bases.first { $0.isEmpty || pointer == $0 || pointer.hasPrefix($0 + "/") }
        }
        var textFindings: [String: [OntologyDiagnostic]] = [:]
        for finding in characters {
            guard let base = owner(finding.pointer) else {
                result.problems.append(ASCIICheck.diagnostic(finding, base: "", file: file))
                continue
            }
            textFindings[base, default: []].append(ASCIICheck.diagnostic(finding, base: base, file: file))
        }
        for alias in file.document.aliases {
            let diagnostic = { (base: String) in
                OntologyDiagnostic("ontology.yaml_alias", .error, field: String(alias.pointer.dropFirst(base.count)),
                                   "the YAML alias *\(alias.anchor) repeats another value: write the value out (upstream's tools and reviewers read entries as text)",
                                   at: file.shifted(alias.location))
            }
            if let base = owner(alias.pointer) {
                textFindings[base, default: []].append(diagnostic(base))
            } else {
                result.problems.append(diagnostic(""))
            }
        }
        for (index, base) in bases.enumerated() {
            result.entries.append(checkEntry(file, base: base, index: firstIndex + index, textFindings: textFindings[base] ?? []))
        }
        result.problems.sort(by: OntologyDiagnostic.inFileOrder)
        return result
    }

    /// One entry: every check, in an order where the more specific ones come first (the schema's issues about a
    /// field they explained are then dropped).
    func checkEntry(_ file: EntryFile, base: String, index: Int, textFindings: [OntologyDiagnostic]) -> EntryReport {
        let value = (try? file.document.value.at(pointer: base)) ?? .null
        let name = value["name"]?.stringValue.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 } ?? "entry \(index + 1)"
        var findings = EntryFindings(file: file, base: base)
        guard case .object = value else {
            findings.add("ontology.not_mapping", .error, field: "",
                         "entry \(index + 1) is a \(value.typeName), not a mapping of the template's keys")
            return EntryReport(name: name, pointer: base, diagnostics: findings.diagnostics,
                               ratings: RatingSummary(declared: [], computed: []), value: value)
        }
        for finding in textFindings { findings.append(finding) }
        template.check(value, into: &findings)
        EmptyValueCheck.check(value, into: &findings)
        DateCheck.check(value, into: &findings)
        URLCheck.check(value, into: &findings)
        FieldValueCheck.check(value, into: &findings)
        CiteCheck.check(value, into: &findings)
        TaxonomyCheck(taxonomy: taxonomy).check(value, into: &findings)
        let ratings = RatingsCheck(rubric: rubric).check(value, into: &findings)
        schema.check(value, into: &findings)
        return EntryReport(name: name, pointer: base,
                           diagnostics: findings.diagnostics.sorted(by: OntologyDiagnostic.inFileOrder),
                           ratings: ratings, value: value)
    }
}

extension JSONValue {
    /// The value at a JSON pointer made of object keys and array indices.
    func at(pointer: String) throws -> JSONValue {
        guard !pointer.isEmpty else { return self }
        var current = self
        for token in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object(let members):
                guard let next = members[key] else { throw PipeError("internal", "no member \(key)") }
                current = next
            case .array(let elements):
                guard let index = Int(key), elements.indices.contains(index) else { throw PipeError("internal", "no element \(key)") }
                current = elements[index]
            default:
                throw PipeError("internal", "\(pointer) goes through a \(current.typeName)")
            }
        }
        return current
    }
}
