import StageKit

/// Turns tokenizer output back into source code: placeholders are replaced through the map, and tokens are laid
/// out so that the code compiles again (directives on their own lines, Fortran statements one per line within
/// the line-length limits of their source form).
///
/// The result is equal to the input token for token (comments and layout aside; Fortran keywords in lowercase and
/// each Fortran name in the spelling of its first occurrence, which Fortran's case-insensitivity makes the same).
public struct Restorer: Sendable {
    /// The language of the tokens.
    public var language: TokenizerLanguage
    /// Fortran: write fixed-form lines (columns 7-72) instead of free-form ones.
    public var fortranFixedForm: Bool

    /// Creates a restorer.
    public init(language: TokenizerLanguage, fortranFixedForm: Bool = false) {
        self.language = language
        self.fortranFixedForm = fortranFixedForm
    }

    /// One restored token.
    struct Item {
        enum Kind { case code, placeholder(Category), newline }
        var kind: Kind
        var text: String
    }

    /// Restores code from the token text and the map(s) of a `TokenizedDocument` (or a record).
    public func restore(tokens text: String, map: [String: String], scopes: [ScopeMap] = []) throws -> String {
        let items = try resolve(tokens: text, map: map, scopes: scopes)
        return language == .fortran ? layoutFortran(items) : layoutC(items)
    }

    /// Restores a document.
    public func restore(_ document: TokenizedDocument) throws -> String {
        try restore(tokens: document.text, map: document.map, scopes: document.scopes)
    }

    func resolve(tokens text: String, map: [String: String], scopes: [ScopeMap]) throws -> [Item] {
        let tokens = text.split(separator: " ")
        var items: [Item] = []
        items.reserveCapacity(tokens.count)
        var scopeIndex = 0
        var i = 0
        while i < tokens.count {
            while scopeIndex < scopes.count && i >= scopes[scopeIndex].end { scopeIndex += 1 }
            let active = scopeIndex < scopes.count && scopes[scopeIndex].start <= i ? scopes[scopeIndex].map : map
            let token = tokens[i]
            if token == "[NL]" {
                items.append(Item(kind: .newline, text: ""))
                i += 1
                continue
            }
            if let category = Category(head: token), let (id, count) = PlaceholderID.read(tokens, at: i + 1) {
                let key = PlaceholderID.key(category, id)
                guard let original = active[key] else {
                    throw PipeError("tokompiler.restore", "token \(i): placeholder \(key) is not in the map")
                }
                items.append(Item(kind: .placeholder(category), text: original))
                i += 1 + count
                continue
            }
            if let bytes = RawToken.unescape(token) {
                items.append(Item(kind: .code, text: String(decoding: bytes, as: UTF8.self)))
            } else {
                items.append(Item(kind: .code, text: String(token)))
            }
            i += 1
        }
        return items
    }

    // MARK: C family

    private func layoutC(_ items: [Item]) -> String {
        var out = ""
        var lineStart = true
        // A line break for readability after `;`, `{` and `}`, written only before a token that cannot start a
        // directive by landing at the start of a line (`##`, `#` in code).
        var breakPending = false
        var inDirective = false
        var directiveName = ""
        var directiveIndex = 0
        var parens = 0
        // The line was just ended after an unterminated literal: the directive's own end needs no second break.
        var literalEndedLine = false
        for (index, item) in items.enumerated() {
            if case .newline = item.kind {
                if !literalEndedLine { out += "\n" }
                literalEndedLine = false
                lineStart = true
                breakPending = false
                inDirective = false
                continue
            }
            var isPlaceholder = false
            if case .placeholder = item.kind { isPlaceholder = true }
            let hashed = !isPlaceholder && item.text.hasPrefix("#")
            // `##` (and `#` inside a directive) is an operator; `#name` and a lone `#` start a directive line.
            if !inDirective && hashed && item.text != "##" {
                if !lineStart { out += "\n" }
                lineStart = true
                inDirective = true
                directiveName = item.text
                directiveIndex = 0
            }
            if !lineStart {
                // A function-like macro's parameter list must touch its name.
                let glue = inDirective && directiveName == "#define" && directiveIndex == 2 && item.text == "("
                    && isParameterList(items, from: index)
                if breakPending && !hashed {
                    out += "\n"
                } else if !glue {
                    out += " "
                }
            }
            breakPending = false
            out += item.text
            lineStart = false
            literalEndedLine = false
            if case .placeholder(let category) = item.kind, category == .string || category == .character,
               !Self.isTerminated(item.text) {
                // An unterminated literal ran to the end of its line: so must it here, or it would swallow what follows.
                out += "\n"
                lineStart = true
                literalEndedLine = true
                continue
            }
            if inDirective {
                directiveIndex += 1
                continue
            }
            if isPlaceholder { continue }
            switch item.text {
            case "(": parens += 1
            case ")": parens = max(0, parens - 1)
            case "{", "}": breakPending = true
            case ";": breakPending = parens == 0
            default: break
            }
        }
        if !lineStart { out += "\n" }
        return out
    }

    /// Whether a string or character literal is closed: it ends with its quote (before a user-defined suffix) and
    /// that quote is not escaped.
    static func isTerminated(_ literal: String) -> Bool {
        var bytes = Array(literal.utf8)
        guard let open = bytes.firstIndex(where: { $0 == 0x22 || $0 == 0x27 }) else { return false }
        let quote = bytes[open]
        while let last = bytes.last, last != quote, last == 0x5F || (last | 0x20) &- 0x61 < 26 || last &- 0x30 < 10 {
            bytes.removeLast()
        }
        guard bytes.count > open + 1, bytes.last == quote else { return false }
        if bytes[open - (open > 0 ? 1 : 0)] == 0x52 && open > 0 { return true }
        var backslashes = 0
        var index = bytes.count - 2
        while index > open && bytes[index] == 0x5C {
            backslashes += 1
            index -= 1
        }
        return backslashes % 2 == 0
    }

    /// Whether the `(` at `open` starts a macro parameter list: names, commas and `...` up to a `)` on the line.
    /// An object-like macro whose value starts with such a group (`#define X (a, b)`) is the one case this reads
    /// as function-like; tokens carry no spacing, and that case is too rare to spend a vocabulary token on.
    private func isParameterList(_ items: [Item], from open: Int) -> Bool {
        var index = open + 1
        while index < items.count {
            let item = items[index]
            switch item.kind {
            case .newline: return false
            case .placeholder(let category):
                if category == .number || category == .character || category == .string { return false }
            case .code:
                if item.text == ")" { return true }
                if item.text != "," && item.text != "..." { return false }
            }
            index += 1
        }
        return false
    }

    // MARK: Fortran

    private func layoutFortran(_ items: [Item]) -> String {
        var out = ""
        var line: [Item] = []
        for item in items {
            if case .newline = item.kind {
                writeFortranLine(line, to: &out)
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(item)
            }
        }
        writeFortranLine(line, to: &out)
        return out
    }

    private func writeFortranLine(_ line: [Item], to out: inout String) {
        guard let first = line.first else { return }
        let lead = first.text.lowercased()
        if case .code = first.kind, lead.hasPrefix("#") {
            out += line.map(\.text).joined(separator: " ") + "\n"
            return
        }
        var isDirective = false
        var isConditional = false
        if case .code = first.kind, lead.hasPrefix("!") {
            if lead == "!$" { isConditional = true } else { isDirective = true }
        }
        if isDirective {
            let rest = line.dropFirst().map(\.text)
            wrap(rest, first: first.text + " ", continuation: first.text + "& ", limit: fortranFixedForm ? 72 : 132,
                 to: &out, freeFormAmpersand: !fortranFixedForm)
            return
        }
        var body = isConditional ? Array(line.dropFirst()) : line
        var label = ""
        if let head = body.first, case .placeholder(.number) = head.kind {
            label = head.text
            body.removeFirst()
        }
        let words = body.map(\.text)
        if fortranFixedForm {
            let prefix = isConditional ? "!$" : ""
            var columns = prefix + label
            columns = columns.count < 6 ? columns + String(repeating: " ", count: 6 - columns.count) : columns + " "
            let continuation = isConditional ? "!$   &" : "     &"
            wrap(words, first: columns, continuation: continuation, limit: 72, to: &out, splitLongTokens: true)
        } else {
            let first = (isConditional ? "!$ " : "") + (label.isEmpty ? "" : label + " ")
            wrap(words, first: first, continuation: isConditional ? "!$ & " : "    ", limit: 132, to: &out,
                 freeFormAmpersand: true)
        }
    }

    /// Writes words separated by spaces, starting new lines with `continuation` when a line would pass `limit`.
    private func wrap(_ words: [String], first: String, continuation: String, limit: Int, to out: inout String,
                      freeFormAmpersand: Bool = false, splitLongTokens: Bool = false) {
        var current = first
        var count = first.count
        var empty = true
        for word in words {
            let length = word.count
            let needed = (empty ? 0 : 1) + length + (freeFormAmpersand ? 2 : 0)
            if !empty && count + needed > limit {
                out += current + (freeFormAmpersand ? " &" : "") + "\n"
                current = continuation
                count = continuation.count
                empty = true
            }
            if !empty {
                current += " "
                count += 1
            }
            if splitLongTokens && count + length > limit {
                // Fixed form joins continuation lines column for column, so a long token may run over.
                var rest = Substring(word)
                while count + rest.count > limit {
                    let room = max(1, limit - count)
                    current += rest.prefix(room)
                    rest = rest.dropFirst(room)
                    out += current + "\n"
                    current = continuation
                    count = continuation.count
                }
                current += rest
                count += rest.count
            } else {
                current += word
                count += length
            }
            empty = false
        }
        out += current + "\n"
    }
}

/// Reads id lists for `pipe tokenize --decode`.
public enum IDText {
    /// Integers separated by whitespace or commas, optionally in a JSON array's brackets.
    public static func parse(_ text: String) throws -> [Int] {
        var ids: [Int] = []
        for piece in text.split(whereSeparator: { " \n\t\r,[]".contains($0) }) {
            guard let id = Int(piece) else {
                throw PipeError("tokompiler.decode", "'\(piece)' is not a token id")
            }
            ids.append(id)
        }
        return ids
    }
}
