import CZlib
import Foundation
import XCTest
@testable import Storage
@testable import Engine
@testable import Readers
import StageKit

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

/// Writes minimal zip archives of stored (uncompressed) entries, so a test knows where each entry's bytes lie.
struct ZipBuilder {
    private(set) var bytes: [UInt8] = []
    private var central: [UInt8] = []
    private var count = 0
    /// Offset just past each entry's data, in entry order.
    private(set) var entryEnds: [Int] = []

    private static func little(_ value: Int, _ width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    mutating func add(_ name: String, _ content: [UInt8]) {
        let crc = content.withUnsafeBufferPointer { Int(crc32(0, $0.baseAddress, uInt($0.count))) }
        let nameBytes = Array(name.utf8)
        let offset = bytes.count
        // Local header: version 10, no flags, stored, no time, CRC, sizes, name, no extra field.
        bytes += [0x50, 0x4B, 0x03, 0x04] + Self.little(10, 2) + Self.little(0, 2) + Self.little(0, 2)
            + Self.little(0, 4) + Self.little(crc, 4) + Self.little(content.count, 4) + Self.little(content.count, 4)
            + Self.little(nameBytes.count, 2) + Self.little(0, 2) + nameBytes + content
        entryEnds.append(bytes.count)
        central += [0x50, 0x4B, 0x01, 0x02] + Self.little(20, 2) + Self.little(10, 2) + Self.little(0, 2)
            + Self.little(0, 2) + Self.little(0, 4) + Self.little(crc, 4) + Self.little(content.count, 4)
            + Self.little(content.count, 4) + Self.little(nameBytes.count, 2) + Self.little(0, 2) + Self.little(0, 2)
            + Self.little(0, 2) + Self.little(0, 2) + Self.little(0o100644 << 16, 4) + Self.little(offset, 4) + nameBytes
        count += 1
    }

    func finish() -> [UInt8] {
        bytes + central + [0x50, 0x4B, 0x05, 0x06] + Self.little(0, 2) + Self.little(0, 2) + Self.little(count, 2)
            + Self.little(count, 2) + Self.little(central.count, 4) + Self.little(bytes.count, 4) + Self.little(0, 2)
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

    /// A zip of the same three entries, made by Python's zipfile (deflate).
    private func zipArchive(_ entries: [(String, [UInt8])]) throws -> String {
        let folder = NSTemporaryDirectory() + "pipe-archive-\(UUID().uuidString)"
        try FileSystem.makeDirectory(folder)
        addTeardownBlock { try? FileSystem.remove(folder) }
        var names: [String] = []
        for (index, entry) in entries.enumerated() {
            try FileSystem.writeAtomically(entry.1, to: folder + "/in-\(index)")
            names.append(entry.0)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import sys, zipfile
            folder, names = sys.argv[1], sys.argv[2:]
            with zipfile.ZipFile(folder + "/bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
                for index, name in enumerate(names):
                    z.write(f"{folder}/in-{index}", name)
            """, folder] + names
        try process.run()
        process.waitUntilExit()
        return folder + "/bomb.zip"
    }

    /// What reading an archive gave: its events and the stop, if any.
    private func outcome(_ path: String, limits: ArchiveLimits) -> (events: [String], stop: ArchiveStop?) {
        var seen: [String] = []
        do {
            try ArchiveReader.forEachEntry(path: path, limits: limits, wants: { _ in true }) { event in
                switch event {
                case .entry(let path, let content): seen.append("\(path)=\(content.count)")
                case .refused(let path, let code, _): seen.append("\(path):\(code)")
                }
            }
            return (seen, nil)
        } catch {
            return (seen, error as? ArchiveStop)
        }
    }

    func testBombsInEveryCompressionCostTheirCapNotTheirSize() throws {
        // 64 MiB of zeros after 6 MiB of noise (so the archive's ratio so far stays low: the entry's own ratio must
        // catch it) and before an ordinary entry: refused by its declared size (and then skipped), or wanted (read);
        // either way decoding stops a few MiB in, and the entries before it are kept.
        let zeros = [UInt8](repeating: 0, count: 64 << 20)
        let small = Array("int x = 1;\n".utf8)
        var state: UInt64 = 7
        let noise = (0..<(6 << 20)).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        var tar = TarBuilder()
        tar.add("repo/noise.bin", noise)
        tar.add("repo/a.c", small)
        tar.add("repo/zeros.bin", zeros)
        tar.add("repo/b.c", small)
        let plain = tar.finish()
        var archives: [(String, String)] = []
        for (suffix, compressor) in [(".tar.gz", ["gzip", "-n", "-c"]), (".tar.zst", ["zstd", "-q", "-c"]),
                                     (".tar.xz", ["xz", "-0", "-c"]), (".tar.bz2", ["bzip2", "-c"])] {
            archives.append((suffix, try temporaryFile("bomb" + suffix, try filter(compressor, plain))))
        }
        archives.append((".zip", try zipArchive([("repo/noise.bin", noise), ("repo/a.c", small), ("repo/zeros.bin", zeros),
                                                 ("repo/b.c", small)])))
        for (suffix, path) in archives {
            for cap in [Int64(1 << 20), Int64(128 << 20)] {
                let limits = ArchiveLimits(maxEntryBytes: cap, maxRatio: 200, ratioGraceBytes: 1 << 20)
                let result = outcome(path, limits: limits)
                let name = "\(suffix), entry cap \(cap)"
                let noiseEvent = cap > noise.count ? "repo/noise.bin=\(noise.count)" : "repo/noise.bin:archive.entry_too_large"
                XCTAssertEqual(Array(result.events.prefix(2)), [noiseEvent, "repo/a.c=\(small.count)"], name)
                if suffix == ".zip" && cap == 1 << 20 {
                    // A zip entry refused by its size is skipped by seeking: nothing is decoded, reading goes on.
                    XCTAssertNil(result.stop, name)
                    XCTAssertEqual(result.events, [noiseEvent, "repo/a.c=\(small.count)", "repo/zeros.bin:archive.entry_too_large",
                                                   "repo/b.c=\(small.count)"], name)
                    continue
                }
                XCTAssertEqual(result.stop?.code, "archive.too_large", name)
                XCTAssertEqual(result.stop?.entry, "repo/zeros.bin", name)
                XCTAssertLessThan(result.stop?.offset ?? .max, 16 << 20, "\(name): decoding stopped early")
            }
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

    // MARK: Damaged archives keep what was read before the damage

    /// Text files of pseudo-random words: compressible like source code, and distinct.
    private func sourceFiles(count: Int, bytes: Int, seed: UInt64) -> [(name: String, content: [UInt8])] {
        var state = seed
        return (0..<count).map { index in
            var text = ""
            while text.utf8.count < bytes {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += "int v\(state >> 44) = \(state >> 52);\n"
            }
            return ("repo/f\(index).c", Array(text.utf8))
        }
    }

    /// Runs `command` with `input` on standard input and returns its standard output (its status is ignored:
    /// decompressors fail on truncated input after writing what they decoded).
    private func filter(_ command: [String], _ input: [UInt8]) throws -> [UInt8] {
        let folder = NSTemporaryDirectory() + "pipe-archive-\(UUID().uuidString)"
        try FileSystem.makeDirectory(folder)
        defer { try? FileSystem.remove(folder) }
        try FileSystem.writeAtomically(input, to: folder + "/in")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: folder + "/in"))
        try FileSystem.writeAtomically([], to: folder + "/out")
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/out"))
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return try FileSystem.read(folder + "/out")
    }

    /// What one read of an archive gave: the entries delivered (path and content) and the stop, if any.
    private func readAll(_ path: String) -> (entries: [(String, [UInt8])], stop: ArchiveStop?, other: Error?) {
        var entries: [(String, [UInt8])] = []
        do {
            try ArchiveReader.forEachEntry(path: path, wants: { _ in true }) { event in
                if case .entry(let path, let content) = event { entries.append((path, content)) }
            }
            return (entries, nil, nil)
        } catch let stop as ArchiveStop {
            return (entries, stop, nil)
        } catch {
            return (entries, nil, error)
        }
    }

    /// Cuts a compressed tar to `fraction` of its bytes and checks that the reader delivers every entry that
    /// lies whole in the decodable part (as `decoder` decodes it), unchanged and in order, and stops once.
    private func checkTruncatedTar(compressor: [String], decoder: [String], suffix: String, files: Int, bytes: Int,
                                   fraction: Double) throws -> Int {
        let sources = sourceFiles(count: files, bytes: bytes, seed: 11)
        var tar = TarBuilder()
        var ends: [Int] = []
        for file in sources {
            tar.add(file.name, file.content)
            ends.append(tar.bytes.count)
        }
        let compressed = try filter(compressor, tar.finish())
        let cut = Array(compressed.prefix(Int(Double(compressed.count) * fraction)))
        let path = try temporaryFile("cut" + suffix, cut)
        let decodable = try filter(decoder, cut).count
        let result = readAll(path)
        XCTAssertNil(result.other)
        XCTAssertEqual(result.stop?.code, "archive.damaged", "\(String(describing: result.stop))")
        // Every entry lies whole before the damage or not at all, in archive order, with its own bytes.
        XCTAssertLessThan(result.entries.count, files)
        for (index, entry) in result.entries.enumerated() {
            XCTAssertEqual(entry.0, sources[index].name)
            XCTAssertEqual(entry.1, sources[index].content)
        }
        // Nothing that the command line decoder could decode is lost (the tar padding after an entry aside).
        let whole = ends.filter { $0 <= decodable }.count
        XCTAssertGreaterThanOrEqual(result.entries.count, whole, "decodable \(decodable) bytes")
        // The stop names the entry that was cut, or none when the cut fell between entries.
        if let entry = result.stop?.entry {
            XCTAssertEqual(entry, sources[result.entries.count].name)
        } else if let stop = result.stop {
            XCTAssertTrue(stop.reason.contains(result.entries.last.map { "after entry \($0.0)" } ?? "before the first entry"),
                          stop.reason)
        }
        return result.entries.count
    }

    func testSmallTruncatedTarGzKeepsTheEntriesBeforeTheCut() throws {
        // 8 files of 3 KB: libarchive's own gzip filter failed to open this at all.
        let kept = try checkTruncatedTar(compressor: ["gzip", "-n", "-c"], decoder: ["gzip", "-d", "-c"], suffix: ".tar.gz",
                                         files: 8, bytes: 3000, fraction: 0.6)
        XCTAssertGreaterThanOrEqual(kept, 2)
    }

    func testTruncatedTarZstKeepsTheEntriesBeforeTheCut() throws {
        // zstd decodes whole blocks (up to 128 KiB), so the archive spans several.
        let kept = try checkTruncatedTar(compressor: ["zstd", "-q", "-c"], decoder: ["zstd", "-d", "-q", "-c"],
                                         suffix: ".tar.zst", files: 40, bytes: 12000, fraction: 0.6)
        XCTAssertGreaterThanOrEqual(kept, 10)
    }

    func testEveryCutOfATarGzKeepsAPrefixAndStopsOnce() throws {
        let sources = sourceFiles(count: 6, bytes: 2000, seed: 5)
        var tar = TarBuilder()
        for file in sources { tar.add(file.name, file.content) }
        let compressed = try filter(["gzip", "-n", "-c"], tar.finish())
        var previous = 0
        for cut in stride(from: 0, through: compressed.count, by: 61) + [compressed.count - 1, compressed.count] {
            let path = try temporaryFile("cut.tar.gz", Array(compressed.prefix(cut)))
            let result = readAll(path)
            XCTAssertNil(result.other)
            for (index, entry) in result.entries.enumerated() {
                XCTAssertEqual(entry.0, sources[index].name)
                XCTAssertEqual(entry.1, sources[index].content)
            }
            // Longer cuts never keep fewer entries; only the whole file reads without a stop.
            XCTAssertGreaterThanOrEqual(result.entries.count, previous, "cut at \(cut)")
            previous = result.entries.count
            if cut == compressed.count {
                XCTAssertNil(result.stop)
                XCTAssertEqual(result.entries.count, sources.count)
            } else {
                XCTAssertNotNil(result.stop, "cut at \(cut) of \(compressed.count)")
            }
        }
    }

    func testTruncatedZipKeepsTheEntriesBeforeTheCut() throws {
        let sources = sourceFiles(count: 8, bytes: 3000, seed: 3)
        var zip = ZipBuilder()
        for file in sources { zip.add(file.name, file.content) }
        let bytes = zip.finish()
        let cut = bytes.count * 6 / 10
        let path = try temporaryFile("cut.zip", Array(bytes.prefix(cut)))
        let result = readAll(path)
        XCTAssertNil(result.other)
        let whole = zip.entryEnds.filter { $0 <= cut }.count
        XCTAssertEqual(result.entries.map(\.0), sources.prefix(whole).map(\.name))
        XCTAssertEqual(result.entries.map(\.1), sources.prefix(whole).map(\.content))
        XCTAssertEqual(result.stop?.code, "archive.damaged")
        XCTAssertEqual(result.stop?.entry, sources[whole].name)
        // The whole zip reads without a stop.
        let intact = readAll(try temporaryFile("whole.zip", bytes))
        XCTAssertNil(intact.stop)
        XCTAssertEqual(intact.entries.count, sources.count)
    }

    func testIntactCompressedArchivesReadWholeWithoutAStop() throws {
        let sources = sourceFiles(count: 5, bytes: 1000, seed: 9)
        var tar = TarBuilder()
        for file in sources { tar.add(file.name, file.content) }
        let plain = tar.finish()
        let gzip = try filter(["gzip", "-n", "-c"], plain)
        // Two members (as `cat a.gz b.gz` makes) decode as one stream; zeros after the last one are padding.
        let half = plain.count / 2
        let members = try filter(["gzip", "-n", "-c"], Array(plain.prefix(half)))
            + filter(["gzip", "-n", "-c"], Array(plain.suffix(from: half))) + [UInt8](repeating: 0, count: 300)
        for (name, bytes) in [("a.tar.gz", gzip), ("b.tar.zst", try filter(["zstd", "-q", "-c"], plain)),
                              ("c.tgz", members), ("d.tar", plain)] {
            let result = readAll(try temporaryFile(name, bytes))
            XCTAssertNil(result.stop, name)
            XCTAssertNil(result.other, name)
            XCTAssertEqual(result.entries.map(\.0), sources.map(\.name), name)
            XCTAssertEqual(result.entries.map(\.1), sources.map(\.content), name)
        }
    }

    func testCorruptGzipChecksumIsDamageAfterTheEntries() throws {
        let sources = sourceFiles(count: 3, bytes: 1000, seed: 4)
        var tar = TarBuilder()
        for file in sources { tar.add(file.name, file.content) }
        var gzip = try filter(["gzip", "-n", "-c"], tar.finish())
        gzip[gzip.count - 8] ^= 0xFF  // the first byte of the trailer's CRC-32
        let result = readAll(try temporaryFile("crc.tar.gz", gzip))
        XCTAssertEqual(result.entries.count, sources.count)
        XCTAssertEqual(result.stop?.code, "archive.damaged")
    }

    func testRandomBytesNeverCrashTheReader() throws {
        var state: UInt64 = 99
        func random(_ count: Int) -> [UInt8] {
            (0..<count).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: state >> 33)
            }
        }
        let gzipOfNoise = try filter(["gzip", "-n", "-c"], random(5000))
        let inputs: [(String, [UInt8])] = [
            ("noise.tar.gz", random(4000)), ("empty.tar.gz", []), ("one.tar.gz", [0x1F]),
            ("magic.tar.gz", [0x1F, 0x8B] + random(4000)), ("header.tar.gz", [0x1F, 0x8B, 0x08, 0x00] + random(4000)),
            ("magic.tar.zst", [0x28, 0xB5, 0x2F, 0xFD] + random(4000)), ("noise.zip", random(4000)),
            ("gzip-of-noise.tar.gz", gzipOfNoise),
        ]
        for (name, bytes) in inputs {
            let result = readAll(try temporaryFile(name, bytes))
            XCTAssertNil(result.other, name)
            XCTAssertNotNil(result.stop, name)
            XCTAssertTrue(result.entries.isEmpty, name)
        }
        // Flipped bytes in a valid archive: whatever is read, the reader ends normally or with one stop.
        let sources = sourceFiles(count: 6, bytes: 2000, seed: 8)
        var tar = TarBuilder()
        for file in sources { tar.add(file.name, file.content) }
        let plain = tar.finish()
        for (suffix, compressor) in [(".tar.gz", ["gzip", "-n", "-c"]), (".tar.zst", ["zstd", "-q", "-c"])] {
            let valid = try filter(compressor, plain)
            for _ in 0..<40 {
                var bytes = valid
                for position in random(3) { bytes[Int(position) * bytes.count / 256] ^= 0x5A }
                let result = readAll(try temporaryFile("flip" + suffix, bytes))
                XCTAssertNil(result.other)
                XCTAssertLessThanOrEqual(result.entries.count, sources.count)
            }
        }
    }

    /// What the runner gets from one archive: the item locators, and each damage report with its owner.
    private func walk(_ path: String, locator: String) throws -> (items: [String], rejects: [(owner: String?, reject: Reject)]) {
        var items: [String] = []
        var rejects: [(owner: String?, reject: Reject)] = []
        try ItemWalker.walkArchive(ResolvedFile(locator: locator, absolutePath: path, repo: nil), limits: .default,
                                   wants: { _ in true }) { item, _ in
            items.append(item.locator)
        } damaged: { owner, reject in
            rejects.append((owner, reject))
        }
        return (items, rejects)
    }

    /// A tar whose entries are compressed one member (or frame) each, cut in the middle of entry `cutEntry`'s
    /// member: what comes before is whole, and the cut entry cannot be.
    private func memberPerEntryArchive(_ compressor: [String], files: [(name: String, content: [UInt8])],
                                       cutEntry: Int) throws -> [UInt8] {
        var tar = TarBuilder()
        var bounds = [0]
        for file in files {
            tar.add(file.name, file.content)
            bounds.append(tar.bytes.count)
        }
        let plain = tar.finish()
        var members: [[UInt8]] = []
        for index in files.indices { members.append(try filter(compressor, Array(plain[bounds[index]..<bounds[index + 1]]))) }
        members.append(try filter(compressor, Array(plain[bounds[files.count]...])))
        return members[..<cutEntry].flatMap { $0 } + members[cutEntry].prefix(members[cutEntry].count / 2)
    }

    func testRunnerGetsTheEntriesBeforeTheDamageAndOneRejectNamingTheArchiveAndEntry() throws {
        let files = sourceFiles(count: 6, bytes: 3000, seed: 21)
        let names = files.map(\.name)

        // gzip: the cut entry's header decodes, so the reject names it.
        let gzip = try temporaryFile("x.tar.gz", try memberPerEntryArchive(["gzip", "-n", "-c"], files: files, cutEntry: 3))
        let fromGzip = try walk(gzip, locator: "in/x.tar.gz")
        XCTAssertEqual(fromGzip.items, names.prefix(3).map { "in/x.tar.gz!" + $0 })
        XCTAssertEqual(fromGzip.rejects.count, 1)
        XCTAssertEqual(fromGzip.rejects.first?.reject.code, "archive.damaged")
        XCTAssertEqual(fromGzip.rejects.first?.reject.rejectClass, .error)
        XCTAssertEqual(fromGzip.rejects.first?.reject.locator, "in/x.tar.gz!repo/f3.c")
        XCTAssertEqual(fromGzip.rejects.first?.owner, "in/x.tar.gz!repo/f3.c")
        XCTAssertTrue(fromGzip.rejects.first?.reject.reason.contains("truncated gzip data") ?? false)

        // zstd decodes whole blocks: nothing of the cut entry, so the reject names the archive and the last
        // entry read, and that entry's owner reports it.
        let zstd = try temporaryFile("x.tar.zst", try memberPerEntryArchive(["zstd", "-q", "-c"], files: files, cutEntry: 3))
        let fromZstd = try walk(zstd, locator: "in/x.tar.zst")
        XCTAssertEqual(fromZstd.items, names.prefix(3).map { "in/x.tar.zst!" + $0 })
        XCTAssertEqual(fromZstd.rejects.count, 1)
        XCTAssertEqual(fromZstd.rejects.first?.reject.code, "archive.damaged")
        XCTAssertEqual(fromZstd.rejects.first?.reject.locator, "in/x.tar.zst")
        XCTAssertEqual(fromZstd.rejects.first?.owner, "in/x.tar.zst!repo/f2.c")
        XCTAssertTrue(fromZstd.rejects.first?.reject.reason.contains("after entry repo/f2.c") ?? false)
        XCTAssertTrue(fromZstd.rejects.first?.reject.reason.contains("truncated zstd data") ?? false)

        // zip: cut in the middle of the fourth entry's data.
        var zipBuilder = ZipBuilder()
        for file in files { zipBuilder.add(file.name, file.content) }
        let zipBytes = zipBuilder.finish()
        let zip = try temporaryFile("x.zip", Array(zipBytes.prefix((zipBuilder.entryEnds[2] + zipBuilder.entryEnds[3]) / 2)))
        let fromZip = try walk(zip, locator: "in/x.zip")
        XCTAssertEqual(fromZip.items, names.prefix(3).map { "in/x.zip!" + $0 })
        XCTAssertEqual(fromZip.rejects.map(\.reject.code), ["archive.damaged"])
        XCTAssertEqual(fromZip.rejects.first?.reject.locator, "in/x.zip!repo/f3.c")

        // Random bytes named like an archive: no item, one reject, reported by task 0 (no owner).
        let noise = try temporaryFile("noise.tar.gz", sourceFiles(count: 1, bytes: 500, seed: 1)[0].content)
        let fromNoise = try walk(noise, locator: "in/noise.tar.gz")
        XCTAssertEqual(fromNoise.items, [])
        XCTAssertEqual(fromNoise.rejects.count, 1)
        XCTAssertNil(fromNoise.rejects.first?.owner ?? nil)
        XCTAssertEqual(fromNoise.rejects.first?.reject.locator, "in/noise.tar.gz")
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
