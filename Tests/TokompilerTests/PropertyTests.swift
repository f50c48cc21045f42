import Foundation
import XCTest
import StageKit
import StageKitTestSupport
@testable import Tokompiler

/// Properties over generated inputs: no input crashes the tokenizer, the output is well formed and deterministic,
/// and streams of valid tokens restore token for token.
final class PropertyTests: XCTestCase {
    private var generator = SplitMix64(seed: 0x70_6B_6F_6D)

    private func randomBytes(_ count: Int, alphabet: [UInt8]? = nil) -> [UInt8] {
        (0..<count).map { _ in
            if let alphabet { return alphabet[Int(generator.below(UInt64(alphabet.count)))] }
            return UInt8(truncatingIfNeeded: generator.next())
        }
    }

    private func checkWellFormed(_ document: TokenizedDocument, _ vocabulary: Vocabulary = .standard) {
        XCTAssertEqual(document.tokens.count, document.ids.count)
        XCTAssertTrue(document.ids.allSatisfy { $0 >= 1 && Int($0) <= vocabulary.maxID })
        XCTAssertFalse(document.text.contains("  "))
        for (token, id) in zip(document.tokens, document.ids) where Int(id) != vocabulary.unknownID {
            XCTAssertEqual(vocabulary.tokens[Int(id)], String(token))
        }
    }

    func testRandomBytesNeverCrash() {
        let code = Array("int x = (a[3] + b) * c; /* */ // x\n#define F(y) y##y \"s\\\" 'c' <<< >>> !$omp & :: -> .and. 1.0d0 \t\r\n".utf8)
        for round in 0..<300 {
            let count = Int(generator.below(400))
            let bytes = round % 2 == 0 ? randomBytes(count) : randomBytes(count, alphabet: code)
            for language in TokenizerLanguage.allCases {
                for fixed in language == .fortran ? [false, true] : [false] {
                    for options in [TokenizerOptions(), TokenizerOptions(anonymizeLibraryCalls: true, ids: .random(seed: 1), scope: .function)] {
                        let document = Tokenizer(options: options).tokenize(
                            SourceInput(bytes: bytes, language: language, fortranFixedForm: fixed))
                        checkWellFormed(document)
                        // Restoring may not give the same tokens back for garbage, but it must not fail or crash.
                        XCTAssertNoThrow(try Restorer(language: language, fortranFixedForm: fixed).restore(document))
                    }
                }
            }
        }
    }

    /// Random sequences of real C tokens (balanced or not) restore token for token.
    func testRandomCTokenStreamsRestore() throws {
        let words = ["int", "x", "y", "f", "(", ")", "{", "}", "[", "]", ";", ",", "=", "+", "*", "&", "->", ".", "struct",
                     "s", "return", "if", "else", "for", "1", "2.5f", "'a'", "\"t\"", "<", ">", "<<", "::", "typedef",
                     "T", "sizeof", "?", ":", "printf", "MPI_Send", "threadIdx", "NULL", "~", "!", "#", "operator",
                     "template", "<<<", ">>>", "class", "new", "delete", "enum", "goto", "case", "default", "__global__"]
        for round in 0..<400 {
            var text = ""
            let count = 1 + Int(generator.below(60))
            for index in 0..<count {
                var word = words[Int(generator.below(UInt64(words.count)))]
                if word == "#" { word = index == 0 ? "#define M(a) a" : "##" }
                text += word + (generator.below(8) == 0 ? "\n" : " ")
            }
            for language in [TokenizerLanguage.c, .cpp, .cuda] {
                let bytes = Array(text.utf8)
                if let difference = try Support.roundTripDifference(bytes, language: language, fixed: false) {
                    XCTFail("round \(round) \(language): \(difference)\n\(text)")
                    return
                }
            }
        }
    }

    /// Random sequences of Fortran statements, free and fixed form, restore token for token.
    func testRandomFortranStatementsRestore() throws {
        let statements = ["x = y + 1.5d0 * z(i)", "call solve(a, b, n)", "do i = 1, n", "end do", "if (x .gt. 0) then",
                          "else", "end if", "real :: a(10), b", "integer, parameter :: n = 8", "print *, 'x = ', x",
                          "a(i) = sqrt(b(i)) + max(x, y)", "p%v = q%w(2)", "use omp_lib", "go to 10", "10 continue",
                          "write (*, 100) x", "100 format (f10.3)", "call mpi_send(buf, n, MPI_DOUBLE_PRECISION, 0, 1, comm, ierr)",
                          "!$omp parallel do private(i) reduction(+:s)", "!$omp end parallel do", "x = 'it''s'; y = 2",
                          "type(grid) :: g", "s = s + a(i) * b(i) + c(i) * d(i) + e(i) * f(i) + g(i) * h(i) + o(i) * p(i)"]
        for round in 0..<200 {
            var lines: [String] = []
            for _ in 0..<(1 + Int(generator.below(12))) {
                lines.append(statements[Int(generator.below(UInt64(statements.count)))])
            }
            let free = lines.joined(separator: "\n") + "\n"
            let fixed = lines.map { line -> String in
                if line.hasPrefix("!$") { return line }
                if let first = line.first, first.isNumber {
                    let parts = line.split(separator: " ", maxSplits: 1)
                    return String(parts[0]).padding(toLength: 6, withPad: " ", startingAt: 0) + (parts.count > 1 ? String(parts[1]) : "")
                }
                return "      " + line
            }.joined(separator: "\n") + "\n"
            for (text, isFixed) in [(free, false), (fixed, true)] {
                if let difference = try Support.roundTripDifference(Array(text.utf8), language: .fortran, fixed: isFixed) {
                    XCTFail("round \(round) fixed \(isFixed): \(difference)\n\(text)")
                    return
                }
            }
        }
    }

    func testOutputIsDeterministic() throws {
        let bytes = Array(try Data(contentsOf: GoldenTests.samples.appendingPathComponent("stencil.c")))
        for options in [TokenizerOptions(), TokenizerOptions(ids: .random(seed: 42), scope: .function)] {
            let a = Tokenizer(options: options).tokenize(SourceInput(bytes: bytes, language: .c))
            let b = Tokenizer(options: options).tokenize(SourceInput(bytes: bytes, language: .c))
            XCTAssertEqual(a, b)
        }
    }

    func testRandomIDsAreReproducibleAndSeeded() throws {
        let bytes = Array(try Data(contentsOf: GoldenTests.samples.appendingPathComponent("stencil.c")))
        let seeded = { (seed: UInt64) in
            Tokenizer(options: TokenizerOptions(ids: .random(seed: seed))).tokenize(SourceInput(bytes: bytes, language: .c))
        }
        let a = seeded(1), b = seeded(1), c = seeded(2)
        XCTAssertEqual(a.text, b.text)
        XCTAssertNotEqual(a.text, c.text)
        // Ids are drawn from 0...1000, distinct within a category, and the map stays a bijection.
        for (key, _) in a.map {
            let id = Int(key.split(separator: "_").last ?? "") ?? -1
            XCTAssertTrue((0...1000).contains(id), key)
        }
        XCTAssertEqual(Set(a.map.keys).count, a.map.count)
        let sequential = Tokenizer().tokenize(SourceInput(bytes: bytes, language: .c))
        XCTAssertEqual(a.map.count, sequential.map.count)
        XCTAssertEqual(Set(a.map.values), Set(sequential.map.values))
    }

    /// More names in a category than number tokens: ids past 1000 use [ID2] and restore exactly.
    func testIDsPastTheVocabularysNumbers() throws {
        var text = ""
        for index in 0..<1500 { text += "int v\(index) = \(index);\n" }
        let bytes = Array(text.utf8)
        for options in [TokenizerOptions(), TokenizerOptions(ids: .random(seed: 3))] {
            let document = Tokenizer(options: options).tokenize(SourceInput(bytes: bytes, language: .c))
            XCTAssertTrue(document.text.contains("var [ID2] 1 499"), "the 1500th name is var_1499")
            XCTAssertEqual(document.map.count, 3000)
            checkWellFormed(document)
            XCTAssertNil(try Support.roundTripDifference(bytes, language: .c, fixed: false, options: options))
        }
    }

    func testEmptyAndTriviaOnlyInputs() throws {
        for text in ["", "   \n\n", "/* only a comment */", "// x\n"] {
            let document = Tokenizer().tokenize(text, language: .c)
            XCTAssertEqual(document.ids, [])
            XCTAssertEqual(try Restorer(language: .c).restore(document), "")
        }
    }

    func testInvalidUTF8AndControlBytesRestore() throws {
        let bytes: [UInt8] = Array("int a = 1; @ ` \\ ".utf8) + [0x01, 0x20] + Array("x\u{7F}y;".utf8)
        let document = Tokenizer().tokenize(SourceInput(bytes: bytes, language: .c))
        XCTAssertTrue(document.text.contains("\\x01"), document.text)
        XCTAssertGreaterThan(document.unknownCount, 0)
        XCTAssertNil(try Support.roundTripDifference(bytes, language: .c, fixed: false))
    }
}
