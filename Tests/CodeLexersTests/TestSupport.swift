import XCTest
import CodeLexers

/// Short names for token kinds, so that golden token streams stay readable.
let kindNames: [TokenKind: String] = [
    .identifier: "id", .keyword: "kw", .typeKeyword: "ty", .number: "num", .string: "str", .character: "chr",
    .punctuator: "op", .directive: "dir", .directiveIntroducer: "intro", .headerName: "hdr", .comment: "com",
    .whitespace: "ws", .newline: "nl", .continuation: "cont", .label: "lbl", .unknown: "unk",
]

/// The significant tokens of a token list as `kind:text`, one space apart (whitespace and newlines left out).
func render(_ tokens: [Token], _ bytes: [UInt8], keepComments: Bool = true) -> String {
    tokens.filter { $0.kind != .whitespace && $0.kind != .newline && (keepComments || $0.kind != .comment) }
        .map { "\(kindNames[$0.kind] ?? "?"):\($0.text(in: bytes))" }
        .joined(separator: " ")
}

/// Lexes `source` and renders its significant tokens.
func lex(_ source: String, _ lexer: Lexer, keepComments: Bool = true) -> String {
    let bytes = Array(source.utf8)
    return render(lexer.tokenize(bytes), bytes, keepComments: keepComments)
}

/// Checks that tokens tile `bytes` (or `range` of it) exactly and that each token's line and column match its
/// offset; reports the first problem only, so that large inputs stay fast.
func assertTiles(_ tokens: [Token], _ bytes: [UInt8], range: Range<Int>? = nil, _ message: @autoclosure () -> String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    let expected = range ?? 0..<bytes.count
    var position = expected.lowerBound
    for token in tokens {
        guard token.start == position, token.end > token.start, token.end <= expected.upperBound else {
            XCTFail("token \(token) does not continue at \(position) \(message())", file: file, line: line)
            return
        }
        position = token.end
    }
    if position != expected.upperBound {
        XCTFail("tokens stop at \(position), not \(expected.upperBound) \(message())", file: file, line: line)
        return
    }
    guard range == nil else { return }
    // Lines count LF bytes; columns count bytes from the last LF.
    var lineNumber = 1
    var lineStart = 0
    var index = 0
    for token in tokens {
        while index < token.start {
            if bytes[index] == 0x0A {
                lineNumber += 1
                lineStart = index + 1
            }
            index += 1
        }
        if token.line != lineNumber || token.column != token.start - lineStart + 1 {
            XCTFail("\(token) should be at \(lineNumber):\(token.start - lineStart + 1) \(message())", file: file, line: line)
            return
        }
    }
}

/// SplitMix64: a small seeded generator, so that random tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Every lexer configuration the module supports.
let allLexers: [Lexer] = [
    Lexer(.c), Lexer(.cpp), Lexer(.cuda), Lexer(.opencl), Lexer(.c, digraphs: true), Lexer(.cpp, digraphs: true),
    Lexer(.fortran, fortranForm: .free), Lexer(.fortran, fortranForm: .fixed),
    Lexer(options: LexerOptions(language: .fortran, fortranForm: .fixed, fixedFormLineLength: 72)),
]
