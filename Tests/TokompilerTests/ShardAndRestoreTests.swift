import Foundation
import XCTest
import StageKit
import StageKitTestSupport
@testable import Tokompiler

/// Token shards round trip through the reader, with the documented byte layout; the restorer's layouts and errors.
final class ShardAndRestoreTests: XCTestCase {
    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tokompiler-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testShardsRoundTripAndSplit() throws {
        let folder = try temporaryFolder()
        let writer = TokenShardWriter(sink: try DirectoryArtifacts(directory: folder.path), maxID: 3537, shardTokens: 5)
        let documents: [(String, [Int32])] = [("a", [10, 1173, 48]), ("b", [1, 2, 3, 4]), ("c", []), ("d", [3537, 1, 2, 3, 4, 5, 6])]
        for (id, ids) in documents { try writer.append(documentID: id, ids: ids) }
        let metadata = try writer.finish(extra: ["vocab_version": .integer(1)])
        XCTAssertEqual(metadata["document_count"], 4)
        XCTAssertEqual(metadata["token_count"], 14)
        XCTAssertEqual(metadata["dtype"], "uint16")
        XCTAssertEqual(metadata["shards"]?.arrayValue?.count, 3, "a shard is closed before it would pass 5 tokens")

        let reader = try TokenShardReader(directory: folder.path)
        XCTAssertEqual(reader.documentCount, 4)
        XCTAssertEqual(reader.tokenCount, 14)
        for (index, (id, ids)) in documents.enumerated() {
            XCTAssertEqual(try reader.documentID(index), id)
            XCTAssertEqual(try reader.document(index), ids.map { UInt32($0) })
        }
        XCTAssertThrowsError(try reader.document(4))

        // The layout as documented: little-endian uint16 ids; uint64 offsets starting at 0.
        let bin = [UInt8](try Data(contentsOf: folder.appendingPathComponent("tokens-00000.bin")))
        XCTAssertEqual(bin, [10, 0, 0x95, 0x04, 48, 0])
        let idx = [UInt8](try Data(contentsOf: folder.appendingPathComponent("tokens-00000.idx")))
        XCTAssertEqual(idx, [0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("tokens-00000.docs"), encoding: .utf8), "a\n")
    }

    func testWideShards() throws {
        let folder = try temporaryFolder()
        let writer = TokenShardWriter(sink: try DirectoryArtifacts(directory: folder.path), maxID: 70_000, shardTokens: 100)
        try writer.append(documentID: "x", ids: [69_999, 1])
        try writer.finish(extra: [:])
        let reader = try TokenShardReader(directory: folder.path)
        XCTAssertEqual(reader.metadata["dtype"], "uint32")
        XCTAssertEqual(try reader.document(0), [69_999, 1])
    }

    func testRestoreRejectsUnknownPlaceholders() {
        XCTAssertThrowsError(try Restorer(language: .c).restore(tokens: "int var 0 ;", map: [:]))
        XCTAssertEqual(try Restorer(language: .c).restore(tokens: "int var [ID2] 1 5 ;", map: ["var_1005": "x"]), "int x ;\n")
    }

    func testMacroParameterListsTouchTheirNames() throws {
        let code = "#define N (64)\n#define F(a, b) ((a) + (b))\n#define G (N)\n#define H() 1\n#define V(...) __VA_ARGS__\nint x = F(N, G) + H() + V(1);\n"
        let document = Tokenizer().tokenize(code, language: .c)
        let restored = try Restorer(language: .c).restore(document)
        XCTAssertTrue(restored.contains("#define N ( 64 )"), restored)
        XCTAssertTrue(restored.contains("#define F( a , b )"), restored)
        XCTAssertTrue(restored.contains("#define H( )"), restored)
        XCTAssertTrue(restored.contains("#define V( ... )"), restored)
        // The documented ambiguity: a value that is a parenthesized list of names reads as parameters.
        XCTAssertTrue(restored.contains("#define G( N )"), restored)
    }

    func testFixedFormLayout() throws {
        var code = "      PROGRAM P\n      DOUBLE PRECISION X\n      X = 1.0D0"
        for index in 0..<30 { code += " + \(index).0D0" }
        code += "\n   10 CONTINUE\n      END\n"
        let document = Tokenizer().tokenize(code, language: .fortran, fortranFixedForm: true)
        let restored = try Restorer(language: .fortran, fortranFixedForm: true).restore(document)
        for line in restored.split(separator: "\n") {
            XCTAssertLessThanOrEqual(line.count, 72, String(line))
        }
        XCTAssertTrue(restored.contains("\n     &"), restored)
        XCTAssertTrue(restored.contains("10    continue"), restored)
        XCTAssertNil(try Support.roundTripDifference(Array(code.utf8), language: .fortran, fixed: true))
    }

    func testFreeFormLayout() throws {
        var code = "program p\n  real :: x\n  x = 1.0"
        for index in 0..<60 { code += " + \(index).0" }
        code += "\n!$omp parallel do private(aaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbbb, cccccccccccccccccccccccccccccccc) shared(dddddddddddddddddddd, eeeeeeeeeeeeeeee)\n  do i = 1, 2\n  end do\nend program p\n"
        let document = Tokenizer().tokenize(code, language: .fortran)
        let restored = try Restorer(language: .fortran).restore(document)
        for line in restored.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 132, String(line)) }
        XCTAssertTrue(restored.contains("!$omp& "), restored)
        XCTAssertNil(try Support.roundTripDifference(Array(code.utf8), language: .fortran, fixed: false))
    }

    func testRecordJSONIsCanonicalAndMatchesTheSchema() throws {
        let document = Tokenizer(options: TokenizerOptions(ids: .random(seed: 5), scope: .function))
            .tokenize(WorkedExampleTests.source, language: .c)
        let record = TokenRecord(sourceID: String(repeating: "a", count: 64), repo: "r", path: "x.c", language: .c,
                                 fortranFixedForm: nil, document: document,
                                 options: TokenizerOptions(ids: .random(seed: 5), scope: .function), vocabularyVersion: 1)
        let bytes = record.json()
        let value = try JSONParser.parse(bytes)
        XCTAssertEqual(JSONWriter.compact(value), bytes, "the hand-written ids array is canonical JSON")
        let schema = try XCTUnwrap(StageTesting.schemas([TokompilerTokenizeStage.self]).schema(named: "tokompiler-record"))
        XCTAssertTrue(schema.isValid(value), "\(schema.validate(value, maxIssues: 3))")
        let fields = try RecordTokens(record: value)
        XCTAssertEqual(fields.ids.map(Int32.init), document.ids)
        let restored = try Restorer(language: .c).restore(tokens: fields.tokens, map: fields.map, scopes: fields.scopes)
        XCTAssertEqual(Support.significantTokens(Array(restored.utf8), language: .c, fixed: false),
                       Support.significantTokens(Array(WorkedExampleTests.source.utf8), language: .c, fixed: false))
    }
}
