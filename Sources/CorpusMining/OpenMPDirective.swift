import CodeLexers

/// One `name` or `name(arguments)` item of a directive.
public struct DirectiveClause: Sendable, Equatable {
    public var name: String
    /// The text between the parentheses, or nil when the name stands alone.
    public var arguments: String?

    public init(_ name: String, _ arguments: String? = nil) {
        self.name = name
        self.arguments = arguments
    }
}

/// OpenMP directive text: continuation joining, the HPCorpus clause split, and the pragma
/// normalization of the OpenMP loop datasets built from HPCorpus. Works on UTF-8 bytes: a corpus
/// has a directive every few hundred bytes.
public enum OpenMPDirective {
    /// Joins continued lines into one: `\` + line break in C-family code; in Fortran a trailing `&`,
    /// the line break and the next line's `!$omp` sentinel and leading `&`. Tabs become spaces.
    public static func joinContinuations(_ text: String, language: Language) -> String {
        String(decoding: joinContinuations(Array(text.utf8), language: language), as: UTF8.self)
    }

    static func joinContinuations(_ bytes: [UInt8], language: Language) -> [UInt8] {
        var lines: [ArraySlice<UInt8>] = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        for index in lines.indices where lines[index].last == 0x0D { lines[index] = lines[index].dropLast() }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for index in lines.indices {
            var line = lines[index]
            let isLast = index == lines.count - 1
            if language == .fortran {
                if index > 0 {
                    line = line.drop { $0 == 0x20 || $0 == 0x09 }
                    if line.count >= 5, "!cC*".utf8.contains(line[line.startIndex]),
                        line[line.startIndex + 1] == UInt8(ascii: "$"),
                        line.dropFirst(2).prefix(3).map({ $0 | 0x20 }) == Array("omp".utf8)
                    {
                        line = line.dropFirst(5)
                    }
                    line = line.drop { $0 == 0x20 || $0 == 0x09 }
                    if line.first == UInt8(ascii: "&") { line = line.dropFirst() }
                }
                var trimmed = line
                while let last = trimmed.last, last == 0x20 || last == 0x09 { trimmed = trimmed.dropLast() }
                if trimmed.last == UInt8(ascii: "&") {
                    out.append(contentsOf: trimmed.dropLast())
                    out.append(0x20)
                    continue
                }
            } else if line.last == UInt8(ascii: "\\") {
                out.append(contentsOf: line.dropLast())
                out.append(0x20)
                continue
            }
            out.append(contentsOf: line)
            if !isLast { out.append(0x20) }
        }
        for index in out.indices where out[index] == 0x09 { out[index] = 0x20 }
        return out
    }

    /// Python's `\w` on bytes: ASCII letters, digits, `_`, and every byte of a non-ASCII character.
    @inline(__always)
    static func isWord(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return (lower >= 0x61 && lower <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte >= 0x80
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

    /// The HPCorpus split `(\w+(\s*\(.*?\)|\s))`: a word followed by whitespace, or by parentheses that
    /// end at the first `)` of the line. A final word is followed by an implicit line break, as the
    /// tree-sitter text of a `#pragma` line ends with one.
    public static func hpcorpusClauses(_ text: String) -> [DirectiveClause] {
        hpcorpusClauses(Array(text.utf8))
    }

    static func hpcorpusClauses(_ text: [UInt8]) -> [DirectiveClause] {
        let chars = text + [0x0A]
        var out: [DirectiveClause] = []
        var index = 0
        while index < chars.count {
            guard isWord(chars[index]) else {
                index += 1
                continue
            }
            var end = index
            while end < chars.count, isWord(chars[end]) { end += 1 }
            // A shorter `\w+` would be followed by a word character, which neither alternative accepts,
            // and so would every match attempt starting inside the word: only the whole word can match.
            let name = String(decoding: chars[index..<end], as: UTF8.self)
            var open = end
            while open < chars.count, isSpace(chars[open]) { open += 1 }
            if open < chars.count, chars[open] == UInt8(ascii: "("),
                let close = chars[(open + 1)...].firstIndex(where: { $0 == UInt8(ascii: ")") || $0 == 0x0A }),
                chars[close] == UInt8(ascii: ")")
            {
                out.append(DirectiveClause(name, String(decoding: chars[(open + 1)..<close], as: UTF8.self)))
                index = close + 1
            } else if end < chars.count, isSpace(chars[end]) {
                out.append(DirectiveClause(name, nil))
                index = end + 1
            } else {
                index = end
            }
        }
        return out
    }

    /// Constructs the normalization keeps; a pragma with none of them has no normalized form.
    public static let normalizedConstructs: Set<String> = ["for", "do", "parallel", "target", "teams", "distribute"]

    /// The pragma as the OpenMP loop datasets built from HPCorpus write it: constructs (`for`/`do`,
    /// `parallel`, `target`, `teams`, `distribute`), `simd` and `reduction(op:vars)` clauses, and one
    /// `private(vars)` merging `private`, `firstprivate` and `lastprivate`; variables split on spaces and
    /// commas, sorted and joined by one space.
    ///
    /// C-family: source order with the merged `private` last, and an empty `private` cut off leaving a
    /// trailing space (`"parallel for "`). Fortran (lower-cased first): `do` first, the other items
    /// sorted alphabetically, joined by single spaces; the reference leaves the empty-`private` artifact
    /// of Fortran open, so none is added there.
    /// Returns nil when the directive has none of the kept constructs.
    public static func normalize(_ directive: String, language: Language) -> String? {
        var text = joinContinuations(Array(directive.utf8), language: language)
        if language == .fortran {
            for index in text.indices where text[index] >= 0x41 && text[index] <= 0x5A { text[index] |= 0x20 }
        }
        var items: [String] = []
        var privateVariables: [String] = []
        var sawConstruct = false
        for clause in hpcorpusClauses(text) {
            let name = clause.name
            if let arguments = clause.arguments {
                switch name {
                case "private", "firstprivate", "lastprivate":
                    privateVariables += splitVariables(arguments)
                case "reduction":
                    let (op, variables) = splitReduction(arguments)
                    items.append("reduction(\(op):\(splitVariables(variables).sorted().joined(separator: " ")))")
                default:
                    break
                }
            } else if normalizedConstructs.contains(name) {
                sawConstruct = true
                items.append(name)
            } else if name == "simd" {
                items.append(name)
            }
        }
        guard sawConstruct else { return nil }
        let privateItem = privateVariables.isEmpty ? "" : "private(\(privateVariables.sorted().joined(separator: " ")))"
        if language == .fortran {
            var rest = items.filter { $0 != "do" }
            if !privateItem.isEmpty { rest.append(privateItem) }
            let head = items.contains("do") ? ["do"] : []
            return (head + rest.sorted()).joined(separator: " ")
        }
        return items.joined(separator: " ") + " " + privateItem
    }

    /// Variables of a clause split on spaces and commas.
    static func splitVariables(_ text: String) -> [String] {
        text.utf8.split(whereSeparator: { $0 == 0x20 || $0 == UInt8(ascii: ",") || $0 == 0x09 })
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// `op : vars` at the first colon; the operator without blanks.
    static func splitReduction(_ text: String) -> (String, String) {
        let utf8 = Array(text.utf8)
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")) else { return ("", text) }
        let op = utf8[..<colon].filter { $0 != 0x20 && $0 != 0x09 }
        return (String(decoding: op, as: UTF8.self), String(decoding: utf8[(colon + 1)...], as: UTF8.self))
    }
}
