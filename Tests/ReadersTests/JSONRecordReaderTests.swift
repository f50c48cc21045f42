import Foundation
import StageKit
import XCTest
@testable import Readers

/// The streaming JSON reader over files: every layout and compression, each kind of damage reported once
/// with its element, line and offset, and reading going on where the layout allows.
final class JSONRecordReaderTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "JSONRecordReaderTests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    private func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func compressed(_ tool: String, _ bytes: [UInt8]) throws -> [UInt8] {
        let input = try file("raw-\(UUID().uuidString)", bytes)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool, "-q", "-c", input]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](data)
    }

    private struct Read {
        var records: [(JSONValue, JSONElementPosition)] = []
        var problems: [JSONInputProblem] = []
        var layout: JSONLayout?
        var ids: [Int64] { records.compactMap { $0.0["n"]?.integerValue } }
    }

    private func read(_ path: String, layout: JSONLayout? = nil, limits: JSONFramerLimits = JSONFramerLimits(maxDepth: 256)) throws -> Read {
        var result = Read()
        let reader = JSONRecordReader(path: path, layout: layout, limits: limits)
        try reader.read { value, position in
            result.records.append((value, position))
        } problem: { problem in
            result.problems.append(problem)
        }
        result.layout = reader.layout
        return result
    }

    private func records(_ count: Int) -> [String] { (0..<count).map { #"{"n":\#($0),"text":"line \#($0) \"quoted\""}"# } }

    func testEveryLayoutAndCompressionGivesTheSameRecordsWithPositions() throws {
        let values = records(200)
        let layouts: [(String, [UInt8], JSONLayout)] = [
            ("lines", Array((values.joined(separator: "\n") + "\n").utf8), .lines),
            ("array", Array(("[\n  " + values.joined(separator: ",\n  ") + "\n]\n").utf8), .array),
            ("concatenated", Array(values.joined(separator: "").utf8), .concatenated),
        ]
        for (name, bytes, layout) in layouts {
            for (suffix, data) in [("", bytes), (".gz", try compressed("gzip", bytes)), (".zst", try compressed("zstd", bytes))] {
                let result = try read(try file(name + suffix, data))
                XCTAssertEqual(result.problems, [], "\(name)\(suffix)")
                XCTAssertEqual(result.ids, Array(0..<200), "\(name)\(suffix)")
                XCTAssertEqual(result.layout, layout, "\(name)\(suffix): the layout is detected")
                for (index, (_, position)) in result.records.enumerated() {
                    XCTAssertEqual(position.index, index)
                    // The offset points at the element's first byte in the decompressed input.
                    XCTAssertEqual(bytes[Int(position.offset)], UInt8(ascii: "{"), "\(name)\(suffix) element \(index)")
                    let newlines = bytes[..<Int(position.offset)].filter { $0 == 0x0A }.count
                    XCTAssertEqual(position.line, newlines + 1)
                }
            }
        }
    }

    func testABadLineIsOneRejectAndReadingGoesOn() throws {
        let text = "{\"n\":0}\n{\"n\":1,\n\n{\"n\":2}\n"
        let result = try read(try file("bad.jsonl", Array(text.utf8)))
        XCTAssertEqual(result.ids, [0, 2])
        XCTAssertEqual(result.problems.map(\.code), ["record.json"])
        XCTAssertEqual(result.problems.first?.position.line, 2)
        XCTAssertEqual(result.problems.first?.position.offset, 8)
        XCTAssertTrue(result.problems.first?.reason.contains("column") == true, result.problems.first?.reason ?? "")
    }

    func testATruncatedArrayKeepsItsWholeElementsAndSaysWhere() throws {
        let full = Array(("[" + records(50).joined(separator: ",") + "]").utf8)
        let cut = Array(full[..<(full.count / 2)])
        let result = try read(try file("cut.json", cut))
        XCTAssertFalse(result.ids.isEmpty)
        XCTAssertEqual(result.ids, Array(0..<Int64(result.ids.count)))
        XCTAssertEqual(result.problems.map(\.code), ["json.truncated"])
        let problem = try XCTUnwrap(result.problems.first)
        XCTAssertEqual(problem.position.index, result.ids.count, "the cut element is the next one")
        XCTAssertEqual(full[Int(problem.position.offset)], UInt8(ascii: "{"))
    }

    func testDamagedCompressionKeepsWhatWasDecoded() throws {
        let full = try compressed("gzip", Array(("[" + records(2000).joined(separator: ",") + "]").utf8))
        let result = try read(try file("cut.json.gz", Array(full[..<(full.count * 3 / 4)])))
        XCTAssertGreaterThan(result.ids.count, 0)
        XCTAssertEqual(result.problems.map(\.code), ["shard.damaged"])
        XCTAssertGreaterThan(result.problems.first?.position.offset ?? 0, 0)
    }

    func testMalformedStructureStopsWithOneReject() throws {
        let text = #"[{"n":0},{"n":1} {"n":2}]"#
        let result = try read(try file("malformed.json", Array(text.utf8)))
        XCTAssertEqual(result.ids, [0, 1])
        XCTAssertEqual(result.problems.map(\.code), ["json.malformed"])
        XCTAssertEqual(result.problems.first?.position.offset, 17)
    }

    func testOverDeepAndOverLargeElementsAreRejectedAndReadingGoesOn() throws {
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        let large = #"{"n":9,"pad":""# + String(repeating: "x", count: 5000) + #""}"#
        let text = "[" + [#"{"n":0}"#, deep, #"{"n":1}"#, large, #"{"n":2}"#].joined(separator: ",") + "]"
        let result = try read(try file("hostile.json", Array(text.utf8)),
                              limits: JSONFramerLimits(maxElementBytes: 4096, maxDepth: 256))
        XCTAssertEqual(result.ids, [0, 1, 2])
        XCTAssertEqual(result.problems.map(\.code), ["record.too_deep", "record.too_large"])
        XCTAssertEqual(result.problems.map(\.position.index), [1, 3])
        XCTAssertEqual(result.problems.first?.position.offset, 9)
    }

    func testSpecialFilesAreRefusedWithoutBlocking() throws {
        let fifo = folder + "/fifo.jsonl"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let result = try read(fifo)
        XCTAssertEqual(result.problems.map(\.code), ["input.not_regular"])
        XCTAssertEqual(try read("/dev/zero").problems.map(\.code), ["input.not_regular"])
        XCTAssertEqual(try read(folder).problems.map(\.code), ["input.not_regular"])
        XCTAssertEqual(try read(folder + "/missing.jsonl").problems.map(\.code), ["io.read"])
    }

    func testForeignCompressionIsNamed() throws {
        let xz = try file("x.json.xz", [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0, 0])
        let result = try read(xz)
        XCTAssertEqual(result.problems.map(\.code), ["shard.unsupported"])
        XCTAssertTrue(result.problems.first?.reason.contains("xz") == true)
    }
}
