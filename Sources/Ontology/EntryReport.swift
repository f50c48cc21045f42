import StageKit

/// What the validator found about one entry: its diagnostics in file order and its ratings.
public struct EntryReport: Sendable, Equatable {
    /// The entry's `name`, or `entry N` when it has none.
    public var name: String
    /// The entry's pointer in its file ("" for a file of one entry, "/3" in a catalogue).
    public var pointer: String
    public var diagnostics: [OntologyDiagnostic]
    public var ratings: RatingSummary
    /// The entry as read.
    public var value: JSONValue

    public var errors: [OntologyDiagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [OntologyDiagnostic] { diagnostics.filter { $0.severity == .warning } }
    /// No errors (warnings allowed).
    public var valid: Bool { !diagnostics.contains { $0.severity == .error } }

    /// The form `--format json` lists under `entries`.
    public var json: JSONValue {
        .object([
            "name": .string(name),
            "valid": .bool(valid),
            "errors": .array(errors.map(\.json)),
            "warnings": .array(warnings.map(\.json)),
            "ratings": ratings.json,
        ])
    }
}

/// What the validator found in one file: every entry's report, and the problems that belong to no entry (a
/// file that is not YAML, a catalogue that is not a list).
public struct ValidationReport: Sendable, Equatable {
    public var path: String
    public var entries: [EntryReport]
    public var problems: [OntologyDiagnostic]

    public init(path: String, entries: [EntryReport] = [], problems: [OntologyDiagnostic] = []) {
        self.path = path
        self.entries = entries
        self.problems = problems
    }

    public var valid: Bool { !problems.contains { $0.severity == .error } && entries.allSatisfy(\.valid) }

    /// Every diagnostic of the file, in file order.
    public var diagnostics: [OntologyDiagnostic] {
        (problems + entries.flatMap(\.diagnostics)).sorted(by: OntologyDiagnostic.inFileOrder)
    }

    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }

    /// One line: `3 entries: 2 valid, 1 invalid; 4 errors, 1 warning`.
    public var summary: String {
        let validCount = entries.filter(\.valid).count
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        let entryWord = entries.count == 1 ? "entry" : "entries"
        return "\(entries.count) \(entryWord): \(validCount) valid, \(entries.count - validCount) invalid; "
            + "\(plural(errorCount, "error")), \(plural(warningCount, "warning"))"
    }

    /// `{"entries": [...], "valid": bool}`, plus `problems` when some belong to no entry.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["entries": .array(entries.map(\.json)), "valid": .bool(valid)]
        if !problems.isEmpty { object["problems"] = .array(problems.map(\.json)) }
        return .object(object)
    }
}
