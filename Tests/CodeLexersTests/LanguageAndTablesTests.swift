import XCTest
import CodeLexers

final class LanguageAndTablesTests: XCTestCase {
    func testExtensions() {
        XCTAssertEqual(Language.forExtension("c"), .c)
        XCTAssertEqual(Language.forExtension("C"), .cpp)
        XCTAssertEqual(Language.forExtension("H"), .cpp)
        XCTAssertEqual(Language.forExtension("CPP"), .cpp)
        XCTAssertEqual(Language.forExtension("hxx"), .cpp)
        XCTAssertEqual(Language.forExtension("cuh"), .cuda)
        XCTAssertEqual(Language.forExtension("cl"), .opencl)
        XCTAssertEqual(Language.forExtension("F90"), .fortran)
        XCTAssertEqual(Language.forExtension("for"), .fortran)
        XCTAssertNil(Language.forExtension("h"))
        XCTAssertNil(Language.forExtension("py"))
        XCTAssertEqual(Language.detect(path: "src/a.b/kernel.cu", content: []), .cuda)
        XCTAssertNil(Language.detect(path: "Makefile", content: []))
        XCTAssertNil(Language.detect(path: "dir.c/README", content: []))
    }

    func testHeadersResolvedByContent() {
        let cHeader = """
        #ifndef UTIL_H
        #define UTIL_H
        #ifdef __cplusplus
        extern "C" {
        #endif
        /* std::vector in a comment does not count */
        struct node { struct node *new, *this; int class; };
        double wtime(void);
        #ifdef __cplusplus
        }
        #endif
        #endif
        """
        let cppHeader = """
        #pragma once
        #include <vector>
        """
        let cppHeader2 = "namespace prk { inline int f() { return 1; } }"
        let cppHeader3 = "template <typename T> T twice(T x) { return x + x; }"
        let cppHeader4 = "struct A { virtual ~A(); };"
        XCTAssertEqual(Language.detect(path: "util.h", content: Array(cHeader.utf8)), .c)
        XCTAssertEqual(Language.detect(path: "a.h", content: Array(cppHeader.utf8)), .cpp)
        XCTAssertEqual(Language.detect(path: "a.h", content: Array(cppHeader2.utf8)), .cpp)
        XCTAssertEqual(Language.detect(path: "a.h", content: Array(cppHeader3.utf8)), .cpp)
        XCTAssertEqual(Language.detect(path: "a.h", content: Array(cppHeader4.utf8)), .cpp)
        XCTAssertEqual(Language.detect(path: "a.h", content: Array("#include <stdio.h>\nint x;".utf8)), .c)
        // C code may use C++ keywords as names, and C23 has `constexpr` and `nullptr`.
        let cNames = "int template, *operator; struct s *class; constexpr int n = 3; void *p = nullptr;"
        XCTAssertEqual(Language.detect(path: "a.h", content: Array(cNames.utf8)), .c)
        XCTAssertEqual(Language.detect(path: "a.h", content: Array("class Grid : public Base { };".utf8)), .cpp)
        XCTAssertEqual(Language.detect(path: "a.h", content: Array("struct S {\n public:\n int x;\n};".utf8)), .cpp)
        XCTAssertEqual(Language.detect(path: "A.H", content: Array("int x;".utf8)), .cpp)
    }

    func testEveryKeywordLexesAsAKeyword() {
        for language in Language.allCases where language.isCFamily {
            let tables = LexicalTables.of(language)
            let lexer = Lexer(language)
            for word in tables.keywords {
                XCTAssertEqual(lex(word, lexer), "kw:\(word)", "\(language) \(word)")
            }
            for word in tables.typeKeywords {
                XCTAssertEqual(lex(word, lexer), "ty:\(word)", "\(language) \(word)")
            }
        }
        let fortran = Lexer(.fortran)
        for word in LexicalTables.of(.fortran).keywords {
            // At the start of a statement every keyword stands as one, in any case.
            XCTAssertEqual(lex(word.uppercased(), fortran), "kw:\(word.uppercased())", word)
        }
        for word in LexicalTables.of(.fortran).typeKeywords {
            XCTAssertEqual(lex("x = \(word)", fortran), "id:x op:= ty:\(word)", word)
        }
    }

    func testEveryOperatorLexesAsOneToken() {
        for language in Language.allCases where language.isCFamily {
            let tables = LexicalTables.of(language)
            for symbol in tables.operators {
                let isDigraph = LexicalTables.digraphs.contains(symbol)
                let lexer = Lexer(language, digraphs: isDigraph)
                // Preceded by a name so that `#` and `%:` are not directives, and `>>>` closes a launch.
                let prefix = symbol == ">>>" ? "x<<< " : "x "
                XCTAssertTrue(lex(prefix + symbol, lexer).hasSuffix(" op:\(symbol)"), "\(language) \(symbol): \(lex(prefix + symbol, lexer))")
            }
        }
        let fortran = Lexer(.fortran)
        for symbol in LexicalTables.of(.fortran).operators {
            XCTAssertEqual(lex("x \(symbol) ", fortran), "id:x op:\(symbol)", symbol)
        }
        XCTAssertEqual(lex("x & ", fortran), "id:x cont:&")
    }

    func testTablesHaveNoDuplicatesWhereTheyMatter() {
        for language in Language.allCases {
            let tables = LexicalTables.of(language)
            XCTAssertEqual(Set(tables.operators).count, tables.operators.count, "\(language)")
            XCTAssertTrue(Set(tables.keywords).isDisjoint(with: tables.typeKeywords), "\(language)")
        }
        for vocabulary in [DirectiveVocabulary.openMP, .openACC] {
            let words = vocabulary.allWords
            XCTAssertEqual(Set(words).count, words.count)
            XCTAssertEqual(words.first, vocabulary.sentinel)
            XCTAssertTrue(Set(vocabulary.loopConstructs).isSubset(of: vocabulary.directiveNames))
        }
        XCTAssertTrue(DirectiveVocabulary.openMP.allWords.contains("taskloop"))
        XCTAssertTrue(DirectiveVocabulary.openACC.allWords.contains("gang"))
    }

    func testTokenAccessors() {
        let bytes = Array("ab\ncd".utf8)
        let tokens = Lexer(.c).tokenize(bytes)
        XCTAssertEqual(tokens.map { $0.text(in: bytes) }, ["ab", "\n", "cd"])
        XCTAssertEqual(tokens[2].line, 2)
        XCTAssertEqual(tokens[2].column, 1)
        XCTAssertEqual(tokens[2].range, 3..<5)
        XCTAssertEqual(tokens[1].isTrivia, true)
        XCTAssertEqual(Token(kind: .identifier, start: 0, end: 1, line: Int.max, column: -5).line, Int(Int32.max))
        XCTAssertEqual(Token(kind: .identifier, start: 9, end: 12, line: 1, column: 1).text(in: bytes), "")
        var reused: [Token] = []
        bytes.withUnsafeBytes { Lexer(.c).tokenize($0, into: &reused) }
        XCTAssertEqual(reused, tokens)
        XCTAssertEqual(Lexer(.c).tokenize("ab\ncd"), tokens)
    }
}
