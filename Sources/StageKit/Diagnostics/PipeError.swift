/// Where in an input a problem was found: a file with an optional line and column, or a record.
public struct SourceLocation: Sendable, Equatable {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var recordID: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, recordID: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.recordID = recordID
    }

    /// `path:line:col` as compilers print it, leaving out what is unknown.
    public var prefix: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        if let recordID { text += " (record \(recordID))" }
        return text
    }
}

/// A failure pipe reports to its user: a stable code, a message, and where it happened.
///
/// Codes are documented in README.md ("Error codes"); scripts may match on them.
public struct PipeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var location: SourceLocation?
    /// Further lines printed after the message (one per extra finding).
    public var notes: [String]
    /// The JSON pointer of the configuration value at fault, within the stage's `params` (`/minhash/bands`):
    /// the engine turns it into a location in the pipeline file.
    public var field: String?

    public init(_ code: String, _ message: String, at location: SourceLocation? = nil, notes: [String] = [],
                field: String? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.notes = notes
        self.field = field
    }

    /// Compiler-style text: `path:line:col: error: message [code]`.
    public var description: String {
        var text = ""
        if let location { text += location.prefix + ": " }
        text += "error: \(message) [\(code)]"
        for note in notes { text += "\n  note: \(note)" }
        return text
    }

    /// The machine-readable form used by `--log-format json`.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["level": "error", "code": .string(code), "message": .string(message)]
        if let location {
            object["file"] = .string(location.file)
            if let line = location.line { object["line"] = .integer(Int64(line)) }
            if let column = location.column { object["column"] = .integer(Int64(column)) }
            if let record = location.recordID { object["record"] = .string(record) }
        }
        if !notes.isEmpty { object["notes"] = .array(notes.map { .string($0) }) }
        return .object(object)
    }
}

/// Several configuration errors found in one pass, so the user can fix them all at once.
public struct PipeErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [PipeError]

    public init(_ errors: [PipeError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
