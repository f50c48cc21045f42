import Readers
import StageKit

/// A YAML file of benchmark entries as the checks read it: the parsed document with its locations, and the
/// text itself, for what the parser does not keep (quoting, block scalars, characters outside ASCII).
public struct EntryFile: Sendable {
    public let path: String
    public let document: YAMLDocument
    /// The lines of the text; columns count Unicode scalars, as libyaml's do.
    let lines: [Substring]
    /// Lines of the file before `text`, when `text` is one entry cut from a catalogue: locations are shifted by it.
    let lineOffset: Int

    /// Parses `text` (named `path` in diagnostics), which starts on line `firstLine` of that file; throws the YAML
    /// reader's located `PipeError`s, with lines counted in the file.
    public init(text: String, path: String, firstLine: Int = 1) throws {
        self.path = path
        lineOffset = firstLine - 1
        do {
            document = try YAMLDocument(text: text, path: path)
        } catch var error as PipeError {
            if let line = error.location?.line { error.location?.line = line + firstLine - 1 }
            throw error
        }
        lines = Self.lines(of: text)
    }

    /// Reads and parses a file (at most `YAMLDocument.maxBytes`; not UTF-8 is `yaml.encoding`).
    public init(contentsOf path: String) throws {
        let bytes = try FileSystem.read(path, limit: YAMLDocument.maxBytes)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PipeError("yaml.encoding", "file is not valid UTF-8", at: SourceLocation(file: path))
        }
        try self.init(text: text, path: path)
    }

    /// Where the value at `pointer` starts (or the key, when `key`), falling back to the nearest enclosing value.
    func location(_ pointer: String, key: Bool = false) -> SourceLocation {
        shifted(document.location(of: pointer, key: key))
    }

    /// The lines of a text, split on its bytes (splitting on characters costs grapheme breaking).
    static func lines(of text: String) -> [Substring] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Substring($0) }
    }

    /// A location in `text` as a location in the file.
    func shifted(_ location: SourceLocation) -> SourceLocation {
        guard lineOffset != 0, let line = location.line else { return location }
        var moved = location
        moved.line = line + lineOffset
        return moved
    }

    /// The character at a 1-based line and column, if there is one.
    func character(line: Int, column: Int) -> Unicode.Scalar? {
        guard line >= 1, line <= lines.count, column >= 1 else { return nil }
        return lines[line - 1].unicodeScalars.dropFirst(column - 1).first
    }

    /// The first character of the value at `pointer`: a quote, `|`/`>` for block scalars, else the value's own.
    func openingCharacter(of pointer: String) -> Unicode.Scalar? {
        let location = document.location(of: pointer)
        guard let line = location.line, let column = location.column else { return nil }
        return character(line: line, column: column)
    }

    /// The index in `located` (from `document.locatedPointers()`) of the last value or key starting at or before a
    /// position (nil before the first).
    static func locatedIndex(in located: [YAMLLocatedPointer], line: Int, column: Int) -> Int? {
        var low = 0
        var high = located.count
        while low < high {
            let middle = (low + high) / 2
            let item = located[middle]
            if (item.line, item.column) <= (line, column) { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : low - 1
    }
}

extension EntryFile {
    /// The file position of a character of the string value at `pointer`, given as its line and column within
    /// the string (both 0-based). Exact for literal block scalars (`|`) and single-line values; for other
    /// styles, whose text the parser folds, the value's own position.
    func location(inValueAt pointer: String, line: Int, column: Int) -> SourceLocation {
        shifted(unshiftedLocation(inValueAt: pointer, line: line, column: column))
    }

    private func unshiftedLocation(inValueAt pointer: String, line: Int, column: Int) -> SourceLocation {
        let start = document.location(of: pointer)
        guard let startLine = start.line, let startColumn = start.column,
              let opening = character(line: startLine, column: startColumn) else { return start }
        switch opening {
        case "|":
            // Content starts on the next line, indented as its first non-blank line is.
            var contentIndent: Int?
            var probe = startLine + 1
            while probe <= lines.count, contentIndent == nil {
                let text = lines[probe - 1].unicodeScalars
                if text.contains(where: { $0 != " " }) { contentIndent = text.prefix { $0 == " " }.count }
                probe += 1
            }
            guard let indent = contentIndent else { return start }
            return SourceLocation(file: path, line: startLine + 1 + line, column: indent + column + 1)
        case ">":
            return start
        case "\"", "'":
            return line == 0 ? SourceLocation(file: path, line: startLine, column: startColumn + 1 + column) : start
        default:
            return line == 0 ? SourceLocation(file: path, line: startLine, column: startColumn + column) : start
        }
    }
}

/// Line and column (0-based) of a character offset within a text.
func lineAndColumn(of offset: Int, in text: String) -> (line: Int, column: Int) {
    var line = 0
    var column = 0
    for (position, scalar) in text.unicodeScalars.enumerated() {
        if position == offset { break }
        if scalar == "\n" {
            line += 1
            column = 0
        } else {
            column += 1
        }
    }
    return (line, column)
}
