import StageKit

/// "unknown" rather than empty: upstream's conventions write missing information as the literal "unknown",
/// never an empty value or null, and its structure check flags the placeholders below.
enum EmptyValueCheck {
    /// Values `generate.py --check_structure` flags as placeholders (`"unknown"` is the accepted one).
    static let placeholders: Set<String> = ["None", "none", "TODO", "unkown", "UNKOWN", "N/A", "na", "n/a", "null", "NULL"]

    static func check(_ entry: JSONValue, into findings: inout EntryFindings) {
        walk(entry, pointer: "", into: &findings)
    }

    private static func walk(_ value: JSONValue, pointer: String, into findings: inout EntryFindings) {
        switch value {
        case .null:
            findings.add("ontology.empty", .error, field: pointer, "\(name(pointer)) has no value: write \"unknown\"")
        case .string(let text):
            if text.allSatisfy(\.isWhitespace) {
                findings.add("ontology.empty", .error, field: pointer, "\(name(pointer)) is empty: write \"unknown\"")
            } else if placeholders.contains(text.trimmingWhitespace) {
                findings.add("ontology.placeholder", .error, field: pointer,
                             "\(name(pointer)) is the placeholder \"\(text.trimmingWhitespace)\": write \"unknown\"")
            }
        case .array(let elements):
            if elements.isEmpty {
                findings.add("ontology.empty", .error, field: pointer, "\(name(pointer)) is an empty list: give at least one value, or \"unknown\"")
            }
            for (index, element) in elements.enumerated() {
                walk(element, pointer: Pointer.child(pointer, index), into: &findings)
            }
        case .object(let members):
            // An empty `ratings` means "not rated yet", which the ratings check reports as such.
            if members.isEmpty, pointer != "/ratings" {
                findings.add("ontology.empty", .error, field: pointer, "\(name(pointer)) is an empty mapping")
            }
            for key in members.keys.sorted() {
                if let member = members[key] { walk(member, pointer: Pointer.child(pointer, key), into: &findings) }
            }
        case .bool, .integer, .number:
            return
        }
    }

    /// `'notes'`, `'cite/0'`.
    static func name(_ pointer: String) -> String { pointer.isEmpty ? "the entry" : "'\(pointer.dropFirst())'" }
}

extension String {
    /// The text without leading and trailing whitespace and newlines.
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
