/// One BibTeX entry, `@type{key, name = value, ...}`: type and field names lower-cased, values with their
/// outer delimiters removed and `#` concatenations joined.
public struct BibTeXEntry: Sendable, Equatable {
    public var type: String
    public var key: String
    public var fields: [BibTeXField]
    /// Where the entry's `@` is, counted in characters from the start of the text.
    public var offset: Int

    /// The value of the field `name` (lower-case), if the entry has it.
    public func value(_ name: String) -> String? { fields.first { $0.name == name }?.value }
}

/// One `name = value` of an entry, with the offset of its name.
public struct BibTeXField: Sendable, Equatable {
    public var name: String
    public var value: String
    public var offset: Int
}

/// Why a text is not BibTeX, and where (a character offset into the text).
public struct BibTeXError: Error, Sendable, Equatable {
    public var message: String
    public var offset: Int
}

/// A small BibTeX reader for `cite` strings: entries, `@string` macros, `@comment` and `@preamble`; values in
/// braces (nested), quotes, numbers and macro names, joined by `#`. Text between entries is refused, since a
/// citation string holds entries only.
public struct BibTeXParser {
    private let text: [Unicode.Scalar]
    private var index = 0
    private var macros: [String: String] = [
        "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
        "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
    ]

    /// Parses every entry of `text`; throws the first problem found.
    public static func parse(_ text: String) throws(BibTeXError) -> [BibTeXEntry] {
        var parser = BibTeXParser(text: Array(text.unicodeScalars))
        return try parser.entries()
    }

    private init(text: [Unicode.Scalar]) { self.text = text }

    private mutating func entries() throws(BibTeXError) -> [BibTeXEntry] {
        var result: [BibTeXEntry] = []
        while true {
            skipSpace()
            guard let character = peek else { return result }
            if character == "%" {
                while let next = peek, next != "\n" { index += 1 }
                continue
            }
            guard character == "@" else {
                throw BibTeXError(message: "text outside an entry (expected '@')", offset: index)
            }
            let start = index
            index += 1
            let type = identifier().lowercased()
            guard !type.isEmpty else { throw BibTeXError(message: "expected an entry type after '@'", offset: index) }
            skipSpace()
            guard let open = peek, open == "{" || open == "(" else {
                throw BibTeXError(message: "expected '{' after '@\(type)'", offset: index)
            }
            let close: Unicode.Scalar = open == "{" ? "}" : ")"
            index += 1
            switch type {
            case "comment":
                index -= 1
                if open == "{" {
                    _ = try braced(opening: index)
                } else {
                    while let next = peek, next != ")" { index += 1 }
                    try expect(")", after: "@comment")
                }
            case "preamble":
                skipSpace()
                _ = try value(field: "@preamble")
                try expect(close, after: "@preamble")
            case "string":
                skipSpace()
                let (name, _) = try field(close: close, type: type)
                try expect(close, after: "@string")
                macros[name.name] = name.value
            default:
                result.append(try entry(type: type, close: close, start: start))
            }
        }
    }

    private mutating func entry(type: String, close: Unicode.Scalar, start: Int) throws(BibTeXError) -> BibTeXEntry {
        skipSpace()
        let keyStart = index
        while let character = peek, !character.properties.isWhitespace, !",{}()\"=#%".unicodeScalars.contains(character) {
            index += 1
        }
        let key = String(String.UnicodeScalarView(text[keyStart..<index]))
        guard !key.isEmpty else { throw BibTeXError(message: "@\(type) has no citation key", offset: keyStart) }
        skipSpace()
        var fields: [BibTeXField] = []
        if peek == close {
            index += 1
            return BibTeXEntry(type: type, key: key, fields: fields, offset: start)
        }
        guard peek == "," else {
            throw BibTeXError(message: "expected ',' after the citation key '\(key)'", offset: index)
        }
        index += 1
        while true {
            skipSpace()
            guard let character = peek else {
                throw BibTeXError(message: "@\(type){\(key), ...} is never closed (a '\(close)' is missing)", offset: start)
            }
            if character == close {
                index += 1
                return BibTeXEntry(type: type, key: key, fields: fields, offset: start)
            }
            let parsed: BibTeXField
            let ended: Bool
            do {
                (parsed, ended) = try field(close: close, type: type)
            } catch {
                // A problem found where the text ends means the entry was left open.
                if error.offset >= text.count {
                    throw BibTeXError(message: "@\(type){\(key), ...} is never closed (a '\(close)' is missing)", offset: start)
                }
                throw error
            }
            if fields.contains(where: { $0.name == parsed.name }) {
                throw BibTeXError(message: "field '\(parsed.name)' appears twice in '\(key)'", offset: parsed.offset)
            }
            fields.append(parsed)
            if ended { return BibTeXEntry(type: type, key: key, fields: fields, offset: start) }
        }
    }

    /// `name = value` and the separator after it; `ended` when the separator was the entry's closing bracket.
    private mutating func field(close: Unicode.Scalar, type: String) throws(BibTeXError) -> (BibTeXField, ended: Bool) {
        let nameStart = index
        let name = identifier().lowercased()
        guard !name.isEmpty else {
            throw BibTeXError(message: "expected a field name or '\(close)' in @\(type)", offset: index)
        }
        skipSpace()
        guard peek == "=" else { throw BibTeXError(message: "expected '=' after the field name '\(name)'", offset: index) }
        index += 1
        skipSpace()
        let value = try value(field: name)
        skipSpace()
        if peek == "," {
            index += 1
            return (BibTeXField(name: name, value: value, offset: nameStart), false)
        }
        if peek == close, type != "string" {
            index += 1
            return (BibTeXField(name: name, value: value, offset: nameStart), true)
        }
        if peek == close { return (BibTeXField(name: name, value: value, offset: nameStart), false) }
        throw BibTeXError(message: "expected ',' or '\(close)' after the value of '\(name)'", offset: index)
    }

    /// One value: parts joined by `#`.
    private mutating func value(field: String) throws(BibTeXError) -> String {
        var result = ""
        while true {
            guard let character = peek else {
                throw BibTeXError(message: "the value of '\(field)' is missing", offset: index)
            }
            if character == "{" {
                result += try braced(opening: index)
            } else if character == "\"" {
                result += try quoted()
            } else if ("0"..."9").contains(character) {
                let start = index
                while let next = peek, ("0"..."9").contains(next) { index += 1 }
                result += String(String.UnicodeScalarView(text[start..<index]))
            } else {
                let start = index
                let name = identifier().lowercased()
                guard !name.isEmpty else {
                    throw BibTeXError(message: "expected a value for '\(field)' (text in braces or quotes, a number or a @string name)", offset: start)
                }
                guard let macro = macros[name] else {
                    throw BibTeXError(message: "'\(name)' (the value of '\(field)') is not a defined @string: put text in braces", offset: start)
                }
                result += macro
            }
            skipSpace()
            guard peek == "#" else { return result }
            index += 1
            skipSpace()
        }
    }

    /// `{...}` with nested braces; returns the text inside the outer pair.
    private mutating func braced(opening: Int) throws(BibTeXError) -> String {
        var depth = 0
        let start = index + 1
        while let character = peek {
            if character == "{" { depth += 1 }
            if character == "}" {
                depth -= 1
                if depth == 0 {
                    index += 1
                    return String(String.UnicodeScalarView(text[start..<(index - 1)]))
                }
            }
            index += 1
        }
        throw BibTeXError(message: "unbalanced braces: this '{' is never closed", offset: opening)
    }

    /// `"..."`, braces inside balanced; returns the text inside the quotes.
    private mutating func quoted() throws(BibTeXError) -> String {
        let opening = index
        index += 1
        let start = index
        var depth = 0
        while let character = peek {
            if character == "{" { depth += 1 }
            if character == "}" {
                if depth == 0 { throw BibTeXError(message: "a '}' closes nothing inside this quoted value", offset: index) }
                depth -= 1
            }
            if character == "\"", depth == 0 {
                index += 1
                return String(String.UnicodeScalarView(text[start..<(index - 1)]))
            }
            index += 1
        }
        throw BibTeXError(message: "this '\"' is never closed", offset: opening)
    }

    private mutating func expect(_ character: Unicode.Scalar, after what: String) throws(BibTeXError) {
        skipSpace()
        guard peek == character else { throw BibTeXError(message: "expected '\(character)' to close \(what)", offset: index) }
        index += 1
    }

    /// Letters, digits and `_-:.+/'` (BibTeX names and field names).
    private mutating func identifier() -> String {
        let start = index
        while let character = peek, character.isASCII,
              character.properties.isAlphabetic || ("0"..."9").contains(character) || "_-:.+/'".unicodeScalars.contains(character) {
            index += 1
        }
        return String(String.UnicodeScalarView(text[start..<index]))
    }

    private mutating func skipSpace() {
        while let character = peek, character.properties.isWhitespace { index += 1 }
    }

    private var peek: Unicode.Scalar? { index < text.count ? text[index] : nil }
}
