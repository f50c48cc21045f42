import Foundation
import XCTest
@testable import Engine
import Storage
import Readers
import StageKit
import StageKitTestSupport

final class EngineTests: XCTestCase {
    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "pipe-core-\(UUID().uuidString)"
        try FileSystem.makeDirectory(path)
        addTeardownBlock { try? FileSystem.remove(path) }
        return path
    }

    func testSorterSpillsAndMergesInKeyOrder() throws {
        let directory = try temporaryDirectory()
        let sorter = RecordSorter(temporaryDirectory: directory, memoryLimit: 2_000)
        var expected: [RecordKey] = []
        for index in 0..<1_000 {
            let key = RecordKey(id: "id-\((index * 7919) % 1000)", locator: "f\(index % 3)", line: index)
            expected.append(key)
            try sorter.add(key: key, bytes: Array("{\"n\":\(index)}".utf8))
        }
        XCTAssertGreaterThan(FileSystem.list(directory).count, 1, "the small memory limit must force spills")
        var seen: [RecordKey] = []
        try sorter.drain { key, bytes in
            seen.append(key)
            XCTAssertEqual(bytes, Array("{\"n\":\(key.line)}".utf8))
        }
        XCTAssertEqual(seen, expected.sorted())
        XCTAssertTrue(FileSystem.list(directory).isEmpty, "runs are removed after the merge")
    }

    func testKeysOrderByteWiseThenLocatorThenLine() {
        XCTAssertLessThan(RecordKey(id: "B", locator: "z", line: 9), RecordKey(id: "a", locator: "a", line: 0))
        XCTAssertLessThan(RecordKey(id: "a", locator: "a", line: 9), RecordKey(id: "a", locator: "b", line: 0))
        XCTAssertLessThan(RecordKey(id: "a", locator: "a", line: 2), RecordKey(id: "a", locator: "a", line: 10))
        XCTAssertLessThan(RecordKey(id: "z", locator: "", line: 0), RecordKey(id: "é", locator: "", line: 0))
    }

    func testKeyLinesReadAndWriteAsTheJSONForm() throws {
        let texts = ["", "a", "0123abcdef", "in/x.tar.gz!repo/f.c", "quote\"back\\slash", "tab\tnew\nline\u{1}",
                     "é ü 漢字", "[\"a\",\"b\",1]", "1"]
        var keys: [RecordKey] = []
        for id in texts {
            for locator in texts { keys.append(RecordKey(id: id, locator: locator, line: keys.count % 3 == 0 ? -7 : keys.count)) }
        }
        keys.append(RecordKey(id: "x", locator: "y", line: 0))
        keys.append(RecordKey(id: "x", locator: "y", line: 123_456_789_012))
        for key in keys {
            var line: [UInt8] = []
            key.appendJSON(to: &line)
            XCTAssertEqual(line, JSONWriter.compact(key.json))
            XCTAssertEqual(try RecordKey(keyLine: line), key)
        }
        // Lines the direct reader leaves to the parser still read, or fail, as the parser says.
        XCTAssertEqual(try RecordKey(keyLine: Array(#"[ "a" , "b" , 3 ]"#.utf8)), RecordKey(id: "a", locator: "b", line: 3))
        XCTAssertThrowsError(try RecordKey(keyLine: Array(#"["a","b",01]"#.utf8)))
        XCTAssertThrowsError(try RecordKey(keyLine: Array(#"["a","b"]"#.utf8)))
        XCTAssertThrowsError(try RecordKey(keyLine: Array(#"["a","b",]"#.utf8)))
        // Byte order: the same as comparing the UTF-8 views element by element.
        for left in texts {
            for right in texts {
                let expected = left.utf8.lexicographicallyPrecedes(right.utf8)
                XCTAssertEqual(RecordKey(id: left, locator: "", line: 0) < RecordKey(id: right, locator: "", line: 0), expected)
                XCTAssertEqual(RecordKey(id: "", locator: left, line: 0) < RecordKey(id: "", locator: right, line: 0), expected)
            }
        }
    }

    func testTaskOwnershipIsStableAndSpread() {
        XCTAssertEqual(StableHash.owner(ofLocator: "../Data/demo/part-a.jsonl", taskCount: 8),
                       StableHash.owner(ofLocator: "../Data/demo/part-a.jsonl", taskCount: 8))
        var counts = [Int](repeating: 0, count: 8)
        for index in 0..<8_000 { counts[StableHash.owner(ofLocator: "file-\(index)", taskCount: 8)] += 1 }
        XCTAssertTrue(counts.allSatisfy { $0 > 850 && $0 < 1_150 }, "\(counts)")
        XCTAssertEqual(StableHash.owner(ofLocator: "anything", taskCount: 1), 0)
    }

    func testHash128IsTheFirstHalfOfTheSHA256() {
        for text in ["", "abc", "id\u{0}in/x.tar.gz!repo/f.c", "é漢"] {
            let hash = StableHash.hash128(text)
            let hex = StableHash.sha256Hex(text)
            XCTAssertEqual(hash.high, UInt64(hex.prefix(16), radix: 16))
            XCTAssertEqual(hash.low, UInt64(hex.dropFirst(16).prefix(16), radix: 16))
        }
    }

    func testSHA256MatchesKnownVector() {
        XCTAssertEqual(StableHash.sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testMetadataDateFollowsSourceDateEpoch() {
        XCTAssertEqual(PipeVersion.metadataDate(environment: ["SOURCE_DATE_EPOCH": "0"]), "1970-01-01")
        XCTAssertEqual(PipeVersion.metadataDate(environment: ["SOURCE_DATE_EPOCH": "1767225600"]), "2026-01-01")
        XCTAssertEqual(PipeVersion.isoDate(epochSeconds: 951_782_400), "2000-02-29")
        XCTAssertEqual(PipeVersion.isoDate(epochSeconds: -86_400), "1969-12-31")
    }

    func testYAMLDocumentLocatesValuesAndKeys() throws {
        let document = try YAMLDocument(text: """
            pipeline: p
            stages:
              s:
                kind: records.import
                params: {schema: "x", n: 3, ok: true, f: 1.5, nothing: null}
            """, path: "p.yaml")
        XCTAssertEqual(document.value["stages"]?["s"]?["params"]?["n"], .integer(3))
        XCTAssertEqual(document.value["stages"]?["s"]?["params"]?["ok"], .bool(true))
        XCTAssertEqual(document.value["stages"]?["s"]?["params"]?["f"], .number(1.5))
        XCTAssertEqual(document.value["stages"]?["s"]?["params"]?["nothing"], .null)
        XCTAssertEqual(document.location(of: "/stages/s/kind").prefix, "p.yaml:4:11")
        XCTAssertEqual(document.location(of: "/stages/s/kind", key: true).prefix, "p.yaml:4:5")
        XCTAssertEqual(document.location(of: "/stages/s/params/missing").prefix, "p.yaml:5:13")
    }

    func testYAMLAliasBombIsRefused() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1..<9 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        XCTAssertThrowsError(try YAMLDocument(text: text, path: "bomb.yaml")) { error in
            XCTAssertEqual((error as? PipeError)?.code, "yaml.too_large")
        }
    }

    func testYAMLDuplicateKeysAreErrors() {
        XCTAssertThrowsError(try YAMLDocument(text: "a: 1\na: 2\n", path: "d.yaml")) { error in
            XCTAssertEqual((error as? PipeError)?.code, "yaml.duplicate_key")
            XCTAssertNotNil((error as? PipeError)?.location?.line)
        }
    }

    func testInputResolverExpandsGlobsFoldersAndLists() throws {
        let root = try temporaryDirectory()
        for path in ["data/b.jsonl", "data/a.jsonl", "repo/src/x.c", "repo/y.c"] {
            try FileSystem.makeDirectory(((root + "/" + path) as NSString).deletingLastPathComponent)
            try FileSystem.writeAtomically(Array("x".utf8), to: root + "/" + path)
        }
        try FileSystem.writeAtomically(Array("# comment\ndata/a.jsonl\n\n".utf8), to: root + "/inputs.txt")
        let stage = StageSpec(
            name: "s", kind: "records.import",
            inputs: [.glob("data/*.jsonl"), .path("repo", repo: "myrepo"), .list("inputs.txt")],
            tasks: 2, params: [:], pipeline: "p", file: root + "/p.yaml", pointer: "/stages/s")
        let files = try InputResolver(pipelineFile: root + "/p.yaml").files(for: stage, document: nil)
        XCTAssertEqual(files.map(\.locator), ["data/a.jsonl", "data/b.jsonl", "repo/src/x.c", "repo/y.c"])
        XCTAssertEqual(files.map(\.repo), [nil, nil, "myrepo", "myrepo"])

        let empty = StageSpec(name: "e", kind: "records.import", inputs: [.glob("none/*.x")], tasks: 1, params: [:],
                              pipeline: "p", file: root + "/p.yaml", pointer: "/stages/e")
        XCTAssertThrowsError(try InputResolver(pipelineFile: root + "/p.yaml").files(for: empty, document: nil))
    }

    func testRunKeyChangesWithParamsAndInputsButNotWithTasks() {
        let base = RunKey(kind: "k", params: ["a": 1], inputs: [InputHash(locator: "x", sha256: "00")], upstream: [:],
                          version: "v")
        let otherParams = RunKey(kind: "k", params: ["a": 2], inputs: [InputHash(locator: "x", sha256: "00")],
                                 upstream: [:], version: "v")
        let otherInput = RunKey(kind: "k", params: ["a": 1], inputs: [InputHash(locator: "x", sha256: "01")],
                                upstream: [:], version: "v")
        XCTAssertNotEqual(base.runID, otherParams.runID)
        XCTAssertNotEqual(base.runID, otherInput.runID)
        XCTAssertEqual(base.runID.count, 16)
    }
}
