import Foundation
import XCTest
@testable import Storage
@testable import Readers
import StageKit

final class ShardIOTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "ShardIOTests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: - Helpers

    /// Lines of varied length and content, some with non-ASCII text, none empty.
    private func sampleLines(_ count: Int, seed: UInt64 = 1) -> [[UInt8]] {
        var state = seed
        var lines: [[UInt8]] = []
        lines.reserveCapacity(count)
        for index in 0..<count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let padding = String(repeating: "x", count: Int(state >> 58))
            lines.append(Array("{\"id\":\(index),\"text\":\"ligne é \(state % 100_000) \(padding)\"}".utf8))
        }
        return lines
    }

    private func path(_ name: String) -> String { directory + "/" + name }

    @discardableResult
    private func writeShard(_ name: String, _ compression: Compression, _ lines: [[UInt8]], level: Int? = nil) throws -> ShardFileInfo {
        let writer = try ShardWriter(path: path(name), compression: compression, level: level)
        for line in lines { try writer.write(line: line) }
        return try writer.commit()
    }

    private func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Writes a fixture without the fsync that Data.write does; loops give each file a new name, because
    /// ext4 flushes a truncated-and-rewritten file on close.
    private func store(_ bytes: [UInt8], _ name: String) throws -> String {
        let target = path(name)
        let fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        XCTAssertEqual(written, bytes.count)
        return target
    }

    /// Reads every line with `next()`; the error, if any, must be the last thing and end the reading.
    private func readLines(_ path: String, maxLineBytes: Int = ShardReader.defaultMaxLineBytes) throws -> (lines: [ShardLine], error: ShardReadError?) {
        let reader = try ShardReader(path: path, maxLineBytes: maxLineBytes)
        XCTAssertEqual(reader.compression, try Compression.detect(path: path))
        var lines: [ShardLine] = []
        do {
            while let line = try reader.next() { lines.append(line) }
        } catch let error as ShardReadError {
            XCTAssertNil(try reader.next(), "reading must stop after \(error)")
            return (lines, error)
        }
        return (lines, nil)
    }

    private func joined(_ lines: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for line in lines {
            out.append(contentsOf: line)
            out.append(0x0A)
        }
        return out
    }

    /// Runs a tool found on PATH; nil when it is not installed.
    private func run(_ tool: String, _ arguments: [String], stdin: String? = nil) throws -> (status: Int32, output: Data, errors: Data)? {
        let found = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
            .split(separator: ":").map { "\($0)/\(tool)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let executable = found else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        if let stdin { process.standardInput = FileHandle(forReadingAtPath: stdin) }
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, outputData, errorData)
    }

    private func expectedOffsets(_ lines: [[UInt8]]) -> [Int64] {
        var offsets: [Int64] = []
        var offset: Int64 = 0
        for line in lines {
            offsets.append(offset)
            offset += Int64(line.count + 1)
        }
        return offsets
    }

    // MARK: - Compression

    func testCompressionNamesAndMagic() throws {
        XCTAssertEqual(Compression.zstd.fileExtension, ".zst")
        XCTAssertEqual(Compression.gzip.fileExtension, ".gz")
        XCTAssertEqual(Compression.none.fileExtension, "")
        XCTAssertEqual(Compression.forFileName("train-00000-of-00008.jsonl.gz"), .gzip)
        XCTAssertEqual(Compression.forFileName("part-00000.jsonl.zst"), .zstd)
        XCTAssertEqual(Compression.forFileName("part.jsonl"), .none)
        XCTAssertEqual(Compression.detect(magic: [0x1F, 0x8B, 0x08, 0x00]), .gzip)
        XCTAssertEqual(Compression.detect(magic: [0x28, 0xB5, 0x2F, 0xFD]), .zstd)
        XCTAssertEqual(Compression.detect(magic: [0x50, 0x2A, 0x4D, 0x18]), .zstd)
        XCTAssertEqual(Compression.detect(magic: Array("{\"a\":1}".utf8)), .none)
        XCTAssertEqual(Compression.detect(magic: [UInt8]()), .none)
        XCTAssertEqual(Compression.detect(magic: [0x28, 0xB5, 0x2F]), .none)
        XCTAssertThrowsError(try Compression.detect(path: path("missing"))) { error in
            XCTAssertEqual((error as? ShardReadError)?.code, "shard.open")
        }
    }

    // MARK: - Writing

    func testRoundTripForEveryCompression() throws {
        let lines = sampleLines(20_000)
        for compression in Compression.allCases {
            let name = "part.jsonl" + compression.fileExtension
            let info = try writeShard(name, compression, lines)
            XCTAssertEqual(info.path, path(name))
            XCTAssertEqual(info.compression, compression)
            XCTAssertEqual(info.lines, Int64(lines.count))
            XCTAssertEqual(info.uncompressedBytes, Int64(joined(lines).count))
            let onDisk = try bytes(path(name))
            XCTAssertEqual(info.bytes, Int64(onDisk.count))
            if compression == .none { XCTAssertEqual(onDisk, joined(lines)) }
            if let sum = try run("sha256sum", [path(name)]) {
                XCTAssertEqual(String(decoding: sum.output.prefix(64), as: UTF8.self), info.sha256)
            }
            XCTAssertEqual(try Compression.detect(path: path(name)), compression)

            let (read, error) = try readLines(path(name))
            XCTAssertNil(error)
            XCTAssertEqual(read.map(\.bytes), lines)
            XCTAssertEqual(read.map(\.lineNumber), Array(1...lines.count))
            XCTAssertEqual(read.map(\.offset), expectedOffsets(lines))
        }
    }

    func testWriteLineUsesCanonicalJSON() throws {
        let values: [JSONValue] = [
            .object(["b": .integer(2), "a": .string("é\n"), "c": .array([.null, .bool(true), .number(0.5)])]),
            .object([:]),
        ]
        let writer = try ShardWriter(path: path("values.jsonl.zst"), compression: .zstd)
        for value in values { try writer.writeLine(value) }
        XCTAssertEqual(writer.lines, 2)
        let info = try writer.commit()
        XCTAssertEqual(info.lines, 2)
        XCTAssertEqual(try ShardReader.readAll(path: info.path), values.map { JSONWriter.compact($0) })
    }

    func testGzipOutputIsStandardAndDeterministic() throws {
        let lines = sampleLines(3_000)
        let first = try writeShard("a.jsonl.gz", .gzip, lines)
        let second = try writeShard("b.jsonl.gz", .gzip, lines)
        let firstBytes = try bytes(first.path)
        XCTAssertEqual(firstBytes, try bytes(second.path))
        XCTAssertEqual(first.sha256, second.sha256)
        // Magic, deflate, no flags (no file name), mtime zero.
        XCTAssertEqual(Array(firstBytes.prefix(8)), [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00])

        guard let test = try run("gzip", ["-t", first.path]) else { throw XCTSkip("gzip is not installed") }
        XCTAssertEqual(test.status, 0)
        XCTAssertTrue(test.errors.isEmpty, String(decoding: test.errors, as: UTF8.self))
        let unpacked = try XCTUnwrap(try run("gzip", ["-dc", first.path]))
        XCTAssertEqual([UInt8](unpacked.output), joined(lines))

        let script = "import gzip, sys; sys.stdout.buffer.write(gzip.open(sys.argv[1]).read())"
        if let python = try run("python3", ["-c", script, first.path]), python.status == 0 {
            XCTAssertEqual([UInt8](python.output), joined(lines))
        }
    }

    func testGzipLevelChangesOutputNotContent() throws {
        let lines = sampleLines(3_000)
        let fast = try writeShard("fast.jsonl.gz", .gzip, lines, level: 1)
        let best = try writeShard("best.jsonl.gz", .gzip, lines, level: 9)
        XCTAssertNotEqual(fast.sha256, best.sha256)
        XCTAssertEqual(try ShardReader.readAll(path: fast.path), lines)
        XCTAssertEqual(try ShardReader.readAll(path: best.path), lines)
    }

    func testZstdOutputIsReadByTheZstdTool() throws {
        let lines = sampleLines(3_000)
        let info = try writeShard("part.jsonl.zst", .zstd, lines)
        XCTAssertEqual(try writeShard("again.jsonl.zst", .zstd, lines).sha256, info.sha256)
        guard let test = try run("zstd", ["-q", "-t", info.path]) else { throw XCTSkip("zstd is not installed") }
        XCTAssertEqual(test.status, 0)
        let unpacked = try XCTUnwrap(try run("zstd", ["-q", "-dc", info.path]))
        XCTAssertEqual([UInt8](unpacked.output), joined(lines))
    }

    func testNothingIsVisibleBeforeCommit() throws {
        let target = path("part.jsonl.gz")
        let writer = try ShardWriter(path: target, compression: .gzip)
        try writer.write(line: Array("{}".utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: target))
        let during = try FileManager.default.contentsOfDirectory(atPath: directory)
        XCTAssertEqual(during.count, 1)
        XCTAssertTrue(during[0].hasPrefix(".tmp-part.jsonl.gz-"), during[0])
        _ = try writer.commit()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["part.jsonl.gz"])
        XCTAssertThrowsError(try writer.write(line: Array("{}".utf8))) { error in
            XCTAssertEqual(error as? ShardWriteError, .finished(path: target))
        }
        XCTAssertThrowsError(try writer.commit())
    }

    func testAbandonedAndDroppedWritersLeaveNothing() throws {
        let abandoned = try ShardWriter(path: path("a.jsonl.zst"), compression: .zstd)
        try abandoned.write(line: Array("{}".utf8))
        abandoned.abandon()
        abandoned.abandon()
        do {
            let dropped = try ShardWriter(path: path("b.jsonl.gz"), compression: .gzip)
            try dropped.write(line: Array("{}".utf8))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    }

    func testCommitReplacesAnExistingFile() throws {
        try writeShard("part.jsonl", .none, [Array("old".utf8)])
        try writeShard("part.jsonl", .none, [Array("new".utf8)])
        XCTAssertEqual(try ShardReader.readAll(path: path("part.jsonl")), [Array("new".utf8)])
    }

    func testBadInputToTheWriterIsRefused() throws {
        XCTAssertThrowsError(try ShardWriter(path: path("x.jsonl.gz"), compression: .gzip, level: 12)) { error in
            XCTAssertEqual(error as? ShardWriteError, .invalidLevel(path: path("x.jsonl.gz"), compression: .gzip, level: 12))
        }
        XCTAssertThrowsError(try ShardWriter(path: path("x.jsonl.zst"), compression: .zstd, level: 0))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])

        let writer = try ShardWriter(path: path("x.jsonl"), compression: .none)
        XCTAssertThrowsError(try writer.write(line: Array("a\nb".utf8))) { error in
            XCTAssertEqual(error as? ShardWriteError, .newlineInLine(path: path("x.jsonl"), lineNumber: 1))
        }
        try writer.write(line: Array("ok".utf8))
        XCTAssertEqual(try ShardReader.readAll(path: try writer.commit().path), [Array("ok".utf8)])

        XCTAssertThrowsError(try ShardWriter(path: path("no/such/dir/x.jsonl"), compression: .none)) { error in
            guard case .file(let failure)? = error as? ShardWriteError else { return XCTFail("\(error)") }
            XCTAssertEqual(failure.operation, "create")
            XCTAssertEqual(failure.code, ENOENT)
        }
    }

    func testHugeLinesAndOtherCollectionsAreWritten() throws {
        let huge = [UInt8](repeating: UInt8(ascii: "h"), count: 3 << 20)
        let writer = try ShardWriter(path: path("huge.jsonl.gz"), compression: .gzip)
        try writer.write(line: Array("first".utf8))
        try writer.write(line: huge)
        try writer.write(line: "third".utf8)
        try writer.write(line: Array("fourth".utf8)[1...])
        let info = try writer.commit()
        XCTAssertEqual(info.uncompressedBytes, Int64(6 + huge.count + 1 + 6 + 6))
        XCTAssertEqual(try ShardReader.readAll(path: info.path),
                       [Array("first".utf8), huge, Array("third".utf8), Array("ourth".utf8)])
    }

    func testAtomicFileWritesWholeFiles() throws {
        try AtomicFile.write(Array("hello".utf8), to: path("note.txt"))
        XCTAssertEqual(try bytes(path("note.txt")), Array("hello".utf8))
        let file = try AtomicFile(path: path("other.txt"))
        try file.write(Array("abc".utf8))
        XCTAssertEqual(file.bytesWritten, 3)
        file.abandon()
        XCTAssertThrowsError(try file.commit())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["note.txt"])
    }

    // MARK: - Reading

    func testLineEndingsEmptyLinesAndAFinalLineWithoutNewline() throws {
        let text = Array("{\"a\":1}\r\n\r\n\n{\"b\":2}\n  \r\nlast".utf8)
        let plain = try store(text, "plain.jsonl")
        var files = [plain]
        if let gzip = try run("gzip", ["-c"], stdin: plain) { files.append(try store([UInt8](gzip.output), "cli.jsonl.gz")) }
        if let zstd = try run("zstd", ["-q", "-c"], stdin: plain) { files.append(try store([UInt8](zstd.output), "cli.jsonl.zst")) }
        for file in files {
            let (lines, error) = try readLines(file)
            XCTAssertNil(error, file)
            XCTAssertEqual(lines, [
                ShardLine(bytes: Array("{\"a\":1}".utf8), lineNumber: 1, offset: 0),
                ShardLine(bytes: Array("{\"b\":2}".utf8), lineNumber: 4, offset: 12),
                ShardLine(bytes: Array("  ".utf8), lineNumber: 5, offset: 20),
                ShardLine(bytes: Array("last".utf8), lineNumber: 6, offset: 24),
            ], file)
        }
    }

    func testEmptyFilesAndStreamsHaveNoLines() throws {
        var files = [try store([], "empty.jsonl")]
        for compression in [Compression.gzip, .zstd] {
            let info = try writeShard("empty.jsonl" + compression.fileExtension, compression, [])
            XCTAssertEqual(info.lines, 0)
            files.append(info.path)
        }
        if let gzip = try run("gzip", ["-c"], stdin: files[0]) { files.append(try store([UInt8](gzip.output), "cli.gz")) }
        files.append(try store(Array("\n\r\n\n".utf8), "blank.jsonl"))
        for file in files {
            let (lines, error) = try readLines(file)
            XCTAssertEqual(lines, [], file)
            XCTAssertNil(error, file)
        }
    }

    func testForEachLineMatchesNext() throws {
        let lines = sampleLines(5_000)
        let info = try writeShard("part.jsonl.gz", .gzip, lines)
        var seen: [ShardLine] = []
        try ShardReader(path: info.path).forEachLine { line, number, offset in
            seen.append(ShardLine(bytes: Array(line), lineNumber: number, offset: offset))
        }
        XCTAssertEqual(seen, try readLines(info.path).lines)
    }

    func testLinesSpanningDecompressedBlocks() throws {
        // Lengths up to 300 KB cross libarchive's 64 KiB (gzip) and 128 KiB (zstd) output blocks.
        var state: UInt64 = 7
        var lines: [[UInt8]] = []
        for index in 0..<120 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = index % 10 == 0 ? Int(state % 300_000) + 1 : Int(state % 3_000) + 1
            lines.append([UInt8](repeating: UInt8(ascii: "a") + UInt8(index % 26), count: length))
        }
        for compression in Compression.allCases {
            let info = try writeShard("span.jsonl" + compression.fileExtension, compression, lines)
            let (read, error) = try readLines(info.path)
            XCTAssertNil(error)
            XCTAssertEqual(read.map(\.bytes), lines)
            XCTAssertEqual(read.map(\.offset), expectedOffsets(lines))
        }
    }

    func testMultiMemberGzipAndMultiFrameZstd() throws {
        let first = sampleLines(2_000, seed: 1)
        let second = sampleLines(3_000, seed: 2)
        let all = first + second
        for compression in [Compression.gzip, .zstd] {
            let a = try writeShard("a" + compression.fileExtension, compression, first)
            let b = try writeShard("b" + compression.fileExtension, compression, second)
            let empty = try writeShard("e" + compression.fileExtension, compression, [])
            // A trailing empty member is how BGZF ends its files.
            let joinedFile = try store(try bytes(a.path) + bytes(empty.path) + bytes(b.path) + bytes(empty.path),
                                       "joined" + compression.fileExtension)
            let (read, error) = try readLines(joinedFile)
            XCTAssertNil(error, "\(compression)")
            XCTAssertEqual(read.map(\.bytes), all)
            XCTAssertEqual(read.map(\.offset), expectedOffsets(all))
        }
    }

    func testTruncatedShardsYieldTheirStartThenOneDamagedError() throws {
        let lines = sampleLines(100_000)
        for compression in [Compression.gzip, .zstd] {
            let info = try writeShard("full.jsonl" + compression.fileExtension, compression, lines)
            let whole = try bytes(info.path)
            let half = try store(Array(whole.prefix(whole.count / 2)), "half.jsonl" + compression.fileExtension)
            let (read, error) = try readLines(half)
            XCTAssertGreaterThan(read.count, 1_000, "\(compression)")
            XCTAssertLessThan(read.count, lines.count)
            XCTAssertEqual(read.map(\.bytes), Array(lines.prefix(read.count)))
            XCTAssertEqual(read.map(\.lineNumber), Array(1...read.count))
            guard case .damaged(let errorPath, let offset, let message)? = error else {
                return XCTFail("\(compression): expected damaged, got \(String(describing: error))")
            }
            XCTAssertEqual(errorPath, half)
            XCTAssertFalse(message.isEmpty)
            let delivered = joined(Array(lines.prefix(read.count))).count
            XCTAssertGreaterThanOrEqual(offset, Int64(delivered))
            XCTAssertEqual(error?.code, "shard.damaged")
            XCTAssertEqual(error?.offset, offset)
            // Nothing decodable is lost: every complete line the command-line decoder gets out of the cut
            // file is a record (it, too, stops at the damage; zstd only hands out whole blocks).
            let tool = compression == .gzip ? "gzip" : "zstd"
            if let decoded = try run(tool, ["-dc"], stdin: half) {
                let complete = decoded.output.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
                XCTAssertEqual(read.count, complete, "\(compression): records kept against \(tool) -dc")
            }
        }
    }

    func testEveryTruncationOfASmallShardIsReportedAsDamage() throws {
        let lines = sampleLines(60)
        for compression in [Compression.gzip, .zstd] {
            let whole = try bytes(try writeShard("small" + compression.fileExtension, compression, lines).path)
            // One byte of gzip or three of zstd cannot be told apart from text.
            let shortest = compression == .gzip ? 2 : 4
            for length in shortest..<whole.count {
                let cut = try store(Array(whole.prefix(length)), "cut-\(length)" + compression.fileExtension)
                let (read, error) = try readLines(cut)
                XCTAssertEqual(read.map(\.bytes), Array(lines.prefix(read.count)), "\(compression) cut at \(length)")
                guard case .damaged? = error else {
                    return XCTFail("\(compression) cut at \(length) of \(whole.count): \(String(describing: error))")
                }
            }
        }
    }

    func testCorruptGzipNeverYieldsAlteredRecords() throws {
        let lines = sampleLines(80)
        let whole = try bytes(try writeShard("small.jsonl.gz", .gzip, lines).path)
        var detected = 0
        for position in 10..<whole.count {
            var damaged = whole
            damaged[position] ^= 0x55
            let file = try store(damaged, "flip-\(position).jsonl.gz")
            let (read, error) = try readLines(file)
            if error == nil {
                XCTAssertEqual(read.map(\.bytes), lines, "flip at \(position) went unnoticed")
            } else {
                detected += 1
                XCTAssertEqual(error?.code, "shard.damaged", "flip at \(position)")
            }
        }
        XCTAssertGreaterThan(detected, (whole.count - 10) * 9 / 10)
    }

    func testCorruptZstdWithChecksumIsDetected() throws {
        let lines = sampleLines(500)
        let plain = try store(joined(lines), "plain.jsonl")
        guard let packed = try run("zstd", ["-q", "-c", "--check"], stdin: plain) else { throw XCTSkip("zstd is not installed") }
        var whole = [UInt8](packed.output)
        whole[whole.count - 2] ^= 0xFF
        let (read, error) = try readLines(try store(whole, "bad.jsonl.zst"))
        XCTAssertEqual(read.map(\.bytes), Array(lines.prefix(read.count)))
        XCTAssertEqual(error?.code, "shard.damaged")
    }

    func testBytesAfterTheLastGzipMember() throws {
        let lines = sampleLines(500)
        let whole = try bytes(try writeShard("part.jsonl.gz", .gzip, lines).path)
        let padded = try store(whole + [UInt8](repeating: 0, count: 700), "padded.jsonl.gz")
        XCTAssertEqual(try readLines(padded).lines.map(\.bytes), lines)
        XCTAssertNil(try readLines(padded).error)
        let garbage = try store(whole + Array("garbage".utf8), "garbage.jsonl.gz")
        XCTAssertEqual(try readLines(garbage).error?.code, "shard.damaged")
    }

    func testGzipHeadersInsideStoredDataAreNotTakenForMembers() throws {
        // Two gzip files stored uncompressed inside a third put a trailer-then-header pattern in its data.
        let inner = try bytes(try writeShard("one.gz", .gzip, sampleLines(300, seed: 3)).path)
            + bytes(try writeShard("two.gz", .gzip, sampleLines(300, seed: 4)).path)
        let pieces = inner.split(separator: 0x0A, omittingEmptySubsequences: false)
        let writer = try ShardWriter(path: path("outer.gz"), compression: .gzip, level: 0)
        // Text first, or libarchive would see a gzip inside and unpack it too.
        try writer.write(line: Array("{}".utf8))
        for piece in pieces { try writer.write(line: piece) }
        let info = try writer.commit()
        XCTAssertNotNil(try bytes(info.path).firstRange(of: inner.prefix(64)), "level 0 must store the bytes as they are")
        let reader = try ShardReader(path: info.path)
        try reader.forEachLine { _, _, _ in }
        XCTAssertEqual(reader.decompressedBytes, Int64(3 + inner.count + 1))
    }

    func testLongLinesAreRefusedAndReadingGoesOn() throws {
        let lines: [[UInt8]] = [
            Array("short".utf8),
            [UInt8](repeating: UInt8(ascii: "l"), count: 150),
            Array("after".utf8),
            [UInt8](repeating: UInt8(ascii: "m"), count: 200_000),
            Array("end".utf8),
        ]
        for compression in Compression.allCases {
            let info = try writeShard("long.jsonl" + compression.fileExtension, compression, lines)
            let reader = try ShardReader(path: info.path, maxLineBytes: 100)
            var seen: [ShardLine] = []
            var errors: [ShardReadError] = []
            while true {
                do {
                    guard let line = try reader.next() else { break }
                    seen.append(line)
                } catch let error as ShardReadError {
                    errors.append(error)
                }
            }
            XCTAssertEqual(seen.map(\.bytes), [lines[0], lines[2], lines[4]])
            XCTAssertEqual(seen.map(\.lineNumber), [1, 3, 5])
            XCTAssertEqual(seen.map(\.offset), [0, 157, 200_164])
            XCTAssertEqual(errors, [
                .lineTooLong(path: info.path, lineNumber: 2, offset: 6, limit: 100),
                .lineTooLong(path: info.path, lineNumber: 4, offset: 163, limit: 100),
            ], "\(compression)")
            XCTAssertEqual(errors.first?.lineNumber, 2)
            XCTAssertEqual(errors.first?.code, "shard.line_too_long")
        }
    }

    func testUnreadableAndForeignFiles() throws {
        XCTAssertThrowsError(try ShardReader(path: path("missing.jsonl"))) { error in
            XCTAssertEqual((error as? ShardReadError)?.code, "shard.open")
        }
        XCTAssertThrowsError(try ShardReader(path: directory)) { error in
            XCTAssertEqual(error as? ShardReadError, .cannotOpen(path: directory, message: "is a directory"))
        }
        let xz = try store([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00, 0x04], "data.jsonl.xz")
        XCTAssertEqual(try readLines(xz).error?.code, "shard.unsupported")
        let inner = try bytes(try writeShard("inner.jsonl.gz", .gzip, sampleLines(10)).path)
        let innerPath = try store(inner, "inner.bin")
        guard let outer = try run("zstd", ["-q", "-c"], stdin: innerPath) else { throw XCTSkip("zstd is not installed") }
        let twice = try store([UInt8](outer.output), "twice.jsonl.gz.zst")
        XCTAssertEqual(try readLines(twice).error, .unsupported(path: twice, message: "compressed more than once"))
    }

    func testErrorTextNamesThePathAndLine() {
        let error = ShardReadError.lineTooLong(path: "a.jsonl", lineNumber: 3, offset: 10, limit: 5)
        XCTAssertEqual(error.description, "a.jsonl:3: error: the line at decompressed offset 10 is longer than 5 bytes")
        let damaged = ShardReadError.damaged(path: "b.gz", offset: 7, message: "truncated gzip input")
        XCTAssertEqual(damaged.description, "b.gz: error: damaged after 7 decompressed bytes: truncated gzip input")
        XCTAssertNil(damaged.lineNumber)
        XCTAssertEqual(damaged.path, "b.gz")
    }
}
