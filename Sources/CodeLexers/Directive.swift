/// What a directive line belongs to.
public enum DirectiveFamily: String, Sendable, Hashable, Codable {
    /// A preprocessor line other than an OpenMP or OpenACC pragma (`#include`, `#define`, `#pragma once`).
    case preprocessor
    /// `#pragma omp ...`, `!$omp ...`, `c$omp ...`.
    case openMP
    /// `#pragma acc ...`, `!$acc ...`.
    case openACC
    /// Another Fortran sentinel directive (`!dir$ ivdep`, `!$cuf kernel do`).
    case other
}

/// The words of one directive line.
public struct DirectiveInfo: Sendable, Hashable {
    /// What the directive belongs to.
    public var family: DirectiveFamily
    /// The preprocessor directive name (`pragma`, `define`, `include`), or the lowercase Fortran sentinel word (`omp`, `acc`, `dir`).
    public var name: String
    /// Words outside parentheses after the `omp`/`acc` sentinel (or after the name for other directives), lowercase
    /// for Fortran; an `#include`'s header name or string is one word. `#pragma omp parallel for reduction(+:s)`
    /// gives `["parallel", "for", "reduction"]`.
    public var words: [String]

    /// Creates directive info.
    public init(family: DirectiveFamily, name: String, words: [String]) {
        self.family = family
        self.name = name
        self.words = words
    }

    /// The vocabulary of an OpenMP or OpenACC directive.
    public var vocabulary: DirectiveVocabulary? {
        switch family {
        case .openMP: return .openMP
        case .openACC: return .openACC
        default: return nil
        }
    }

    /// The leading directive-name words, before the first clause (`["target", "teams", "distribute"]`).
    public var constructWords: [String] {
        guard let vocabulary else { return [] }
        let names = vocabulary.directiveNameSet
        var result: [String] = []
        for word in words {
            guard names.contains(word) else { break }
            // `parallel for reduction(...)`: `reduction` is also a directive name (`declare reduction`), but not here.
            if !result.isEmpty && word == "reduction" && result.first != "declare" { break }
            result.append(word)
        }
        return result
    }

    /// Whether this is an OpenMP/OpenACC `end` directive (`!$omp end parallel do`).
    public var isEnd: Bool { vocabulary != nil && words.first == "end" }

    /// Whether the directive applies to the statement that follows it (not stand-alone, declarative or `end`).
    public var appliesToFollowingStatement: Bool {
        guard let vocabulary, let first = words.first else { return false }
        return !vocabulary.standaloneDirectives.contains(first)
    }

    /// Whether the directive is a loop construct (`for`, `do`, `simd`, `loop`, `taskloop`, `distribute`, combined or not).
    public var isLoopConstruct: Bool {
        guard appliesToFollowingStatement, let vocabulary, words.first != "ordered" else { return false }
        let loops = vocabulary.loopConstructSet
        return constructWords.contains { loops.contains($0) }
    }
}

extension Lexer {
    /// Lexes a `.directive` token again into tokens with their positions in the input, tiling the directive exactly:
    /// the introducer (`#`, `!$omp`) is `.directiveIntroducer`, the directive name and OpenMP/OpenACC directive,
    /// clause and modifier words are `.keyword`, clause variables are `.identifier`, `#include <x.h>`'s header is
    /// `.headerName`. Any other token comes back alone.
    public func directiveBody(of token: Token, in bytes: UnsafeRawBufferPointer) -> [Token] {
        guard token.kind == .directive, token.start >= 0, token.end <= bytes.count, token.start < token.end,
              let base = bytes.baseAddress else {
            return [token]
        }
        let pointer = base.assumingMemoryBound(to: UInt8.self)
        let range = LexRange(start: token.start, end: token.end, line: token.line, lineStart: token.start - (token.column - 1))
        var tokens: [Token] = []
        tokens.reserveCapacity(token.length / 3 + 4)
        let isPreprocessorLine = pointer[token.start] == asciiHash || pointer[token.start] == asciiPercent
        if options.language == .fortran && !isPreprocessorLine {
            var scanner = FortranScanner(base: pointer, range: range, options: options, mode: .directiveBody)
            scanner.run(into: &tokens)
            DirectiveClassifier(bytes: bytes, caseInsensitive: true).classifyFortran(&tokens)
        } else {
            var cOptions = options
            if options.language == .fortran { cOptions.language = .c }
            var scanner = CFamilyScanner(base: pointer, range: range, options: cOptions, directiveBody: true)
            scanner.run(into: &tokens)
            DirectiveClassifier(bytes: bytes, caseInsensitive: false).classifyPreprocessor(&tokens)
        }
        return tokens
    }

    /// `directiveBody(of:in:)` for a byte array.
    public func directiveBody(of token: Token, in bytes: [UInt8]) -> [Token] {
        bytes.withUnsafeBytes { directiveBody(of: token, in: $0) }
    }

    /// The family, name and words of a `.directive` token; nil for other tokens.
    public func directiveInfo(of token: Token, in bytes: UnsafeRawBufferPointer) -> DirectiveInfo? {
        guard token.kind == .directive else { return nil }
        let body = directiveBody(of: token, in: bytes)
        let isFortranSentinel = options.language == .fortran && token.start < bytes.count
            && bytes[token.start] != asciiHash && bytes[token.start] != asciiPercent
        return DirectiveClassifier(bytes: bytes, caseInsensitive: isFortranSentinel)
            .info(body, fortranSentinel: isFortranSentinel)
    }

    /// `directiveInfo(of:in:)` for a byte array.
    public func directiveInfo(of token: Token, in bytes: [UInt8]) -> DirectiveInfo? {
        bytes.withUnsafeBytes { directiveInfo(of: token, in: $0) }
    }

    /// Marks the OpenMP or OpenACC words of pragma text written as C code, the argument of a macro that expands to
    /// `_Pragma` (`PRAGMA(omp for x)`, `OMP_FOR(schedule(static))`), as `.keyword`, the way `directiveBody(of:in:)`
    /// marks them after `#pragma omp`. A leading `omp` or `acc` chooses the vocabulary, else `vocabulary` does.
    public static func markParallelWords(_ tokens: inout [Token], in bytes: UnsafeRawBufferPointer,
                                         vocabulary: DirectiveVocabulary) {
        let classifier = DirectiveClassifier(bytes: bytes, caseInsensitive: false)
        var chosen = vocabulary
        if let first = tokens.first, first.kind == .identifier || first.kind == .keyword {
            switch classifier.text(first) {
            case "omp": chosen = .openMP
            case "acc": chosen = .openACC
            default: break
            }
        }
        classifier.classifyWords(&tokens, from: 0, vocabulary: chosen)
    }
}

/// Re-classifies the words of a directive body and extracts its info.
struct DirectiveClassifier {
    let bytes: UnsafeRawBufferPointer
    let caseInsensitive: Bool

    private static let includeNames: Set<String> = ["include", "include_next", "import", "embed"]
    private static let preprocessorNames = Set(LexicalTables.preprocessorDirectives)

    func text(_ token: Token) -> String {
        let raw = token.text(in: bytes)
        return caseInsensitive ? raw.lowercased() : raw
    }

    private func isWord(_ token: Token) -> Bool {
        token.kind == .identifier || token.kind == .keyword || token.kind == .typeKeyword
    }

    private func isSignificant(_ token: Token) -> Bool {
        switch token.kind {
        case .whitespace, .newline, .comment, .continuation, .directiveIntroducer: return false
        default: return true
        }
    }

    private func isPunctuator(_ token: Token, _ text: String) -> Bool {
        token.kind == .punctuator && token.length == text.utf8.count && self.text(token) == text
    }

    /// `#name ...`: marks the name, merges an include's `<...>`, marks `defined`, and classifies OpenMP/OpenACC pragmas.
    func classifyPreprocessor(_ tokens: inout [Token]) {
        guard let nameIndex = tokens.firstIndex(where: { isSignificant($0) }), isWord(tokens[nameIndex]) else { return }
        let name = text(tokens[nameIndex])
        if DirectiveClassifier.preprocessorNames.contains(name) { tokens[nameIndex].kind = .keyword }
        if DirectiveClassifier.includeNames.contains(name) {
            mergeHeaderName(&tokens, after: nameIndex)
        } else if name == "if" || name == "elif" {
            for i in (nameIndex + 1)..<tokens.count where tokens[i].kind == .identifier && text(tokens[i]) == "defined" {
                tokens[i].kind = .keyword
            }
        } else if name == "pragma" {
            guard let sentinelIndex = tokens[(nameIndex + 1)...].firstIndex(where: { isSignificant($0) }),
                  isWord(tokens[sentinelIndex]) else { return }
            let sentinel = text(tokens[sentinelIndex])
            let vocabulary: DirectiveVocabulary
            switch sentinel {
            case "omp": vocabulary = .openMP
            case "acc": vocabulary = .openACC
            default: return
            }
            tokens[sentinelIndex].kind = .keyword
            classifyWords(&tokens, from: sentinelIndex + 1, vocabulary: vocabulary)
        }
    }

    /// Fortran `!$omp ...`: classifies OpenMP/OpenACC words; other sentinels keep the lexer's classification.
    func classifyFortran(_ tokens: inout [Token]) {
        guard let introducer = tokens.first(where: { $0.kind == .directiveIntroducer }) else { return }
        let word = sentinelWord(introducer)
        let vocabulary: DirectiveVocabulary
        switch word {
        case "omp": vocabulary = .openMP
        case "acc": vocabulary = .openACC
        default: return
        }
        classifyWords(&tokens, from: 0, vocabulary: vocabulary)
    }

    /// The lowercase word of a Fortran sentinel: `omp` for `!$OMP` or `c$omp`, `dir` for `!DIR$`.
    private func sentinelWord(_ introducer: Token) -> String {
        let raw = Array(introducer.text(in: bytes).lowercased().utf8)
        guard raw.count > 2 else { return "" }
        if raw[1] == asciiDollar { return String(decoding: raw[2...], as: UTF8.self) }
        if raw[raw.count - 1] == asciiDollar { return String(decoding: raw[1..<(raw.count - 1)], as: UTF8.self) }
        return ""
    }

    /// Words outside parentheses are directive and clause names; inside a clause's parentheses a word is a keyword
    /// only where a modifier or keyword argument can stand (`schedule(static)`, `map(tofrom: a)`,
    /// `reduction(max: m)`), so that variables named like keywords stay identifiers.
    func classifyWords(_ tokens: inout [Token], from start: Int, vocabulary: DirectiveVocabulary) {
        let arguments = vocabulary.argumentKeywordSet
        let keywordClauses = vocabulary.keywordArgumentClauseSet
        var depth = 0
        var bracketDepth = 0
        var clause = ""
        var lastTopWord = ""
        var groupHasColon = false
        var colonSeen = false
        var i = start
        while i < tokens.count {
            let token = tokens[i]
            defer { i += 1 }
            guard isSignificant(token) else { continue }
            if token.kind == .punctuator {
                let t = text(token)
                switch t {
                case "(", "(/":
                    depth += 1
                    if depth == 1 {
                        clause = lastTopWord
                        colonSeen = false
                        groupHasColon = hasColonInGroup(tokens, openIndex: i)
                    }
                case ")", "/)":
                    depth = max(0, depth - 1)
                case "[":
                    bracketDepth += 1
                case "]":
                    bracketDepth = max(0, bracketDepth - 1)
                case ":":
                    if depth == 1 && bracketDepth == 0 { colonSeen = true }
                default:
                    break
                }
                continue
            }
            guard isWord(token) else { continue }
            let word = text(token)
            if depth == 0 {
                tokens[i].kind = .keyword
                lastTopWord = word
            } else if depth == 1 && bracketDepth == 0 && !colonSeen && arguments.contains(word)
                        && (keywordClauses.contains(clause) || groupHasColon) {
                tokens[i].kind = .keyword
            } else if token.kind == .keyword && caseInsensitive {
                // Fortran keywords are not reserved: inside clause parentheses a word is a variable.
                tokens[i].kind = .identifier
            }
        }
    }

    /// Whether the parenthesized group opened at `openIndex` has a `:` at its own level.
    private func hasColonInGroup(_ tokens: [Token], openIndex: Int) -> Bool {
        var depth = 0
        var bracketDepth = 0
        var i = openIndex
        while i < tokens.count {
            let token = tokens[i]
            i += 1
            guard token.kind == .punctuator else { continue }
            switch text(token) {
            case "(", "(/": depth += 1
            case ")", "/)":
                depth -= 1
                if depth == 0 { return false }
            case "[": bracketDepth += 1
            case "]": bracketDepth -= 1
            case ":": if depth == 1 && bracketDepth == 0 { return true }
            default: break
            }
        }
        return false
    }

    private func mergeHeaderName(_ tokens: inout [Token], after nameIndex: Int) {
        guard let open = tokens[(nameIndex + 1)...].firstIndex(where: { isSignificant($0) }),
              isPunctuator(tokens[open], "<") else { return }
        guard let close = tokens[(open + 1)...].firstIndex(where: { $0.kind == .punctuator && bytes[$0.start] == asciiGreater }),
              !tokens[open...close].contains(where: { $0.kind == .newline }) else { return }
        let merged = Token(kind: .headerName, start: tokens[open].start, end: tokens[close].start + 1,
                           line: tokens[open].line, column: tokens[open].column)
        var replacement = [merged]
        // `>>=` or `>>` would swallow more than the `>`; keep the rest as its own punctuator.
        if tokens[close].end > tokens[close].start + 1 {
            replacement.append(Token(kind: .punctuator, start: tokens[close].start + 1, end: tokens[close].end,
                                     line: tokens[close].line, column: tokens[close].column + 1))
        }
        tokens.replaceSubrange(open...close, with: replacement)
    }

    /// Family, name and top-level words of a classified directive body.
    func info(_ tokens: [Token], fortranSentinel: Bool) -> DirectiveInfo? {
        var family = DirectiveFamily.preprocessor
        var name = ""
        var words: [String] = []
        var index = 0
        if fortranSentinel {
            guard let introducer = tokens.first(where: { $0.kind == .directiveIntroducer }) else { return nil }
            name = sentinelWord(introducer)
            family = name == "omp" ? .openMP : name == "acc" ? .openACC : .other
        } else {
            guard let nameIndex = tokens.firstIndex(where: { isSignificant($0) }) else {
                return DirectiveInfo(family: .preprocessor, name: "", words: [])
            }
            name = text(tokens[nameIndex])
            index = nameIndex + 1
            if name == "pragma", let sentinelIndex = tokens[index...].firstIndex(where: { isSignificant($0) }) {
                let sentinel = text(tokens[sentinelIndex])
                if sentinel == "omp" || sentinel == "acc" {
                    family = sentinel == "omp" ? .openMP : .openACC
                    index = sentinelIndex + 1
                }
            }
        }
        var depth = 0
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            guard isSignificant(token) else { continue }
            switch token.kind {
            case .punctuator:
                let t = text(token)
                if t == "(" || t == "(/" { depth += 1 }
                if t == ")" || t == "/)" { depth = max(0, depth - 1) }
            case .identifier, .keyword, .typeKeyword:
                if depth == 0 { words.append(text(token)) }
            case .headerName, .string:
                if depth == 0 && DirectiveClassifier.includeNames.contains(name) { words.append(text(token)) }
            default:
                break
            }
        }
        return DirectiveInfo(family: family, name: name, words: words)
    }
}
