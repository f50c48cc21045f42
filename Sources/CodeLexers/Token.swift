/// What a token is, as far as a lexer can tell without parsing.
public enum TokenKind: UInt8, Sendable, Hashable, CaseIterable, Codable {
    /// A name that is not a keyword of the language.
    case identifier
    /// A reserved word that is not a type name (`for`, `return`, `__global__`, `subroutine`, OpenMP words in directive bodies).
    case keyword
    /// A built-in type name (`int`, `double`, `size_t`, `float4` in OpenCL, `integer`, `real`).
    case typeKeyword
    /// A numeric literal, suffixes and kind parameters included (`0x1Fu`, `1.0_dp`, `1.0d0`, `12_km`).
    case number
    /// A string literal with its prefix and suffix (`"a"`, `u8"a"`, `R"x(a)x"`, `'it''s'` in Fortran).
    case string
    /// A C-family character literal (`'a'`, `L'\n'`).
    case character
    /// An operator or punctuator (`+=`, `->`, `<<<`, `::`, `.and.`, `(/`).
    case punctuator
    /// A whole directive line: a preprocessor line, or a Fortran `!$omp`/`!$acc`/`!dir$` line with its continuation lines.
    case directive
    /// What opens a directive inside a directive body (`#`, `!$omp`, `c$acc`), or the `!$` of a Fortran conditional-compilation line.
    case directiveIntroducer
    /// A header name after `#include` inside a directive body (`<stdio.h>`).
    case headerName
    /// A comment, delimiters included (a fixed-form Fortran comment line is one comment token).
    case comment
    /// A run of blanks, tabs, form feeds, vertical tabs and lone carriage returns.
    case whitespace
    /// One line break: `\n` or `\r\n`.
    case newline
    /// A line-continuation marker: C `\` before a line break (the break included), Fortran `&`, fixed-form column-6 character.
    case continuation
    /// A Fortran statement label (`10` in `10 continue`, columns 1-5 in fixed form).
    case label
    /// A byte that starts no token of the language (stray `\`, `@`, NUL, control bytes).
    case unknown
}

/// Extra facts about one token.
public struct TokenFlags: OptionSet, Sendable, Hashable {
    /// The raw flag bits.
    public let rawValue: UInt8
    /// Creates flags from raw bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// The comment, string, character literal or raw string ran to the end of its line or of the input without being closed.
    public static let unterminated = TokenFlags(rawValue: 1)
    /// The token spans more than one line.
    public static let multiline = TokenFlags(rawValue: 2)
}

/// One token: its kind and exact byte range in the input, with the 1-based line and byte column where it starts.
public struct Token: Sendable, Hashable {
    /// What the token is.
    public var kind: TokenKind
    /// Extra facts (unterminated, multi-line).
    public var flags: TokenFlags
    // Line and column are stored narrow so that a token is 32 bytes; they saturate instead of trapping.
    private var storedLine: Int32
    private var storedColumn: Int32
    /// Byte offset of the first byte.
    public var start: Int
    /// Byte offset one past the last byte.
    public var end: Int

    /// Creates a token; line and column saturate at `Int32.max`.
    public init(kind: TokenKind, start: Int, end: Int, line: Int, column: Int, flags: TokenFlags = []) {
        self.kind = kind
        self.flags = flags
        self.storedLine = Int32(clamping: line)
        self.storedColumn = Int32(clamping: column)
        self.start = start
        self.end = end
    }

    /// 1-based line of the first byte.
    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = Int32(clamping: newValue) }
    }

    /// 1-based byte column of the first byte.
    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Int32(clamping: newValue) }
    }

    /// Number of bytes.
    public var length: Int { end - start }

    /// The byte range.
    public var range: Range<Int> { start..<end }

    /// Whether the token is whitespace, a line break, a comment or a continuation marker (nothing a parser needs).
    public var isTrivia: Bool {
        switch kind {
        case .whitespace, .newline, .comment, .continuation: return true
        default: return false
        }
    }

    /// The token's bytes decoded as UTF-8 (invalid sequences become U+FFFD).
    public func text(in bytes: [UInt8]) -> String {
        guard start >= 0, end <= bytes.count, start <= end else { return "" }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The token's bytes decoded as UTF-8 (invalid sequences become U+FFFD).
    public func text(in bytes: UnsafeRawBufferPointer) -> String {
        guard start >= 0, end <= bytes.count, start <= end else { return "" }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
}

/// A byte range of the input with the lines it covers.
public struct SourceSpan: Sendable, Hashable, Codable {
    /// Byte offset of the first byte.
    public var start: Int
    /// Byte offset one past the last byte.
    public var end: Int
    /// 1-based line of the first byte.
    public var startLine: Int
    /// 1-based byte column of the first byte.
    public var startColumn: Int
    /// 1-based line of the last byte.
    public var endLine: Int

    /// Creates a span.
    public init(start: Int, end: Int, startLine: Int, startColumn: Int, endLine: Int) {
        self.start = start
        self.end = end
        self.startLine = startLine
        self.startColumn = startColumn
        self.endLine = endLine
    }

    /// The byte range.
    public var range: Range<Int> { start..<end }

    /// The span's bytes decoded as UTF-8 (invalid sequences become U+FFFD).
    public func text(in bytes: [UInt8]) -> String {
        guard start >= 0, end <= bytes.count, start <= end else { return "" }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
