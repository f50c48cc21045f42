/// Fixed-form (column-based, FORTRAN 77) or free-form (Fortran 90 and later) source.
public enum FortranForm: String, Sendable {
    case fixed
    case free

    /// The form a compiler assumes from the extension: `.f`, `.for` and `.f77` are fixed, the rest free.
    public static func fromExtension(_ path: String) -> FortranForm {
        switch LanguageMap.fileExtension(of: path)?.lowercased() {
        case "f", "for", "f77": return .fixed
        default: return .free
        }
    }

    /// The form of a file: its extension's, except that a fixed-form name whose lines cannot be fixed
    /// form (statements starting in columns 1 to 5, `&` continuations at line ends) is free form,
    /// because many `.f` files in the wild are written in free form.
    public static func detect(path: String, content: [UInt8]) -> FortranForm {
        let assumed = fromExtension(path)
        guard assumed == .fixed else { return .free }
        var freeEvidence = 0
        var fixedEvidence = 0
        forEachLine(content) { line in
            guard let first = line.first else { return }
            // Column 1 `c`, `C`, `*`, `d`, `D` start a fixed-form comment; `!` a comment in both forms.
            if first == UInt8(ascii: "!") || first == UInt8(ascii: "*") { return }
            if first == UInt8(ascii: "#") { return }
            let isCommentLetter = first == UInt8(ascii: "c") || first == UInt8(ascii: "C")
                || first == UInt8(ascii: "d") || first == UInt8(ascii: "D")
            if isCommentLetter {
                // `contains`, `character`, `call`, `do` at column 1 are statements, hence free form.
                if startsWithStatementWord(line) { freeEvidence += 1 } else { fixedEvidence += 1 }
                return
            }
            if isLetter(first) {
                freeEvidence += 1
                return
            }
            if line.count <= 72, let last = line.last(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }),
                last == UInt8(ascii: "&")
            {
                freeEvidence += 1
                return
            }
            if line.count > 6, line.prefix(5).allSatisfy(isLabelColumn) { fixedEvidence += 1 }
        }
        return freeEvidence > fixedEvidence ? .free : .fixed
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private static func isLabelColumn(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static let statementWords: [[UInt8]] = ["call ", "contains", "character", "complex", "common", "continue",
                                                    "close", "cycle", "do ", "data ", "deallocate", "double"]
        .map { Array($0.utf8) }

    private static func startsWithStatementWord(_ line: ArraySlice<UInt8>) -> Bool {
        let lower = line.prefix(12).map { $0 | 0x20 }
        return statementWords.contains { word in lower.count >= word.count && Array(lower.prefix(word.count)) == word }
    }

    static func forEachLine(_ content: [UInt8], _ body: (ArraySlice<UInt8>) -> Void) {
        var start = 0
        for index in content.indices where content[index] == UInt8(ascii: "\n") {
            var end = index
            if end > start, content[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            body(content[start..<end])
            start = index + 1
        }
        if start < content.count { body(content[start...]) }
    }
}
