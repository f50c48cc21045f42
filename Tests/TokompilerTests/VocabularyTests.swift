import CodeLexers
import Foundation
import XCTest
import StageKit
import StageKitTestSupport
@testable import Tokompiler

/// The versioned vocabulary: the original's ids 1-1184 unchanged, every keyword and operator of the languages present.
final class VocabularyTests: XCTestCase {
    let vocabulary = Vocabulary.standard

    func testEmbeddedVocabularyIsTheDataFile() throws {
        let file = try String(contentsOf: Support.root.appendingPathComponent("Data/tokompiler/vocab.txt"), encoding: .utf8)
        XCTAssertEqual(VocabularyText.standard + "\n", file, "run scripts/embed-tokompiler-vocab after editing vocab.txt")
        XCTAssertEqual(vocabulary.version, 1)
        XCTAssertEqual(vocabulary.sha256, StableHash.sha256Hex(file))
    }

    /// Ids from the reference's table of the original vocabulary (a sample of every group).
    func testOriginalIdsAreKept() {
        let facts: [(String, Int)] = [
            ("[PAD]", 1), ("[SOS]", 2), ("[EOS]", 3), ("[UNK]", 4), ("[MSK]", 5), ("[SEP]", 6), ("[CLS]", 7),
            ("!=", 8), ("\"", 9), ("#define", 10), ("#elif", 11), ("#else", 12), ("#endif", 13), ("#if", 14),
            ("#ifdef", 15), ("#ifndef", 16), ("$", 17), ("%", 18), ("&", 19), ("&&", 20), ("'", 21), ("(", 22),
            (")", 23), ("*", 24), ("**", 25), ("+", 26), ("++", 27), (",", 28), ("-", 29), ("--", 30), ("->", 31),
            (".", 32), ("...", 33), (".and.", 34), (".eq.", 35), (".false.", 36), (".true.", 44), ("/", 45),
            ("/)", 46), ("//", 47), ("0", 48), ("1", 49), ("10", 50), ("100", 51), ("1000", 52), ("101", 53),
            ("11", 62), ("2", 161), ("500", 496), ("9", 938), ("99", 1038), ("999", 1048), (":", 1049),
            ("::", 1050), (";", 1051), ("<", 1052), ("=", 1055), (">>", 1059), ("?", 1060), ("FALSE", 1061),
            ("NULL", 1062), ("TRUE", 1063), ("[", 1064), ("]", 1065), ("^", 1066), ("_", 1067), ("all", 1068),
            ("allocatable", 1069), ("arg", 1070), ("arr", 1071), ("auto", 1072), ("char", 1077), ("defined", 1086),
            ("double", 1091), ("field", 1102), ("for", 1104), ("func", 1106), ("int", 1115), ("num", 1128),
            ("size_t", 1149), ("std", 1153), ("str", 1155), ("struct", 1156), ("type", 1163), ("uint16_t", 1164),
            ("var", 1173), ("while", 1178), ("write", 1179), ("{", 1180), ("|", 1181), ("||", 1182), ("}", 1183),
            ("~", 1184),
        ]
        for (token, id) in facts { XCTAssertEqual(vocabulary.id(of: token), id, token) }
        // Every integer 0...1000 is at 48 + its rank among the decimal strings sorted bytewise.
        let ranked = (0...1000).map(String.init).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for (rank, text) in ranked.enumerated() { XCTAssertEqual(vocabulary.id(of: text), 48 + rank, text) }
        // The reference's additions come first after the original, in its order.
        let additions = ["+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "!", "#include", "#pragma", "omp",
                         "typedef", "template", "namespace", "private", "reduction", "simd", "[NL]", "[ID2]", "[ID3]"]
        for (offset, token) in additions.enumerated() { XCTAssertEqual(vocabulary.id(of: token), 1185 + offset, token) }
        XCTAssertEqual(TokenShardLayout.dtype(maxID: vocabulary.maxID), "uint16")
    }

    func testEveryKeywordAndOperatorOfEveryLanguageIsInTheVocabulary() {
        var missing: [String] = []
        for language in CodeLexers.Language.allCases {
            let tables = LexicalTables.of(language)
            for word in tables.keywords + tables.typeKeywords + tables.operators {
                let token = language == .fortran ? word.lowercased() : word
                if vocabulary.id(of: token) == nil { missing.append("\(language): \(token)") }
            }
        }
        for directive in LexicalTables.preprocessorDirectives where vocabulary.id(of: "#" + directive) == nil {
            missing.append("#" + directive)
        }
        for word in DirectiveVocabulary.openMP.allWords + DirectiveVocabulary.openACC.allWords
            where vocabulary.id(of: word) == nil {
            missing.append(word)
        }
        for sentinel in ["!$omp", "!$acc", "!$"] where vocabulary.id(of: sentinel) == nil { missing.append(sentinel) }
        XCTAssertEqual(missing, [])
    }

    func testEncodeAndDecode() {
        let ids = vocabulary.encode("for ( int var 3 = num 0 ; ) nonsense")
        XCTAssertEqual(ids, [1104, 22, 1115, 1173, vocabulary.id(of: "3"), 1055, 1128, 48, 1051, 23, 4].map { $0 ?? -1 })
        XCTAssertEqual(vocabulary.decode([1104, 22, 9999]), "for ( [UNK]")
    }

    func testLibraryGroups() {
        for name in ["printf", "MPI_Send", "omp_get_thread_num", "cudaMalloc", "get_global_id", "__syncthreads"] {
            let id = vocabulary.id(of: name)
            XCTAssertNotNil(id, name)
            XCTAssertTrue(id.map { vocabulary.groups[$0].contains(.cFunction) } ?? false, name)
        }
        for name in ["MPI_COMM_WORLD", "threadIdx", "FILE", "std"] {
            let id = vocabulary.id(of: name)
            XCTAssertTrue(id.map { !vocabulary.groups[$0].isDisjoint(with: [.cName, .keyword]) } ?? false, name)
        }
        XCTAssertNotNil(vocabulary.fortranLibrary.lookup("mpi_init"))
        XCTAssertEqual(vocabulary.fortranLibrary.lookup("mpi_offset").map { vocabulary.tokens[Int($0)] }, "MPI_OFFSET")
    }

    func testMalformedVocabularyIsRejected() {
        XCTAssertThrowsError(try Vocabulary(text: "1\t[PAD]\tspecial\n"))
        XCTAssertThrowsError(try Vocabulary(text: "# version 1\n2\tx\tkeyword\n"))
        XCTAssertThrowsError(try Vocabulary(text: "# version 1\n1\tx\tnonsense\n"))
    }

    func testPlaceholderIDEncoding() {
        XCTAssertEqual(PlaceholderID.tokens(for: 0), ["0"])
        XCTAssertEqual(PlaceholderID.tokens(for: 1000), ["1000"])
        XCTAssertEqual(PlaceholderID.tokens(for: 1001), ["[ID2]", "1", "1"])
        XCTAssertEqual(PlaceholderID.tokens(for: 1234), ["[ID2]", "1", "234"])
        XCTAssertEqual(PlaceholderID.tokens(for: 999_999), ["[ID2]", "999", "999"])
        XCTAssertEqual(PlaceholderID.tokens(for: 1_000_000), ["[ID3]", "1", "0", "0"])
        XCTAssertNil(PlaceholderID.tokens(for: 1_000_000_000))
        for id in [0, 7, 999, 1000, 1001, 1999, 20_345, 999_999, 1_000_000, 123_456_789] {
            let tokens = PlaceholderID.tokens(for: id) ?? []
            XCTAssertEqual(PlaceholderID.read(tokens, at: 0)?.id, id)
            XCTAssertEqual(PlaceholderID.read(tokens, at: 0)?.count, tokens.count)
        }
        XCTAssertNil(PlaceholderID.read(["[ID2]", "0", "5"], at: 0), "a leading zero digit has no meaning")
        XCTAssertNil(PlaceholderID.read(["007"], at: 0))
        XCTAssertNil(PlaceholderID.read(["1001"], at: 0))
    }
}
