import StageKit
import CodeLexers

/// Tokompiler-style tokenization: lexes a file, classifies names and literals into placeholder categories,
/// numbers them, and writes the token text, vocabulary ids and the placeholder map.
public struct Tokenizer: Sendable {
    /// The vocabulary ids come from.
    public let vocabulary: Vocabulary
    /// The switches.
    public let options: TokenizerOptions

    /// Creates a tokenizer.
    public init(vocabulary: Vocabulary = .standard, options: TokenizerOptions = TokenizerOptions()) {
        self.vocabulary = vocabulary
        self.options = options
    }

    /// Tokenizes one file. Any bytes are accepted: invalid UTF-8 is carried through lexing and written lossily
    /// in the map only (callers that need exact restoration check UTF-8 first).
    public func tokenize(_ input: SourceInput) -> TokenizedDocument {
        let language = input.language
        let lexerLanguage: CodeLexers.Language
        switch language {
        case .c: lexerLanguage = .c
        case .cpp: lexerLanguage = .cpp
        case .cuda: lexerLanguage = .cuda
        case .opencl: lexerLanguage = .opencl
        case .fortran: lexerLanguage = .fortran
        }
        // Fortran statements end at line breaks, so its lexer keeps them; C-family code needs none.
        let lexer = Lexer(lexerLanguage, fortranForm: input.fortranFixedForm ? .fixed : .free,
                          whitespace: language == .fortran)
        var contentSeed: UInt64 = 0
        if case .random = options.ids {
            let digest = StableHash.sha256Hex(input.bytes)
            contentSeed = UInt64(digest.prefix(16), radix: 16) ?? 0
        }
        return input.bytes.withUnsafeBytes { raw -> TokenizedDocument in
            guard let start = raw.baseAddress, raw.count > 0 else {
                return TokenizedDocument(text: "", ids: [], map: [:], scopes: [], unknown: [:], unknownByKind: [:])
            }
            let base = start.assumingMemoryBound(to: UInt8.self)
            let tokens = lexer.tokenize(raw)
            var builder = DocumentBuilder(bytes: raw, base: base, vocabulary: vocabulary, language: language,
                                          options: options, expectedTokens: tokens.count + raw.count / 8 + 16)
            if language == .fortran {
                var driver = FortranDriver(lexer: lexer, bytes: raw, base: base, fixedForm: input.fortranFixedForm)
                driver.run(tokens: tokens, into: &builder)
            } else {
                var driver = CFamilyDriver(lexer: lexer, bytes: raw, base: base, cPlusPlus: language.isCPlusPlus)
                driver.run(tokens: tokens, into: &builder)
            }
            var functions: [Range<Int>] = []
            if options.scope == .function {
                let structure = lexer.structure(of: raw, tokens: tokens)
                var end = -1
                for function in structure.functions where function.parent == nil && function.span.start >= end {
                    functions.append(function.span.start..<max(function.span.start, function.span.end))
                    end = function.span.end
                }
            }
            return builder.finish(functions: functions, contentSeed: contentSeed)
        }
    }

    /// Tokenizes source text.
    public func tokenize(_ text: String, language: TokenizerLanguage, fortranFixedForm: Bool = false) -> TokenizedDocument {
        tokenize(SourceInput(bytes: Array(text.utf8), language: language, fortranFixedForm: fortranFixedForm))
    }
}

/// Preprocessor directive names the tokenizer treats apart, looked up by bytes.
enum DirectiveName {
    static let define: Int32 = 1
    static let conditionalName: Int32 = 2
    static let include: Int32 = 3
    static let pragma: Int32 = 4
    static let message: Int32 = 5

    static let table: ByteKeyTable = {
        var table = ByteKeyTable.Builder(capacity: 16)
        table.insert(Array("define".utf8), value: define)
        for word in ["undef", "ifdef", "ifndef", "elifdef", "elifndef"] { table.insert(Array(word.utf8), value: conditionalName) }
        for word in ["include", "include_next", "import", "embed"] { table.insert(Array(word.utf8), value: include) }
        table.insert(Array("pragma".utf8), value: pragma)
        for word in ["error", "warning"] { table.insert(Array(word.utf8), value: message) }
        return ByteKeyTable(table)
    }()

    /// Whether three bytes spell `omp` or `acc`.
    static func isParallelSentinel(_ p: UnsafePointer<UInt8>) -> Bool {
        (p[0] == UInt8(ascii: "o") && p[1] == UInt8(ascii: "m") && p[2] == UInt8(ascii: "p"))
            || (p[0] == UInt8(ascii: "a") && p[1] == UInt8(ascii: "c") && p[2] == UInt8(ascii: "c"))
    }
}

/// What the arguments of a macro that expands to `_Pragma` are read as.
enum PragmaFamily {
    /// Nothing in the macro says: the arguments' own `omp` or `acc` does, else OpenMP.
    static let unknown: Int32 = 1
    static let openMP: Int32 = 2
    static let openACC: Int32 = 3
}

/// The kind of UNK a lexer token would be.
func unknownKind(_ token: Token) -> UnknownKind {
    switch token.kind {
    case .keyword, .typeKeyword: return .keyword
    case .punctuator: return .operator
    default: return .other
    }
}

/// Runs the C-family classifier over a file's code tokens and its directives, in source order.
struct CFamilyDriver {
    let lexer: Lexer
    let bytes: UnsafeRawBufferPointer
    let base: UnsafePointer<UInt8>
    let cPlusPlus: Bool
    var knownTypes = KnownTypes()
    /// Macros that expand to `_Pragma`, with the `PragmaFamily` their arguments are read in; nil when there are none.
    var pragmaWrappers: ByteKeyTable.Builder?
    /// Object-like macros defined as a type name; nil when there are none.
    var typeMacros: ByteKeyTable.Builder?

    init(lexer: Lexer, bytes: UnsafeRawBufferPointer, base: UnsafePointer<UInt8>, cPlusPlus: Bool) {
        self.lexer = lexer
        self.bytes = bytes
        self.base = base
        self.cPlusPlus = cPlusPlus
    }

    mutating func run(tokens: [Token], into builder: inout DocumentBuilder) {
        var code: [Token] = []
        code.reserveCapacity(tokens.count)
        var directives: [(position: Int, token: Token)] = []
        for token in tokens {
            switch token.kind {
            case .whitespace, .newline, .comment, .continuation:
                continue
            case .directive:
                directives.append((code.count, token))
            default:
                code.append(token)
            }
        }
        // Directive bodies are lexed once, before the code: what the `#define`s say changes how the code reads.
        let bodies = directives.map { significantBody(of: $0.token) }
        let (codes, ids) = TokenCode.codes(code, base: base, cPlusPlus: cPlusPlus, vocabulary: builder.vocabulary)
        knownTypes.collect(code, codes: codes, base: base)
        scanDefinitions(bodies)
        var classifier = CFamilyClassifier(tokens: code, codes: codes, base: base, cPlusPlus: cPlusPlus, root: .file)
        classifier.run(knownTypes: &knownTypes)
        var roles = classifier.roles
        if pragmaWrappers != nil { readPragmaArguments(code, codes: codes, roles: &roles, vocabulary: builder.vocabulary) }
        var next = 0
        for index in 0...code.count {
            while next < directives.count && directives[next].position == index {
                directive(directives[next].token, body: bodies[next], into: &builder)
                next += 1
            }
            guard index < code.count else { break }
            let token = code[index]
            if roles[index] == .fixed && ids[index] >= 0 {
                builder.addFixed(ids[index], start: token.start, end: token.end)
            } else {
                builder.add(roles[index], start: token.start, end: token.end, unknown: unknownKind(token))
            }
        }
    }

    /// Classifies a token list as a macro body (`.block`) or an expression (`.paren`) and adds it.
    /// `parallelDirective`: the words of an OpenMP/OpenACC pragma, where a "keyword" outside the vocabulary is a
    /// macro standing for clauses rather than an unknown keyword.
    mutating func classify(_ tokens: ArraySlice<Token>, root: CFamilyClassifier.FrameKind, parallelDirective: Bool = false,
                           into builder: inout DocumentBuilder) {
        guard !tokens.isEmpty else { return }
        let list = Array(tokens)
        let roles = classifiedRoles(list, root: root, parallelDirective: parallelDirective, vocabulary: builder.vocabulary)
        for (index, token) in list.enumerated() {
            builder.add(roles[index], start: token.start, end: token.end, unknown: unknownKind(token))
        }
    }

    private mutating func classifiedRoles(_ list: [Token], root: CFamilyClassifier.FrameKind, parallelDirective: Bool,
                                          vocabulary: Vocabulary) -> [Role] {
        let codes = TokenCode.codes(list, base: base, cPlusPlus: cPlusPlus, vocabulary: vocabulary).codes
        var classifier = CFamilyClassifier(tokens: list, codes: codes, base: base, cPlusPlus: cPlusPlus, root: root)
        classifier.run(knownTypes: &knownTypes)
        var roles = classifier.roles
        if parallelDirective {
            for (index, token) in list.enumerated()
            where roles[index] == .fixed && (token.kind == .keyword || token.kind == .typeKeyword) {
                roles[index] = .directiveWord
            }
        } else if pragmaWrappers != nil {
            readPragmaArguments(list, codes: codes, roles: &roles, vocabulary: vocabulary)
        }
        return roles
    }

    // MARK: Macros

    /// Reads the file's `#define`s before its code: an object-like macro defined as a type name is a type
    /// (`#define DTYPE double`), and a macro whose expansion reaches `_Pragma` holds pragma text in its arguments.
    private mutating func scanDefinitions(_ bodies: [[Token]]) {
        var definitions: [(name: Token, body: ArraySlice<Token>)] = []
        for body in bodies {
            guard body.count >= 3, body[1].kind == .keyword,
                  DirectiveName.table.lookup(base + body[1].start, body[1].length) == DirectiveName.define,
                  body[2].kind == .identifier || body[2].kind == .keyword || body[2].kind == .typeKeyword else { continue }
            let name = body[2]
            var rest = body[3...]
            if let open = rest.first, isPunctuator(open, UInt8(ascii: "(")), open.start == name.end {
                while let parameter = rest.first {
                    rest = rest.dropFirst()
                    if isPunctuator(parameter, UInt8(ascii: ")")) { break }
                }
            } else if isTypeName(rest) {
                if typeMacros == nil { typeMacros = ByteKeyTable.Builder(capacity: 16) }
                typeMacros?.insert(base + name.start, name.length, value: 1)
                knownTypes.add(base, name)
            } else {
                knownTypes.addMacro(base, name)
            }
            definitions.append((name, rest))
        }
        // A wrapper may be defined through another (`OMP_FOR(x)` through `PRAGMA(x)`): each round finds one more
        // level of them.
        var round = 0
        var found = true
        while found && round < 8 {
            found = false
            round += 1
            for definition in definitions where wrapperFamily(definition.name) == nil {
                guard let family = pragmaFamily(of: definition.body) else { continue }
                if pragmaWrappers == nil { pragmaWrappers = ByteKeyTable.Builder(capacity: 16) }
                pragmaWrappers?.insert(base + definition.name.start, definition.name.length, value: family)
                found = true
            }
        }
    }

    /// Whether a macro's value is a type name: type keywords, a struct, union or enum tag, or a name the file
    /// declares as a type, with `const`, `volatile` and `*` around them.
    private func isTypeName(_ value: ArraySlice<Token>) -> Bool {
        var sawType = false
        var index = value.startIndex
        while index < value.endIndex {
            let token = value[index]
            index += 1
            switch token.kind {
            case .typeKeyword:
                sawType = true
            case .keyword:
                if isWord(token, "struct") || isWord(token, "union") || isWord(token, "enum") {
                    guard index < value.endIndex, value[index].kind == .identifier else { return false }
                    index += 1
                    sawType = true
                } else if !isWord(token, "const") && !isWord(token, "volatile") {
                    return false
                }
            case .identifier:
                guard knownTypes.contains(base, token) else { return false }
                sawType = true
            case .punctuator:
                guard sawType, isPunctuator(token, UInt8(ascii: "*")) else { return false }
            default:
                return false
            }
        }
        return sawType
    }

    /// The family of pragma text a macro's arguments hold when its value reaches `_Pragma`, directly or through
    /// another such macro; nil when it does not.
    private func pragmaFamily(of value: ArraySlice<Token>) -> Int32? {
        var wraps = false
        var named: Int32?
        var inherited: Int32?
        for token in value {
            switch token.kind {
            case .keyword:
                if isWord(token, "_Pragma") { wraps = true }
            case .identifier:
                if named == nil && isWord(token, "omp") { named = PragmaFamily.openMP }
                if named == nil && isWord(token, "acc") { named = PragmaFamily.openACC }
                if let family = wrapperFamily(token) {
                    wraps = true
                    if family != PragmaFamily.unknown && inherited == nil { inherited = family }
                }
            default:
                break
            }
        }
        return wraps ? named ?? inherited ?? PragmaFamily.unknown : nil
    }

    private func wrapperFamily(_ token: Token) -> Int32? {
        pragmaWrappers?.lookup(base + token.start, token.length)
    }

    /// Gives the arguments of each call of a pragma-wrapping macro in `list` the roles of pragma words: `omp`, `for`,
    /// `schedule`, `static` stay words as after `#pragma omp`, and clause variables are names.
    private mutating func readPragmaArguments(_ list: [Token], codes: [UInt8], roles: inout [Role], vocabulary: Vocabulary) {
        var i = 0
        while i + 1 < list.count {
            defer { i += 1 }
            guard codes[i] == TokenCode.identifier, codes[i + 1] == TokenCode.leftParen else { continue }
            var wrapper = wrapperFamily(list[i])
            if wrapper == nil && i >= 2 && codes[i - 1] == TokenCode.leftParen && isWord(list[i - 2], "_Pragma") {
                // `_Pragma(STR(omp for x))`: the macro makes the pragma's string from its arguments.
                wrapper = PragmaFamily.unknown
            }
            guard let family = wrapper else { continue }
            var depth = 0
            var close = -1
            var j = i + 1
            scan: while j < list.count && j - i < 4096 {
                switch codes[j] {
                case TokenCode.leftParen:
                    depth += 1
                case TokenCode.rightParen:
                    depth -= 1
                    if depth == 0 {
                        close = j
                        break scan
                    }
                case TokenCode.leftBrace, TokenCode.rightBrace, TokenCode.semicolon:
                    break scan
                default:
                    break
                }
                j += 1
            }
            guard close > i + 2 else { continue }
            var words = Array(list[(i + 2)..<close])
            Lexer.markParallelWords(&words, in: bytes, vocabulary: family == PragmaFamily.openACC ? .openACC : .openMP)
            let wordRoles = classifiedRoles(words, root: .paren, parallelDirective: true, vocabulary: vocabulary)
            for k in words.indices {
                // Only the OpenMP and OpenACC words are kept: another word there is a macro parameter or a macro
                // standing for clauses (`x` in `PRAGMA(omp for x)`), even one the vocabulary has for other uses.
                roles[i + 2 + k] = wordRoles[k] == .directiveWord ? .word : wordRoles[k]
            }
            i = close
        }
    }

    private func isWord(_ token: Token, _ word: StaticString) -> Bool {
        guard token.length == word.utf8CodeUnitCount else { return false }
        let expected = word.utf8Start
        for k in 0..<token.length where base[token.start + k] != expected[k] { return false }
        return true
    }

    private func text(_ token: Token) -> String { token.text(in: bytes) }

    private func isPunctuator(_ token: Token, _ byte: UInt8) -> Bool {
        token.kind == .punctuator && token.length == 1 && base[token.start] == byte
    }

    /// The tokens of a directive line without trivia.
    private func significantBody(of token: Token) -> [Token] {
        lexer.directiveBody(of: token, in: bytes).filter {
            switch $0.kind {
            case .whitespace, .newline, .comment, .continuation: return false
            default: return true
            }
        }
    }

    /// A preprocessor line: `#name` as one token, its words classified by directive, then `[NL]`.
    mutating func directive(_ token: Token, into builder: inout DocumentBuilder) {
        directive(token, body: significantBody(of: token), into: &builder)
    }

    private mutating func directive(_ token: Token, body: [Token], into builder: inout DocumentBuilder) {
        defer { builder.addNewline(at: token.end) }
        guard let introducer = body.first else { return }
        var rest = body.dropFirst()
        var name: Int32 = 0
        if let nameToken = rest.first, nameToken.kind == .keyword || nameToken.kind == .identifier
            || nameToken.kind == .typeKeyword {
            // `#` and the name are one vocabulary token (`#define`), whatever the spacing between them.
            var combined: [UInt8] = [UInt8(ascii: "#")]
            combined += UnsafeBufferPointer(start: base + nameToken.start, count: nameToken.length)
            if let id = builder.vocabulary.exact.lookup(combined) {
                builder.addFixed(id, start: introducer.start, end: nameToken.end)
                rest = rest.dropFirst()
                name = DirectiveName.table.lookup(base + nameToken.start, nameToken.length) ?? 0
            } else {
                builder.addFixedText(start: introducer.start, end: introducer.end, unknown: .operator)
            }
        } else if let id = builder.vocabulary.exact.lookup("#") {
            // `#` alone, or `%:` written as a digraph: the null directive's `#`.
            builder.addFixed(id, start: introducer.start, end: introducer.end)
        }
        switch name {
        case DirectiveName.define:
            guard let macro = rest.first, macro.kind == .identifier || macro.kind == .keyword
                || macro.kind == .typeKeyword else {
                classify(rest, root: .block, into: &builder)
                return
            }
            rest = rest.dropFirst()
            let functionLike = rest.first.map { isPunctuator($0, UInt8(ascii: "(")) && $0.start == macro.end } ?? false
            let isType = !functionLike && typeMacros?.lookup(base + macro.start, macro.length) != nil
            builder.add(functionLike ? .functionDecl : isType ? .typeDecl : .variableDecl, start: macro.start, end: macro.end)
            if functionLike {
                while let parameter = rest.first {
                    rest = rest.dropFirst()
                    if parameter.kind == .identifier || parameter.kind == .keyword || parameter.kind == .typeKeyword {
                        builder.add(.variableDecl, start: parameter.start, end: parameter.end)
                    } else {
                        builder.add(.fixed, start: parameter.start, end: parameter.end, unknown: unknownKind(parameter))
                    }
                    if isPunctuator(parameter, UInt8(ascii: ")")) { break }
                }
            }
            classify(rest, root: .block, into: &builder)
        case DirectiveName.conditionalName:
            for word in rest {
                builder.add(word.kind == .identifier ? .variable : roleOfLiteralOrFixed(word), start: word.start,
                            end: word.end, unknown: unknownKind(word))
            }
        case DirectiveName.include:
            for word in rest {
                let role: Role = word.kind == .headerName ? .header : word.kind == .identifier ? .variable
                    : roleOfLiteralOrFixed(word)
                builder.add(role, start: word.start, end: word.end, unknown: unknownKind(word))
            }
        case DirectiveName.pragma:
            if let sentinel = rest.first, sentinel.kind == .keyword, sentinel.length == 3,
               DirectiveName.isParallelSentinel(base + sentinel.start) {
                classify(rest, root: .paren, parallelDirective: true, into: &builder)
            } else {
                for word in rest {
                    let role: Role = word.kind == .identifier || word.kind == .keyword || word.kind == .typeKeyword
                        ? .word : roleOfLiteralOrFixed(word)
                    builder.add(role, start: word.start, end: word.end, unknown: unknownKind(word))
                }
            }
        case DirectiveName.message:
            // The text of `#error` and `#warning` is a message, not code: one string placeholder, so that its words do
            // not join the code's names and an apostrophe (`can't`) does not open a character literal.
            if let first = rest.first, let last = rest.last {
                builder.add(.string, start: first.start, end: last.end)
            }
        default:
            classify(rest, root: .paren, into: &builder)
        }
    }

    private func roleOfLiteralOrFixed(_ token: Token) -> Role {
        switch token.kind {
        case .number: return .number
        case .string: return .string
        case .character: return .character
        case .headerName: return .header
        case .punctuator, .keyword, .typeKeyword: return .fixed
        default: return .raw
        }
    }
}

/// Fortran source form detection (CodeLexers' rules), for callers that do not import CodeLexers.
enum FortranFormDetection {
    static func isFixed(pathExtension: String, bytes: [UInt8]) -> Bool {
        FortranForm.detect(pathExtension: pathExtension, content: bytes) == .fixed
    }
}

/// Language detection by extension (`.h` by content), with CodeLexers' rules.
enum LanguageDetection {
    static func language(path: String, bytes: [UInt8]) -> TokenizerLanguage? {
        guard let language = Language.detect(path: path, content: bytes) else { return nil }
        return TokenizerLanguage(rawValue: language.rawValue)
    }
}
