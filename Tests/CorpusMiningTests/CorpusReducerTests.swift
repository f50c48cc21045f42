import XCTest
import StageKit
import StageKitTestSupport

@testable import CorpusMining

/// Records of a mined corpus held in memory, reduced through the test-support reduce context as the runner
/// would: the output, rejects and artifacts are those of the context.
final class MemoryReduceIO {
    var input: [String: [(key: RecordKey, bytes: [UInt8])]] = [:]
    private var context: InMemoryReduceContext?

    func add(_ record: JSONValue, stream: String, locator: String) {
        let key = RecordKey(id: record["id"]?.stringValue ?? "", locator: locator, line: 0)
        input[stream, default: []].append((key, JSONWriter.compact(record)))
    }

    /// Runs the reducer, then passes through what it left, as the runner does.
    func reduce(with reducer: CorpusReducer) throws {
        let stage = CorpusMineStage.self
        let streams = try StageTesting.make(stage).streams
        let context = InMemoryReduceContext(streams: streams, records: input)
        try reducer.reduce(context)
        try context.finish()
        self.context = context
    }

    var output: [String: [(key: RecordKey, bytes: [UInt8])]] { context?.output ?? [:] }
    var rejects: [Reject] { context?.rejects ?? [] }
    var artifacts: [String: [UInt8]] { context?.artifacts ?? [:] }

    func records(_ stream: String) throws -> [JSONValue] { try (output[stream] ?? []).map { try JSONParser.parse($0.bytes) } }
}

final class CorpusReducerTests: XCTestCase {
    private func body(_ seed: Int, words: Int = 400) -> String {
        // Ten words a line: a long single line would be dropped by the line-length filter.
        (0..<words).map { "word\(($0 * 7 + seed) % 997)_\($0 % 13)" + ($0 % 10 == 9 ? "\n" : " ") }.joined()
    }

    private func mine(_ io: MemoryReduceIO, _ miner: FileMiner, _ locator: String, repo: String, _ text: String) throws {
        switch miner.mine(locator: locator, repo: repo, content: Array(text.utf8)) {
        case .mined(let bytes):
            let mined = try ParsedMinedFile(bytes)
            io.add(mined.file, stream: CorpusStreams.files, locator: locator)
            io.add(mined.signature, stream: CorpusStreams.signatures, locator: locator)
            for record in mined.functions { io.add(record, stream: CorpusStreams.functions, locator: locator) }
            for record in mined.loops { io.add(record, stream: CorpusStreams.ompLoops, locator: locator) }
        case .license(let record):
            io.add(record, stream: CorpusStreams.licenses, locator: locator)
        default:
            XCTFail("\(locator) was not mined")
        }
    }

    func testExactThenNearDuplicatesKeepTheSmallestIdAndTakeTheirRecordsAlong() throws {
        let miner = FileMiner(parameters: CorpusMineParameters())
        let io = MemoryReduceIO()
        let original = "#include <omp.h>\nvoid f(double *a, int n)\n{\n#pragma omp parallel for\n    for (int i = 0; i < n; i++) a[i] = 0;\n}\n/* " + body(1) + " */\n"
        try mine(io, miner, "r1/a.c", repo: "r1", original)
        try mine(io, miner, "r2/b.c", repo: "r2", original.replacingOccurrences(of: "\n", with: "  \r\n"))
        try mine(io, miner, "r3/c.c", repo: "r3", original.replacingOccurrences(of: "    for", with: "\tfor") + "// one more comment\n")
        try mine(io, miner, "r4/d.c", repo: "r4", "void g(void) { }\n/* " + body(500) + " */\n")
        try mine(io, miner, "r4/LICENSE", repo: "r4", "Apache License\nVersion 2.0, January 2004\n")
        try io.reduce(with: CorpusReducer(parameters: CorpusMineParameters()))

        let files = try io.records(CorpusStreams.files)
        XCTAssertEqual(files.count, 2)
        let kept = try XCTUnwrap(files.first { $0["repo"] != "r4" })
        let allIDs = (io.input[CorpusStreams.files] ?? []).filter { $0.key.locator != "r4/d.c" }.map(\.key.id).sorted()
        XCTAssertEqual(kept["id"]?.stringValue, allIDs.first, "the smallest id of the three copies is kept")
        XCTAssertEqual(kept["near_dup_cluster"], kept["id"])
        XCTAssertEqual(kept["near_dup_cluster_size"], 2, "exact duplicates are removed before clustering")
        XCTAssertEqual(kept["license"], .null)
        let other = try XCTUnwrap(files.first { $0["repo"] == "r4" })
        XCTAssertEqual(other["license"], "Apache-2.0", "repository license from the LICENSE file")
        XCTAssertEqual(other["near_dup_cluster_size"], 1)
        XCTAssertEqual(io.rejects.map(\.code).sorted(), ["corpus.exact_duplicate", "corpus.near_duplicate"])
        for reject in io.rejects {
            XCTAssertEqual(reject.rejectClass, .dropped)
            XCTAssertTrue(reject.reason.contains(kept["id"]?.stringValue ?? "?"), reject.reason)
        }
        let keptID = kept["id"]?.stringValue
        let functions = try io.records(CorpusStreams.functions)
        XCTAssertEqual(functions.count, 2)
        XCTAssertTrue(functions.allSatisfy { $0["file_id"]?.stringValue == keptID || $0["repo"] == "r4" })
        let loops = try io.records(CorpusStreams.ompLoops)
        XCTAssertEqual(loops.count, 1)
        XCTAssertEqual(loops.first?["file_id"]?.stringValue, keptID)

        let summary = try JSONParser.parse(try XCTUnwrap(io.artifacts["dedup.json"]))
        XCTAssertEqual(summary["files"], 4)
        XCTAssertEqual(summary["exact_duplicates"], 1)
        XCTAssertEqual(summary["near_duplicates"], 1)
        XCTAssertEqual(summary["near_duplicate_clusters"], .object(["2": 1]))
        XCTAssertEqual(summary["lsh_index"]?["documents"], 3)
    }

    func testDedupCanBeTurnedOffAndNearDuplicatesKept() throws {
        var parameters = CorpusMineParameters()
        parameters.exactDedup = false
        parameters.keepNearDuplicates = true
        let miner = FileMiner(parameters: parameters)
        let io = MemoryReduceIO()
        let text = "int x;\n/* " + body(3) + " */\n"
        try mine(io, miner, "a/x.c", repo: "a", text)
        try mine(io, miner, "b/x.c", repo: "b", text)
        try io.reduce(with: CorpusReducer(parameters: parameters))
        let files = try io.records(CorpusStreams.files)
        XCTAssertEqual(files.count, 2)
        XCTAssertEqual(Set(files.map { $0["near_dup_cluster"] }).count, 1)
        XCTAssertEqual(files.map { $0["near_dup_cluster_size"] }, [2, 2])
        XCTAssertTrue(io.rejects.isEmpty)

        parameters.nearDedup = false
        let plain = MemoryReduceIO()
        try mine(plain, FileMiner(parameters: parameters), "a/x.c", repo: "a", text)
        try mine(plain, FileMiner(parameters: parameters), "b/x.c", repo: "b", text)
        try plain.reduce(with: CorpusReducer(parameters: parameters))
        XCTAssertEqual(try plain.records(CorpusStreams.files).count, 2)
    }

    func testTheSameFileFromTwoInputsKeepsTheFirstLocator() throws {
        let miner = FileMiner(parameters: CorpusMineParameters())
        let io = MemoryReduceIO()
        let text = "#include <omp.h>\nvoid f(void)\n{\n}\n/* " + body(9) + " */\n"
        try mine(io, miner, "a/pk.tar.gz!pk/x.c", repo: "pk", text)
        try mine(io, miner, "b/pk.tar.gz!pk/x.c", repo: "pk", text)
        try io.reduce(with: CorpusReducer(parameters: CorpusMineParameters()))
        XCTAssertEqual(try io.records(CorpusStreams.files).count, 1)
        XCTAssertEqual(io.output[CorpusStreams.files]?.first?.key.locator, "a/pk.tar.gz!pk/x.c")
        XCTAssertEqual(io.rejects.map(\.locator), ["b/pk.tar.gz!pk/x.c"])
        XCTAssertEqual(io.rejects.first?.code, "corpus.exact_duplicate")
        XCTAssertEqual(io.output[CorpusStreams.functions]?.map(\.key.locator), ["a/pk.tar.gz!pk/x.c"])
    }
}
