import StageKit

/// Every template key present, and no key the template does not know, at every level of an entry. The
/// template is the entry schema's own `required` and `properties`, so the two never disagree; keys are
/// reported here rather than by the schema so that a missing one points at the mapping that lacks it.
struct TemplateCheck {
    let schema: JSONValue

    /// The keys of an entry in template order (the top-level `required` list).
    var topLevelKeys: [String] { schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    func check(_ entry: JSONValue, into findings: inout EntryFindings) {
        walk(entry, schema: schema, pointer: "", into: &findings)
    }

    private func walk(_ value: JSONValue, schema node: JSONValue, pointer: String, into findings: inout EntryFindings) {
        let node = resolve(node)
        switch value {
        case .object(let members):
            let properties = node["properties"]?.objectValue ?? [:]
            let required = node["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
            for name in required where members[name] == nil {
                let parent = pointer.isEmpty ? "the entry" : "'\(String(pointer.dropFirst()))'"
                findings.add("ontology.missing_key", .error, field: Pointer.child(pointer, name),
                             "\(parent) has no '\(name)' key: every template key must be present (write \"unknown\" when the value is not known)",
                             at: findings.location(pointer))
            }
            // A mapping whose members the schema types as a whole (`additionalProperties`) has no fixed keys.
            let open = node["additionalProperties"] != nil || properties.isEmpty
            for key in members.keys.sorted() {
                let child = Pointer.child(pointer, key)
                if let schema = properties[key] {
                    if let member = members[key] { walk(member, schema: schema, pointer: child, into: &findings) }
                } else if !open {
                    findings.add("ontology.unknown_key", .warning, field: child,
                                 "'\(key)' is not a template key\(DidYouMean.phrase(for: key, among: properties.keys.sorted(), prefixes: true)); upstream reports it and keeps the entry",
                                 key: true)
                }
            }
        case .array(let elements):
            guard let items = node["items"] else { return }
            for (index, element) in elements.enumerated() {
                walk(element, schema: items, pointer: Pointer.child(pointer, index), into: &findings)
            }
        default:
            return
        }
    }

    /// Follows local `$ref`s (`#/$defs/name`), as the entry schema uses them; the annotation keywords next to a
    /// `$ref` do not matter here.
    private func resolve(_ node: JSONValue) -> JSONValue {
        var current = node
        var hops = 0
        while let reference = current["$ref"]?.stringValue, reference.hasPrefix("#/$defs/"), hops < 16 {
            let name = String(reference.dropFirst("#/$defs/".count))
            guard let target = schema["$defs"]?[name] else { return current }
            current = target
            hops += 1
        }
        return current
    }
}
