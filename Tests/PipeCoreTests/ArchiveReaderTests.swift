import Foundation
import XCTest
@testable import PipeCore

/// Writes minimal ustar archives, so tests can plant entries no well-behaved tool would write.
struct TarBuilder {
    private(set) var bytes: [UInt8] = []

    mutating func add(_ name: String, _ content: [UInt8], type: UInt8 = UInt8(ascii: "0")) {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, width: Int) -> String {
            let digits = String(value, radix: 8)
            return String(repeating: "0", count: width - 1 - digits.count) + digits
        }
        put(name, at: 0, width: 100)
        put(octal(0o644, width: 8), at: 100, width: 7)
        put(octal(0, width: 8), at: 108, width: 7)
        put(octal(0, width: 8), at: 116, width: 7)
        put(octal(content.count, width: 12), at: 124, width: 11)
        put(octal(0, width: 12), at: 136, width: 11)
        header[156] = type
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        for index in 148..<156 { header[index] = UInt8(ascii: " ") }
        let sum = header.reduce(0) { $0 + Int($1) }
        put(String(repeating: "0", count: 6 - String(sum, radix: 8).count) + String(sum, radix: 8), at: 148, width: 6)
        header[154] = 0
        bytes += header + content
        bytes += [UInt8](repeating: 0, count: (512 - content.count % 512) % 512)
    }

    mutating func finish() -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: 1024)
    }
}

final class ArchiveReaderTests: XCTestCase {
    private func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
        let folder = NSTemporaryDirectory() + "pipe-archive-\(UUID().uuidString)"
        try FileSystem.makeDirectory(folder)
        addTeardownBlock { try? FileSystem.remove(folder) }
        let path = folder + "/" + name
        try FileSystem.writeAtomically(bytes, to: path)
        return path
    }

    private func events(_ path: String, limits: ArchiveLimits = .default) throws -> [String] {
        var seen: [String] = []
        try ArchiveReader.forEachEntry(path: path, limits: limits, wants: { _ in true }) { event in
            switch event {
            case .entry(let path, let content): seen.append("\(path)=\(String(decoding: content, as: UTF8.self))")
            case .refused(let path, let code, _): seen.append("\(path):\(code)")
            }
        }
        return seen
    }

    func testEntriesInOrderAndUnsafePathsRefused() throws {
        var tar = TarBuilder()
        tar.add("repo/a.c", Array("int a;".utf8))
        tar.add("../evil.c", Array("bad".utf8))
        tar.add("/etc/passwd", Array("bad".utf8))
        tar.add("repo/dir", [], type: UInt8(ascii: "5"))
        tar.add("repo/b.c", Array("int b;".utf8))
        let path = try temporaryFile("x.tar", tar.finish())
        XCTAssertEqual(try events(path), [
            "repo/a.c=int a;", "../evil.c:archive.unsafe_path", "/etc/passwd:archive.unsafe_path", "repo/b.c=int b;",
        ])
    }

    func testEntryOverTheCapIsRefusedNotRead() throws {
        var tar = TarBuilder()
        tar.add("repo/big.c", [UInt8](repeating: UInt8(ascii: "x"), count: 5000))
        tar.add("repo/small.c", Array("ok".utf8))
        let path = try temporaryFile("x.tar", tar.finish())
        XCTAssertEqual(try events(path, limits: ArchiveLimits(maxEntryBytes: 1000)),
                       ["repo/big.c:archive.entry_too_large", "repo/small.c=ok"])
    }

    func testCompressionBombIsStopped() throws {
        var tar = TarBuilder()
        tar.add("repo/zeros.c", [UInt8](repeating: 0x20, count: 4 << 20))
        let plain = try temporaryFile("bomb.tar", tar.finish())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-n", "-9", plain]
        try process.run()
        process.waitUntilExit()
        let limits = ArchiveLimits(maxEntryBytes: 64 << 20, maxRatio: 50, ratioGraceBytes: 1 << 20)
        XCTAssertThrowsError(try events(plain + ".gz", limits: limits)) { error in
            XCTAssertEqual((error as? ArchiveStop)?.code, "archive.too_large")
        }
    }

    func testTruncatedArchiveKeepsEarlierEntriesAndStopsOnce() throws {
        var tar = TarBuilder()
        var state: UInt64 = 42
        for index in 0..<40 {
            // Incompressible content, so cutting the gzip file in half cuts the entries too.
            let content = (0..<4096).map { _ -> UInt8 in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: state >> 33)
            }
            tar.add("repo/f\(index).bin", content)
        }
        let plain = try temporaryFile("t.tar", tar.finish())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-n", plain]
        try process.run()
        process.waitUntilExit()
        let data = try FileSystem.read(plain + ".gz")
        try FileSystem.writeAtomically(Array(data.prefix(data.count / 2)), to: plain + ".gz")
        var delivered = 0
        XCTAssertThrowsError(try ArchiveReader.forEachEntry(path: plain + ".gz", wants: { _ in true }) { event in
            if case .entry = event { delivered += 1 }
        }) { error in
            XCTAssertEqual((error as? ArchiveStop)?.code, "archive.damaged")
        }
        XCTAssertGreaterThan(delivered, 5)
        XCTAssertLessThan(delivered, 40)
    }

    func testNotAnArchiveIsAnError() throws {
        let path = try temporaryFile("x.tar", Array("just text, not a tar".utf8))
        XCTAssertThrowsError(try events(path))
    }

    func testRepositoryFromEntryOrArchiveName() {
        XCTAssertEqual(ItemWalker.repository(entry: "ParRes-Kernels/OPENMP/x.c", archive: "in/prk.tar.gz"), "ParRes-Kernels")
        XCTAssertEqual(ItemWalker.repository(entry: "x.c", archive: "in/prk.tar.gz"), "prk")
        XCTAssertTrue(ArchiveReader.isArchive("A.TGZ"))
        XCTAssertFalse(ArchiveReader.isArchive("records.jsonl.gz"))
    }
}
