import Foundation
import StageKit

/// `ontology.register`: each input file is one benchmark entry (`Data/ontology/<slug>.yaml`), checked and rated;
/// an entry with errors, or whose file is not named after it, is a reject.
public struct OntologyRegisterStage: Stage {
    public static let kind = "ontology.register"
    public static let summary = "check and rate MLCommons Science benchmark entries (one YAML entry per file, id = its slug)"
    public static let parametersSchema = "ontology.register.params"
    /// The module's schemas; the rubric is data, not a schema, and stays out of the schema library.
    public static var schemaFiles: [SchemaFile] {
        SchemaFile.list(EmbeddedSchemas.files).filter { $0.name.hasSuffix(".schema.json") }
    }
    public static var accepts: AcceptedInputs { .files }

    /// The parameters of an `ontology.register` stage; the defaults are the initial values below.
    public struct Parameters: Sendable, Equatable, Decodable {
        public var maxEntryBytes = 1 << 20
        public var warningsAsErrors = false

        enum CodingKeys: String, CodingKey {
            case maxEntryBytes = "max_entry_bytes", warningsAsErrors = "warnings_as_errors"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            maxEntryBytes = try container.decodeIfPresent(Int.self, forKey: .maxEntryBytes) ?? maxEntryBytes
            warningsAsErrors = try container.decodeIfPresent(Bool.self, forKey: .warningsAsErrors) ?? warningsAsErrors
        }
    }

    let parameters: Parameters
    let validator: OntologyValidator

    public init(parameters: Parameters, setup: StageSetup) throws {
        self.parameters = parameters
        validator = try OntologyValidator()
    }

    public var streams: [StreamSpec] { [StreamSpec(name: "main", schema: "ontology-record")] }

    public func map(_ item: InputItem, into output: some MapContext) throws {
        let file: EntryFile
        do {
            let bytes = try item.content(limit: parameters.maxEntryBytes)
            guard let text = String(validating: bytes, as: UTF8.self) else {
                try output.reject(.error, code: "yaml.encoding", reason: "the entry file is not valid UTF-8")
                return
            }
            file = try EntryFile(text: text, path: item.locator)
        } catch let error as PipeError {
            try output.reject(.error, code: error.code, reason: error.message, line: error.location?.line)
            return
        }
        let report = validator.checkEntryFile(file)
        let blocking = report.diagnostics.filter { $0.severity == .error || parameters.warningsAsErrors }
        if !blocking.isEmpty || report.entries.count != 1 {
            let listed = blocking.prefix(5).map { "\($0.location.line.map { "\($0):" } ?? "")\($0.location.column.map { "\($0): " } ?? " ")\($0.message) [\($0.code)]" }
            let more = blocking.count > 5 ? "; and \(blocking.count - 5) more" : ""
            try output.reject(.error, code: "ontology.invalid",
                              reason: "\(blocking.count) problem(s): " + listed.joined(separator: "; ") + more,
                              line: blocking.first?.location.line)
            return
        }
        guard let entry = report.entries.first else { return }
        let model: OntologyEntry
        do {
            model = try OntologyEntry(entry.value)
        } catch let error as PipeError {
            try output.reject(.error, code: error.code, reason: error.message)
            return
        }
        let id = model.slug
        let fileName = (item.locator as NSString).lastPathComponent
        guard !id.isEmpty, fileName == id + ".yaml" else {
            try output.reject(.error, code: "ontology.file_name",
                              reason: "the entry '\(model.name)' must be in a file named \(id.isEmpty ? "after its name" : id + ".yaml"), not \(fileName)")
            return
        }
        try output.emit(OntologyRecord(id: id, name: model.name, file: fileName, entry: entry.value,
                                       ratings: entry.ratings.json, warnings: entry.warnings.map(\.json)))
    }
}

/// A registered entry as written to the `main` stream (`Schemas/Ontology/ontology-record.schema.json`).
struct OntologyRecord: Encodable {
    var id: String
    var name: String
    var file: String
    var entry: JSONValue
    var ratings: JSONValue
    var warnings: [JSONValue]

    enum CodingKeys: String, CodingKey {
        case id, name, file, entry, ratings, warnings
    }
}
