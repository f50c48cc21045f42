import StageKit

/// How serious an ontology finding is: an error makes the entry invalid; a warning is reported and the entry stays valid.
public enum Severity: String, Sendable, Codable, Equatable {
    case error
    case warning
}

/// One finding about a benchmark entry: a stable code (README, "Ontology diagnostics"), its severity, the field
/// at fault (a JSON pointer within the entry, "" for the entry itself), a message and its place in the file.
public struct OntologyDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var severity: Severity
    public var field: String
    public var message: String
    public var location: SourceLocation

    public init(_ code: String, _ severity: Severity, field: String, _ message: String, at location: SourceLocation) {
        self.code = code
        self.severity = severity
        self.field = field
        self.message = message
        self.location = location
    }

    /// Compiler-style text: `path:line:col: error|warning: message [code]`.
    public var description: String {
        "\(location.prefix): \(severity.rawValue): \(message) [\(code)]"
    }

    /// The object `--format json` lists under an entry's `errors` or `warnings`.
    public var json: JSONValue {
        .object([
            "line": location.line.map { .integer(Int64($0)) } ?? .null,
            "column": location.column.map { .integer(Int64($0)) } ?? .null,
            "field": .string(field),
            "code": .string(code),
            "severity": .string(severity.rawValue),
            "message": .string(message),
        ])
    }

    /// The form `--log-format json` prints on stderr, like `PipeError.json` with the severity as level.
    public var logJSON: JSONValue {
        var object: [String: JSONValue] = ["level": .string(severity.rawValue), "code": .string(code),
                                           "message": .string(message), "file": .string(location.file),
                                           "field": .string(field)]
        if let line = location.line { object["line"] = .integer(Int64(line)) }
        if let column = location.column { object["column"] = .integer(Int64(column)) }
        return .object(object)
    }

    /// Orders findings as a reader meets them: by line, column, then code and field.
    static func inFileOrder(_ lhs: OntologyDiagnostic, _ rhs: OntologyDiagnostic) -> Bool {
        (lhs.location.line ?? 0, lhs.location.column ?? 0, lhs.code, lhs.field, lhs.message)
            < (rhs.location.line ?? 0, rhs.location.column ?? 0, rhs.code, rhs.field, rhs.message)
    }
}
