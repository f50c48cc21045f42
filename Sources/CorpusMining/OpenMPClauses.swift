import StageKit
import CodeLexers

/// A directive split into its construct words and clauses, with balanced parentheses (unlike the
/// HPCorpus split, `map(to: a[0:f(n)])` stays one clause).
public struct ParsedDirective: Sendable, Equatable {
    /// `omp` or `acc`.
    public var sentinel: String
    /// The leading directive-name words: `parallel`, `for`, `simd`, `target`, `end`, ...
    public var constructs: [String]
    public var clauses: [DirectiveClause]

    /// The construct words joined by spaces (`parallel for`).
    public var kind: String { constructs.joined(separator: " ") }

    /// Parses `#pragma omp ...` / `!$omp ...` (or `acc`) text; nil when it is not such a directive.
    /// Directive-name words come from the lexers' OpenMP and OpenACC vocabularies.
    public static func parse(_ directive: String, language: Language) -> ParsedDirective? {
        let text = OpenMPDirective.joinContinuations(Array(directive.utf8), language: language)
        var index = 0
        func skipBlanks() { while index < text.count, text[index] == 0x20 { index += 1 } }
        skipBlanks()
        guard index + 1 < text.count else { return nil }
        if language == .fortran, text[index] != UInt8(ascii: "#") {
            guard "!cC*".utf8.contains(text[index]), text[index + 1] == UInt8(ascii: "$") else { return nil }
            index += 2
        } else {
            guard text[index] == UInt8(ascii: "#") else { return nil }
            index += 1
            skipBlanks()
            guard text[index...].starts(with: "pragma".utf8) else { return nil }
            index += 6
            skipBlanks()
        }
        let sentinelStart = index
        while index < text.count, (text[index] | 0x20) >= 0x61, (text[index] | 0x20) <= 0x7A { index += 1 }
        let sentinel = String(decoding: text[sentinelStart..<index], as: UTF8.self).lowercased()
        let names: Set<String>
        switch sentinel {
        case "omp": names = openMPNames
        case "acc": names = openACCNames
        default: return nil
        }
        let items = splitItems(text[index...], lowercaseNames: language == .fortran)
        var constructs: [String] = []
        var position = 0
        while position < items.count, items[position].arguments == nil, names.contains(items[position].name) {
            constructs.append(items[position].name)
            position += 1
        }
        return ParsedDirective(sentinel: sentinel, constructs: constructs, clauses: Array(items[position...]))
    }

    static let openMPNames = Set(DirectiveVocabulary.openMP.directiveNames)
    static let openACCNames = Set(DirectiveVocabulary.openACC.directiveNames)

    /// Words and `word(balanced arguments)` items; separators (blanks, commas) are skipped.
    static func splitItems(_ text: ArraySlice<UInt8>, lowercaseNames: Bool) -> [DirectiveClause] {
        var out: [DirectiveClause] = []
        var index = text.startIndex
        let end = text.endIndex
        func isLetter(_ byte: UInt8) -> Bool { ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A) || byte == 0x5F || byte >= 0x80 }
        while index < end {
            guard isLetter(text[index]) else {
                index += 1
                continue
            }
            var wordEnd = index
            while wordEnd < end, isLetter(text[wordEnd]) || (text[wordEnd] >= 0x30 && text[wordEnd] <= 0x39) { wordEnd += 1 }
            var name = String(decoding: text[index..<wordEnd], as: UTF8.self)
            if lowercaseNames { name = name.lowercased() }
            var open = wordEnd
            while open < end, text[open] == 0x20 { open += 1 }
            guard open < end, text[open] == UInt8(ascii: "(") else {
                out.append(DirectiveClause(name, nil))
                index = wordEnd
                continue
            }
            var depth = 0
            var close = open
            while close < end {
                if text[close] == UInt8(ascii: "(") { depth += 1 }
                if text[close] == UInt8(ascii: ")") {
                    depth -= 1
                    if depth == 0 { break }
                }
                close += 1
            }
            out.append(DirectiveClause(name, String(decoding: text[(open + 1)..<min(close, end)], as: UTF8.self).trimmingBlanks()))
            index = close + 1
        }
        return out
    }

    /// Top-level comma-separated items (commas inside brackets or parentheses do not split).
    static func list(_ text: String) -> [String] {
        var out: [String] = []
        var depth = 0
        var current = ""
        for char in text {
            if char == "(" || char == "[" { depth += 1 }
            if char == ")" || char == "]" { depth -= 1 }
            if char == ",", depth == 0 {
                out.append(current.trimmingBlanks())
                current = ""
            } else {
                current.append(char)
            }
        }
        out.append(current.trimmingBlanks())
        return out.filter { !$0.isEmpty }
    }

    /// The `clauses` object of an `omp_loops` record: the data-sharing lists, reductions with their
    /// operator, schedule, collapse, simd, default, nowait, and every other clause under `other`.
    public var clausesJSON: JSONValue {
        var lists: [String: [JSONValue]] = ["private": [], "firstprivate": [], "lastprivate": [], "shared": []]
        var reductions: [JSONValue] = []
        var schedule: JSONValue = .null
        var collapse: JSONValue = .null
        var defaultValue: JSONValue = .null
        var nowait = false
        var simd = constructs.contains("simd")
        var other: [JSONValue] = []
        for clause in clauses {
            switch (clause.name, clause.arguments) {
            case ("private", let a?), ("firstprivate", let a?), ("lastprivate", let a?), ("shared", let a?):
                // `lastprivate(conditional: x)`: the modifier is not a variable.
                let variables = Self.singleColon(a).map { String(a[a.index(after: $0)...]) } ?? a
                lists[clause.name, default: []] += Self.list(variables).map { .string($0) }
            case ("reduction", let a?):
                let colon = Self.singleColon(a)
                let op = colon.map { String(a[..<$0]).trimmingBlanks() } ?? ""
                let variables = colon.map { String(a[a.index(after: $0)...]) } ?? a
                reductions.append(.object([
                    "operator": .string(op), "variables": .array(Self.list(variables).map { .string($0) }),
                ]))
            case ("schedule", let a?):
                var modifiers: [String] = []
                var rest = a
                if let colon = Self.singleColon(a) {
                    modifiers = a[..<colon].split(separator: ",").map { String($0).trimmingBlanks() }
                    rest = String(a[a.index(after: colon)...])
                }
                let parts = Self.list(rest)
                schedule = .object([
                    "kind": .string(parts.first ?? ""),
                    "chunk": parts.count > 1 ? .string(parts[1...].joined(separator: ",")) : .null,
                    "modifiers": .array(modifiers.map { .string($0) }),
                ])
            case ("collapse", let a?):
                collapse = Int64(a.trimmingBlanks()).map { .integer($0) } ?? .string(a)
            case ("default", let a?):
                defaultValue = .string(a)
            case ("nowait", nil):
                nowait = true
            case ("simd", nil):
                simd = true
            default:
                other.append(.object(["name": .string(clause.name), "arguments": clause.arguments.map { .string($0) } ?? .null]))
            }
        }
        var object: [String: JSONValue] = lists.mapValues { .array($0) }
        object["reduction"] = .array(reductions)
        object["schedule"] = schedule
        object["collapse"] = collapse
        object["default"] = defaultValue
        object["nowait"] = .bool(nowait)
        object["simd"] = .bool(simd)
        object["constructs"] = .array(constructs.map { .string($0) })
        object["other"] = .array(other)
        return .object(object)
    }

    /// The first top-level colon that is not half of `::`: it separates a modifier or a reduction
    /// operator from the variables, while `::` belongs to a C++ qualified name and colons inside
    /// brackets to array sections.
    static func singleColon(_ text: String) -> String.Index? {
        var depth = 0
        var index = text.startIndex
        while index < text.endIndex {
            switch text[index] {
            case "(", "[": depth += 1
            case ")", "]": depth -= 1
            case ":" where depth == 0:
                let next = text.index(after: index)
                if next < text.endIndex, text[next] == ":" {
                    index = text.index(after: next)
                    continue
                }
                return index
            default: break
            }
            index = text.index(after: index)
        }
        return nil
    }
}

/// Small text helpers of the directive parsers.
extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingBlanks() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
