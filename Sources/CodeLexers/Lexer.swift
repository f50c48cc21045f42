/// How to lex: the language and its variant switches.
public struct LexerOptions: Sendable, Hashable {
    /// The language.
    public var language: Language
    /// The Fortran source form (ignored for C-family languages).
    public var fortranForm: FortranForm
    /// Whether C-family digraphs (`<:`, `%>`, `%:`) are punctuators; off by default, since real code rarely uses
    /// them and C++ template code such as `A<::B>` reads better without.
    public var digraphs: Bool
    /// Whether `.whitespace` and `.newline` tokens are emitted; without them the tokens no longer tile the input.
    public var whitespace: Bool
    /// Fixed-form Fortran only: bytes past this column are lexed as one `.comment` token (72 for strict FORTRAN 77);
    /// nil keeps every column, as most compilers now do.
    public var fixedFormLineLength: Int?

    /// Creates options.
    public init(language: Language, fortranForm: FortranForm = .free, digraphs: Bool = false, whitespace: Bool = true,
                fixedFormLineLength: Int? = nil) {
        self.language = language
        self.fortranForm = fortranForm
        self.digraphs = digraphs
        self.whitespace = whitespace
        self.fixedFormLineLength = fixedFormLineLength
    }
}

/// A hand-written lexer for C, C++, CUDA, OpenCL C or Fortran over UTF-8 bytes that never traps on any input.
public struct Lexer: Sendable {
    /// The options this lexer was made with.
    public let options: LexerOptions

    /// Creates a lexer from options.
    public init(options: LexerOptions) { self.options = options }

    /// Creates a lexer for a language.
    public init(_ language: Language, fortranForm: FortranForm = .free, digraphs: Bool = false, whitespace: Bool = true) {
        self.options = LexerOptions(language: language, fortranForm: fortranForm, digraphs: digraphs, whitespace: whitespace)
    }

    /// Lexes bytes into tokens. With `whitespace` on (the default) the tokens tile the input: in order, without
    /// overlap or gap, so that their bytes concatenated give back the input exactly.
    public func tokenize(_ bytes: UnsafeRawBufferPointer) -> [Token] {
        var tokens: [Token] = []
        tokenize(bytes, into: &tokens)
        return tokens
    }

    /// Lexes a byte array into tokens.
    public func tokenize(_ bytes: [UInt8]) -> [Token] {
        bytes.withUnsafeBytes { tokenize($0) }
    }

    /// Lexes a string's UTF-8 bytes into tokens.
    public func tokenize(_ text: String) -> [Token] {
        tokenize(Array(text.utf8))
    }

    /// Lexes bytes, replacing the contents of `tokens` (whose capacity is reused across calls).
    public func tokenize(_ bytes: UnsafeRawBufferPointer, into tokens: inout [Token]) {
        tokens.removeAll(keepingCapacity: true)
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let pointer = base.assumingMemoryBound(to: UInt8.self)
        tokens.reserveCapacity(bytes.count / 3 + 16)
        let range = LexRange(start: 0, end: bytes.count, line: 1, lineStart: 0)
        switch options.language {
        case .fortran:
            var scanner = FortranScanner(base: pointer, range: range, options: options, mode: .file)
            scanner.run(into: &tokens)
        default:
            var scanner = CFamilyScanner(base: pointer, range: range, options: options, directiveBody: false)
            scanner.run(into: &tokens)
        }
    }
}

/// Where a scan starts and stops, and the line bookkeeping at its start.
struct LexRange {
    var start: Int
    var end: Int
    var line: Int
    var lineStart: Int
}
