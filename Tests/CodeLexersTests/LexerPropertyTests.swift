import XCTest
import CodeLexers

/// Lexing never traps, and the tokens always tile the input, on random bytes and on mutated real code.
final class LexerPropertyTests: XCTestCase {
    // Fragments that open or close the lexers' multi-byte constructs, so that random inputs reach them often.
    private static let fragments: [[UInt8]] = [
        "\"", "'", "\\", "\\\n", "\\\r\n", "/*", "*/", "//", "#", "#pragma omp parallel for ", "%:", "<:", "R\"x(",
        ")x\"", "u8\"", "L'", "<<<", ">>>", "\n", "\r\n", "\r", "\0", "!", "!$omp ", "!$acc ", "c$omp", "!$ ", "&",
        "&\n", "     &", "\t", ".and.", ".true._lk", "1.0d0", "1.e", "0x1p-3", "b'101'", "'it''s'", "@", "`", "\u{7F}",
        "é", "{", "}", "(", ")", "for (", "do i = 1, n", "end do", "subroutine s", "end", "10 continue",
    ].map { Array($0.utf8) }

    private func randomInput(_ generator: inout SeededGenerator, maxLength: Int) -> [UInt8] {
        let length = Int.random(in: 0...maxLength, using: &generator)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length + 16)
        while bytes.count < length {
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: bytes.append(UInt8.random(in: 0...255, using: &generator))
            case 1: bytes += Self.fragments.randomElement(using: &generator) ?? []
            default: bytes.append(UInt8.random(in: 0x20...0x7E, using: &generator))
            }
        }
        // Invalid UTF-8 (lone continuation bytes, truncated sequences) at either end.
        if Bool.random(using: &generator) { bytes.append(0xC3) }
        if Bool.random(using: &generator) { bytes.insert(0x80, at: 0) }
        return bytes
    }

    /// Everything the module offers must hold up on one input: tokens, directive bodies, directive info, structure.
    private func checkEverything(_ bytes: [UInt8], _ lexer: Lexer, _ note: @autoclosure () -> String) {
        let tokens = lexer.tokenize(bytes)
        assertTiles(tokens, bytes, note())
        for token in tokens where token.kind == .directive {
            let body = lexer.directiveBody(of: token, in: bytes)
            assertTiles(body, bytes, range: token.range, "directive body \(note())")
            _ = lexer.directiveInfo(of: token, in: bytes)
        }
        let structure = lexer.structure(of: bytes)
        for function in structure.functions {
            XCTAssertTrue(function.span.start >= 0 && function.span.start <= function.span.end && function.span.end <= bytes.count)
            XCTAssertTrue(function.span.startLine <= function.span.endLine)
            XCTAssertTrue(function.bodyStart >= function.span.start && function.bodyStart <= function.span.end)
            if let parent = function.parent { XCTAssertTrue(parent < structure.functions.count) }
        }
        for loop in structure.loops {
            XCTAssertTrue(loop.span.start >= 0 && loop.span.start <= loop.span.end && loop.span.end <= bytes.count)
            XCTAssertTrue(loop.span.startLine <= loop.span.endLine)
            if let function = loop.function { XCTAssertTrue(function < structure.functions.count) }
        }
        let quiet = Lexer(options: LexerOptions(language: lexer.options.language, fortranForm: lexer.options.fortranForm,
                                                digraphs: lexer.options.digraphs, whitespace: false,
                                                fixedFormLineLength: lexer.options.fixedFormLineLength))
        XCTAssertEqual(quiet.tokenize(bytes), tokens.filter { $0.kind != .whitespace && $0.kind != .newline },
                       "without whitespace \(note())")
    }

    func testRandomBytesTileForEveryLexer() {
        var generator = SeededGenerator(seed: 0x5EED_0001)
        for round in 0..<250 {
            let bytes = randomInput(&generator, maxLength: 600)
            for (index, lexer) in allLexers.enumerated() {
                checkEverything(bytes, lexer, "round \(round) lexer \(index)")
            }
        }
    }

    func testMutatedSnippetsTile() {
        var generator = SeededGenerator(seed: 0x5EED_0002)
        for (name, source, lexers) in Snippets.all {
            let original = Array(source.utf8)
            for round in 0..<120 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    guard !bytes.isEmpty else { break }
                    let at = Int.random(in: 0..<bytes.count, using: &generator)
                    switch Int.random(in: 0..<5, using: &generator) {
                    case 0: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...40, using: &generator)))
                    case 1: bytes.insert(contentsOf: Self.fragments.randomElement(using: &generator) ?? [], at: at)
                    case 2: bytes[at] = UInt8.random(in: 0...255, using: &generator)
                    case 3: bytes.removeSubrange(at...)
                    default:
                        let end = min(bytes.count, at + Int.random(in: 1...80, using: &generator))
                        bytes.insert(contentsOf: Array(bytes[at..<end]), at: end)
                    }
                }
                for lexer in lexers + [Lexer(.c), Lexer(.fortran, fortranForm: .fixed)] {
                    checkEverything(bytes, lexer, "\(name) mutation \(round)")
                }
            }
        }
    }

    func testUnterminatedConstructsRunToTheEnd() {
        let cases: [(String, Lexer, TokenKind)] = [
            ("x = /* never closed\nmore", Lexer(.c), .comment),
            ("s = \"no end", Lexer(.c), .string),
            ("c = 'x", Lexer(.c), .character),
            ("auto r = R\"d(raw\nlines", Lexer(.cpp), .string),
            ("s = 'no end", Lexer(.fortran), .string),
        ]
        for (source, lexer, kind) in cases {
            let bytes = Array(source.utf8)
            let tokens = lexer.tokenize(bytes)
            assertTiles(tokens, bytes)
            let token = tokens.first { $0.kind == kind }
            XCTAssertNotNil(token, source)
            XCTAssertTrue(token?.flags.contains(.unterminated) ?? false, source)
        }
    }

    /// Deeply nested and very repetitive inputs finish quickly (no quadratic paths, no deep recursion).
    func testHostileShapesStayLinear() {
        let shapes: [(String, Lexer)] = [
            (String(repeating: "{", count: 60_000), Lexer(.cpp)),
            (String(repeating: "(", count: 60_000) + String(repeating: "]", count: 60_000), Lexer(.c)),
            ("void f() {" + String(repeating: "for(;;) ", count: 20_000) + "x; }", Lexer(.c)),
            ("void f() {" + String(repeating: "if (a) x; else ", count: 20_000) + "y; }", Lexer(.c)),
            ("void f() {" + String(repeating: "do ", count: 20_000) + "x;" + String(repeating: " while(1);", count: 20_000) + "}", Lexer(.c)),
            ("A::A() : " + String(repeating: "a{}, ", count: 20_000) + "b{} {}", Lexer(.cpp)),
            (String(repeating: "#pragma omp for\n", count: 20_000) + "for(;;);", Lexer(.c)),
            (String(repeating: "#if X\n", count: 20_000) + String(repeating: "#endif\n", count: 20_000), Lexer(.c)),
            (String(repeating: "do i = 1, n\n", count: 20_000) + String(repeating: "end do\n", count: 20_000), Lexer(.fortran)),
            (String(repeating: "integer a; ", count: 20_000), Lexer(.fortran)),
            (String(repeating: "type t\n", count: 20_000) + String(repeating: "end subroutine\n", count: 20_000), Lexer(.fortran)),
            (String(repeating: "      DO 10 I = 1, N\n", count: 20_000) + "   10 CONTINUE\n", Lexer(.fortran, fortranForm: .fixed)),
            (String(repeating: "x", count: 200_000), Lexer(.fortran, fortranForm: .fixed)),
        ]
        for (source, lexer) in shapes {
            let bytes = Array(source.utf8)
            let tokens = lexer.tokenize(bytes)
            assertTiles(tokens, bytes)
            _ = lexer.structure(of: bytes)
        }
    }

    func testEmptyAndTinyInputs() {
        for lexer in allLexers {
            XCTAssertEqual(lexer.tokenize([UInt8]()), [])
            XCTAssertEqual(lexer.structure(of: [UInt8]()).functions, [])
            for byte in 0...255 {
                let bytes = [UInt8(byte)]
                assertTiles(lexer.tokenize(bytes), bytes)
            }
        }
    }
}
