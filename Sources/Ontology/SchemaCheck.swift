import JSONSchema
import StageKit

/// The entry schema (`Schemas/Ontology/ontology-entry.schema.json`): types and conditions. Its `required`
/// issues are left to `TemplateCheck`, and an issue about a field another check already explained is dropped,
/// so that one problem gives one diagnostic.
struct SchemaCheck {
    let schema: JSONSchema

    func check(_ entry: JSONValue, into findings: inout EntryFindings) {
        for issue in schema.validate(entry, maxIssues: 200) where !issue.schemaPath.hasSuffix("/required") {
            guard !findings.covers(issue.instancePath) else { continue }
            let field = issue.instancePath.isEmpty ? "the entry" : "'\(issue.instancePath.dropFirst())'"
            findings.add("ontology.schema", .error, field: issue.instancePath, "\(field): \(issue.message)")
        }
    }
}
