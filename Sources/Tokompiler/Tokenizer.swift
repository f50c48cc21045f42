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
        let (codes, ids) = TokenCode.codes(code, base: base, cPlusPlus: cPlusPlus, vocabulary: builder.vocabulary)
        knownTypes.collect(code, codes: codes, base: base)
        var classifier = CFamilyClassifier(tokens: code, codes: codes, base: base, cPlusPlus: cPlusPlus, root: .file)
        classifier.run(knownTypes: &knownTypes)
        let roles = classifier.roles
        var next = 0
        for index in 0...code.count {
            while next < directives.count && directives[next].position == index {
                directive(directives[next].token, into: &builder)
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
        let codes = TokenCode.codes(list, base: base, cPlusPlus: cPlusPlus, vocabulary: builder.vocabulary).codes
        var classifier = CFamilyClassifier(tokens: list, codes: codes, base: base, cPlusPlus: cPlusPlus, root: root)
        classifier.run(knownTypes: &knownTypes)
        for (index, token) in list.enumerated() {
            var role = classifier.roles[index]
            if parallelDirective && role == .fixed && (token.kind == .keyword || token.kind == .typeKeyword) {
                role = .directiveWord
            }
            builder.add(role, start: token.start, end: token.end, unknown: unknownKind(token))
        }
    }

    private func text(_ token: Token) -> String { token.text(in: bytes) }

    private func isPunctuator(_ token: Token, _ byte: UInt8) -> Bool {
        token.kind == .punctuator && token.length == 1 && base[token.start] == byte
    }

    /// A preprocessor line: `#name` as one token, its words classified by directive, then `[NL]`.
    mutating func directive(_ token: Token, into builder: inout DocumentBuilder) {
        let body = lexer.directiveBody(of: token, in: bytes).filter {
            switch $0.kind {
            case .whitespace, .newline, .comment, .continuation: return false
            default: return true
            }
        }
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
            builder.add(functionLike ? .functionDecl : .variableDecl, start: macro.start, end: macro.end)
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
