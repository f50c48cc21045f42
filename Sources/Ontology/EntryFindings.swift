import Foundation
import StageKit

/// The findings about one entry while it is checked: each is located in the file from the field it is about.
struct EntryFindings {
    let file: EntryFile
    /// The entry's pointer in the document: "" for a file holding one entry, "/3" for the fourth of a catalogue.
    let base: String
    private(set) var diagnostics: [OntologyDiagnostic] = []

    init(file: EntryFile, base: String) {
        self.file = file
        self.base = base
    }

    /// Where `field` (a pointer within the entry) is in the file; its key's position when `key`.
    func location(_ field: String, key: Bool = false) -> SourceLocation {
        file.location(base + field, key: key)
    }

    /// Adds a finding located at `field` (or at `location` when the field's own position is not the right place).
    mutating func add(_ code: String, _ severity: Severity, field: String, _ message: String, key: Bool = false,
                      at location: SourceLocation? = nil) {
        diagnostics.append(OntologyDiagnostic(code, severity, field: field, message,
                                              at: location ?? self.location(field, key: key)))
    }

    mutating func append(_ diagnostic: OntologyDiagnostic) { diagnostics.append(diagnostic) }

    /// Whether a finding of our own is already about `field`: a schema issue there would say the same less well.
    func covers(_ field: String) -> Bool { diagnostics.contains { $0.field == field } }
}

/// JSON pointer tokens as RFC 6901 writes them.
enum Pointer {
    static func token(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return key }
        return key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    static func child(_ pointer: String, _ key: String) -> String { pointer + "/" + token(key) }

    static func child(_ pointer: String, _ index: Int) -> String { pointer + "/\(index)" }
}
