import Foundation
import XCTest
@testable import Storage
@testable import Readers

final class ParallelShardWriterTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "ParallelShardWriterTests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory)
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: - Helpers

    /// Lines of varied length, some with non-ASCII text, none empty; compressible like real records.
    private func sampleLines(_ count: Int, seed: UInt64 = 7) -> [[UInt8]] {
        let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zêta", "eta", "theta", "iota", "kappa"]
        var state = seed
        var lines: [[UInt8]] = []
        lines.reserveCapacity(count)
        for index in 0..<count {
            var text = ""
            state = state &* 6364136223846793005 &+ 1442695040888963407
            for _ in 0..<(Int(state >> 60) + 1) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += words[Int(state >> 61) + Int((state >> 40) & 1)] + " "
            }
            lines.append(Array("{\"id\":\(index),\"n\":\(state % 100_000),\"text\":\"\(text)\"}".utf8))
        }
        return lines
    }

    private func path(_ name: String) -> String { directory + "/" + name }

    @discardableResult
    private func writeShard(_ name: String, _ compression: Compression, _ lines: [[UInt8]], level: Int? = nil,
                            threads: Int = 2, chunkBytes: Int = ParallelShardWriter.defaultChunkBytes) throws -> ShardFileInfo {
        let writer = try ParallelShardWriter(path: path(name), compression: compression, level: level, threads: threads,
                                             chunkBytes: chunkBytes)
        for line in lines { try writer.write(line: line) }
        return try writer.commit()
    }

    private func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private func joined(_ lines: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for line in lines {
            out.append(contentsOf: line)
            out.append(0x0A)
        }
        return out
    }

    /// Uncompressed sizes of the chunks the writer must cut `lines` into; an empty shard still has one.
    private func expectedChunkSizes(_ lines: [[UInt8]], chunkBytes: Int) -> [Int] {
        var sizes: [Int] = []
        var current = 0
        for line in lines {
            current += line.count + 1
            if current >= chunkBytes {
                sizes.append(current)
                current = 0
            }
        }
        if current > 0 || sizes.isEmpty { sizes.append(current) }
        return sizes
    }

    private func directoryEntries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    /// Runs a tool found on PATH; nil when it is not installed, so the check is skipped.
    private func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: Data, errors: Data)? {
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
        try process.run()
        // Reading both pipes on one thread could deadlock on a full stderr pipe; stderr stays tiny here.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, outputData, errorData)
    }

    /// Worker threads of all parallel writers alive in this process, found by the name they give themselves.
    private func compressionThreadCount() -> Int? {
        #if os(Linux)
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return nil }
        return tasks.filter { task in
            let name = (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)) ?? ""
            return name.hasPrefix("pipe-compress")
        }.count
        #else
        return nil
        #endif
    }

    /// A joined thread can linger in /proc for a moment while the kernel reaps it, so give it that moment.
    private func waitForCompressionThreads(_ expected: Int, file: StaticString = #filePath, line: UInt = #line) {
        guard var count = compressionThreadCount() else { return }
        let deadline = Date().addingTimeInterval(2)
        while count != expected && Date() < deadline {
            usleep(10_000)
            count = compressionThreadCount() ?? expected
        }
        XCTAssertEqual(count, expected, "pipe-compress threads", file: file, line: line)
    }

    // MARK: - Round trips

    func testRoundTripForEveryCompressionAndChunkSize() throws {
        let lines = sampleLines(8_000)
        let text = joined(lines)
        for compression in Compression.allCases {
            for chunkBytes in [1, 1_000, 65_536, ParallelShardWriter.defaultChunkBytes] {
                let name = "part-\(chunkBytes).jsonl" + compression.fileExtension
                let info = try writeShard(name, compression, lines, chunkBytes: chunkBytes)
                XCTAssertEqual(info.path, path(name))
                XCTAssertEqual(info.compression, compression)
                XCTAssertEqual(info.lines, Int64(lines.count))
                XCTAssertEqual(info.uncompressedBytes, Int64(text.count))
                let onDisk = try bytes(path(name))
                XCTAssertEqual(info.bytes, Int64(onDisk.count))
                XCTAssertEqual(Compression.detect(magic: onDisk), compression)
                XCTAssertEqual(try ShardReader.readAll(path: path(name)), lines, "\(compression) chunkBytes \(chunkBytes)")
                if let result = try run("sha256sum", [path(name)]) {
                    let expected = String(decoding: result.output.prefix(64), as: UTF8.self)
                    XCTAssertEqual(info.sha256, expected)
                }
            }
        }
        XCTAssertEqual(try directoryEntries().filter { $0.hasPrefix(".tmp-") }, [])
    }

    func testEmptyShardIsOneValidEmptyStream() throws {
        for compression in Compression.allCases {
            let name = "empty.jsonl" + compression.fileExtension
            let info = try writeShard(name, compression, [])
            XCTAssertEqual(info.lines, 0)
            XCTAssertEqual(info.uncompressedBytes, 0)
            XCTAssertEqual(try ShardReader.readAll(path: path(name)), [])
            // The single-threaded writer's empty stream is the reference for what tools accept.
            let reference = try ShardWriter(path: path("reference-" + name), compression: compression).commit()
            XCTAssertEqual(try bytes(path(name)), try bytes(reference.path), "\(compression)")
            XCTAssertEqual(info.sha256, reference.sha256)
        }
        if let result = try run("gzip", ["-t", path("empty.jsonl.gz")]) {
            XCTAssertEqual(result.status, 0, String(decoding: result.errors, as: UTF8.self))
        }
        if let result = try run("zstd", ["-t", "-q", path("empty.jsonl.zst")]) {
            XCTAssertEqual(result.status, 0, String(decoding: result.errors, as: UTF8.self))
        }
    }

    func testHugeLinesLongerThanAChunk() throws {
        let huge = [UInt8](repeating: UInt8(ascii: "h"), count: 50_000)
        let lines = [Array("first".utf8), huge, Array("after".utf8), huge, huge, Array("last".utf8)]
        for compression in [Compression.gzip, .zstd] {
            let name = "huge.jsonl" + compression.fileExtension
            let info = try writeShard(name, compression, lines, chunkBytes: 1_000)
            XCTAssertEqual(info.lines, 6)
            XCTAssertEqual(try ShardReader.readAll(path: path(name)), lines)
        }
        // A line over the default chunk size, between ordinary ones.
        var big = [UInt8](repeating: UInt8(ascii: "b"), count: ParallelShardWriter.defaultChunkBytes * 2 + 17)
        big[0] = UInt8(ascii: "[")
        let mixed = sampleLines(1_000) + [big] + sampleLines(1_000, seed: 9)
        try writeShard("big.jsonl.gz", .gzip, mixed, threads: 2)
        XCTAssertEqual(try ShardReader.readAll(path: path("big.jsonl.gz")), mixed)
    }

    func testManyTinyLines() throws {
        var lines: [[UInt8]] = []
        for index in 0..<200_000 {
            lines.append(Array(String(index % 1_000).utf8))
        }
        for compression in [Compression.gzip, .zstd] {
            let name = "tiny.jsonl" + compression.fileExtension
            let info = try writeShard(name, compression, lines, threads: 3, chunkBytes: 4_096)
            XCTAssertEqual(info.lines, Int64(lines.count))
            XCTAssertEqual(try ShardReader.readAll(path: path(name)), lines)
        }
    }

    func testEveryWriteEntryPointGivesTheSameLines() throws {
        let writer = try ParallelShardWriter(path: path("entry.jsonl.gz"), compression: .gzip, threads: 2, chunkBytes: 64)
        try writer.write(line: Array("{\"a\":1}".utf8))
        try writer.write(line: Array("{\"b\":2}".utf8)[...])
        try writer.write(line: "{\"c\":3}".utf8)
        try writer.writeLine(.object(["d": .integer(4)]))
        XCTAssertEqual(writer.lines, 4)
        let info = try writer.commit()
        XCTAssertEqual(info.uncompressedBytes, 32)
        XCTAssertEqual(try ShardReader.readAll(path: path("entry.jsonl.gz")).map { String(decoding: $0, as: UTF8.self) },
                       ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}", "{\"d\":4}"])
    }

    /// Writing lines in blocks of any grouping gives the bytes of writing them one by one, for both writers:
    /// the parallel writer must cut its chunks at the same line boundaries.
    func testBlocksOfLinesGiveTheSameBytesAsSingleLines() throws {
        let lines = sampleLines(3_000)
        for compression in [Compression.gzip, .zstd, .none] {
            let single = try writeShard("single.jsonl" + compression.fileExtension, compression, lines, chunkBytes: 4_000)
            let serial = try ShardWriter(path: path("serial-single.jsonl" + compression.fileExtension), compression: compression)
            for line in lines { try serial.write(line: line) }
            let serialSingle = try serial.commit()
            for groupSize in [1, 7, 64, 1_000] {
                let name = "blocks-\(groupSize).jsonl" + compression.fileExtension
                let parallel = try ParallelShardWriter(path: path(name), compression: compression, threads: 2, chunkBytes: 4_000)
                let serialBlocks = try ShardWriter(path: path("serial-" + name), compression: compression)
                for start in stride(from: 0, to: lines.count, by: groupSize) {
                    let group = Array(lines[start..<min(start + groupSize, lines.count)])
                    try joined(group).withUnsafeBytes {
                        try parallel.write(lines: $0, count: group.count)
                        try serialBlocks.write(lines: $0, count: group.count)
                    }
                }
                for (info, reference) in [(try parallel.commit(), single), (try serialBlocks.commit(), serialSingle)] {
                    XCTAssertEqual(try bytes(info.path), try bytes(reference.path), "\(compression) groups of \(groupSize)")
                    XCTAssertEqual(info.lines, Int64(lines.count))
                    XCTAssertEqual(info.uncompressedBytes, reference.uncompressedBytes)
                }
            }
        }
    }

    func testBlockOfLinesMustEndWithANewline() throws {
        let parallel = try ParallelShardWriter(path: path("open.jsonl.gz"), compression: .gzip, threads: 1)
        let serial = try ShardWriter(path: path("open.jsonl.zst"), compression: .zstd)
        try Array("{\"a\":1}\n{\"b\"".utf8).withUnsafeBytes { block in
            XCTAssertThrowsError(try parallel.write(lines: block, count: 2)) { error in
                XCTAssertEqual(error as? ShardWriteError, .unterminatedLines(path: self.path("open.jsonl.gz"), lineNumber: 1))
            }
            XCTAssertThrowsError(try serial.write(lines: block, count: 2)) { error in
                XCTAssertEqual(error as? ShardWriteError, .unterminatedLines(path: self.path("open.jsonl.zst"), lineNumber: 1))
            }
        }
        parallel.abandon()
        serial.abandon()
        XCTAssertEqual(try directoryEntries(), [])
    }

    // MARK: - Determinism and structure

    func testSameBytesWhateverTheThreadCount() throws {
        let lines = sampleLines(30_000)
        for compression in [Compression.gzip, .zstd] {
            var results: [ShardFileInfo] = []
            for threads in [1, 2, 4] {
                results.append(try writeShard("t\(threads).jsonl" + compression.fileExtension, compression, lines,
                                              threads: threads, chunkBytes: 16_384))
            }
            let reference = try bytes(results[0].path)
            for info in results.dropFirst() {
                XCTAssertEqual(try bytes(info.path), reference, "\(compression) \(info.path)")
                XCTAssertEqual(info.sha256, results[0].sha256)
                XCTAssertEqual(info.bytes, results[0].bytes)
            }
        }
    }

    func testEachChunkIsTheMemberShardWriterWouldWrite() throws {
        let lines = sampleLines(5_000)
        let chunkBytes = 20_000
        for compression in [Compression.gzip, .zstd] {
            try writeShard("chunked.jsonl" + compression.fileExtension, compression, lines, threads: 4, chunkBytes: chunkBytes)
            // Cut the lines where the writer must, compress each piece alone and concatenate.
            var expected: [UInt8] = []
            var start = 0
            var index = 0
            for size in expectedChunkSizes(lines, chunkBytes: chunkBytes) {
                var end = start
                var covered = 0
                while covered < size {
                    covered += lines[end].count + 1
                    end += 1
                }
                let single = try ShardWriter(path: path("piece\(index)"), compression: compression)
                for line in lines[start..<end] { try single.write(line: line) }
                expected += try bytes(single.commit().path)
                start = end
                index += 1
            }
            XCTAssertGreaterThan(index, 20)
            XCTAssertEqual(try bytes(path("chunked.jsonl" + compression.fileExtension)), expected, "\(compression)")
        }
    }

    func testGzipMembersAreCanonicalAndCutAtLineBoundaries() throws {
        let lines = sampleLines(10_000)
        let chunkBytes = 50_000
        try writeShard("members.jsonl.gz", .gzip, lines, threads: 2, chunkBytes: chunkBytes)
        let reader = try ShardReader(path: path("members.jsonl.gz"))
        XCTAssertEqual(reader.compression, .gzip)
        var count = 0
        while try reader.next() != nil { count += 1 }
        XCTAssertEqual(count, lines.count)
        XCTAssertEqual(reader.decompressedBytes, Int64(joined(lines).count))

        let script = """
        import sys, zlib
        data = open(sys.argv[1], 'rb').read()
        while data:
            if data[:3] != b'\\x1f\\x8b\\x08':
                sys.exit('not a gzip member')
            flags, mtime = data[3], int.from_bytes(data[4:8], 'little')
            inflater = zlib.decompressobj(31)
            text = inflater.decompress(data)
            if not inflater.eof or not text.endswith(b'\\n'):
                sys.exit('member does not end a line')
            print(flags, mtime, len(text))
            data = inflater.unused_data
        """
        guard let result = try run("python3", ["-c", script, path("members.jsonl.gz")]) else { return }
        XCTAssertEqual(result.status, 0, String(decoding: result.errors, as: UTF8.self))
        let members = String(decoding: result.output, as: UTF8.self).split(separator: "\n").map { $0.split(separator: " ") }
        let sizes = expectedChunkSizes(lines, chunkBytes: chunkBytes)
        XCTAssertEqual(members.count, sizes.count)
        for (member, size) in zip(members, sizes) {
            XCTAssertEqual(member, ["0", "0", Substring(String(size))], "no name, no mtime, one whole chunk")
        }
    }

    func testExternalToolsReadTheFiles() throws {
        let lines = sampleLines(40_000)
        let text = Data(joined(lines))
        try writeShard("tools.jsonl.gz", .gzip, lines, chunkBytes: 100_000)
        try writeShard("tools.jsonl.zst", .zstd, lines, chunkBytes: 100_000)
        let gz = path("tools.jsonl.gz")
        let zst = path("tools.jsonl.zst")
        if let result = try run("gzip", ["-t", gz]) {
            XCTAssertEqual(result.status, 0, String(decoding: result.errors, as: UTF8.self))
        }
        if let result = try run("gzip", ["-dc", gz]) {
            XCTAssertEqual(result.status, 0)
            XCTAssertEqual(result.output, text)
        }
        if let result = try run("zcat", [gz]) {
            XCTAssertEqual(result.status, 0)
            XCTAssertEqual(result.output, text)
        }
        let python = "import gzip, sys; sys.stdout.buffer.write(gzip.open(sys.argv[1]).read())"
        if let result = try run("python3", ["-c", python, gz]) {
            XCTAssertEqual(result.status, 0, String(decoding: result.errors, as: UTF8.self))
            XCTAssertEqual(result.output, text)
        }
        if let result = try run("zstd", ["-t", "-q", zst]) {
            XCTAssertEqual(result.status, 0, String(decoding: result.errors, as: UTF8.self))
        }
        if let result = try run("zstd", ["-dc", "-q", zst]) {
            XCTAssertEqual(result.status, 0)
            XCTAssertEqual(result.output, text)
        }
    }

    // MARK: - Abandoning

    func testAbandonAndDeinitLeaveNoFileAndNoThreads() throws {
        waitForCompressionThreads(0)
        let lines = sampleLines(20_000)
        let writer = try ParallelShardWriter(path: path("gone.jsonl.gz"), compression: .gzip, threads: 4, chunkBytes: 10_000)
        waitForCompressionThreads(4)
        for line in lines { try writer.write(line: line) }
        writer.abandon()
        waitForCompressionThreads(0)
        XCTAssertEqual(try directoryEntries(), [])
        writer.abandon()
        XCTAssertThrowsError(try writer.write(line: Array("x".utf8))) { error in
            XCTAssertEqual(error as? ShardWriteError, .finished(path: self.path("gone.jsonl.gz")))
        }
        XCTAssertThrowsError(try writer.commit())

        do {
            let dropped = try ParallelShardWriter(path: path("dropped.jsonl.zst"), compression: .zstd, threads: 3,
                                                  chunkBytes: 10_000)
            for line in lines { try dropped.write(line: line) }
            XCTAssertEqual(dropped.lines, Int64(lines.count))
        }
        waitForCompressionThreads(0)
        XCTAssertEqual(try directoryEntries(), [])
    }

    func testCommitStopsTheWorkers() throws {
        let info = try writeShard("done.jsonl.zst", .zstd, sampleLines(5_000), threads: 4, chunkBytes: 10_000)
        waitForCompressionThreads(0)
        XCTAssertEqual(try directoryEntries(), ["done.jsonl.zst"])
        XCTAssertEqual(info.lines, 5_000)
    }

    // MARK: - Errors

    func testOpeningErrorsLeaveNothing() throws {
        XCTAssertThrowsError(try ParallelShardWriter(path: path("missing/part.jsonl.gz"), compression: .gzip)) { error in
            guard case .file(let failure)? = error as? ShardWriteError else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(failure.operation, "create")
            XCTAssertEqual(failure.code, ENOENT)
        }
        XCTAssertThrowsError(try ParallelShardWriter(path: path("bad.jsonl.gz"), compression: .gzip, level: 10)) { error in
            XCTAssertEqual(error as? ShardWriteError, .invalidLevel(path: path("bad.jsonl.gz"), compression: .gzip, level: 10))
        }
        XCTAssertThrowsError(try ParallelShardWriter(path: path("bad.jsonl.zst"), compression: .zstd, level: 0))
        waitForCompressionThreads(0)
        XCTAssertEqual(try directoryEntries(), [])

        // Permissions do not stop root, so the read-only case only means something for other users.
        let readOnly = path("read-only")
        try FileManager.default.createDirectory(atPath: readOnly, withIntermediateDirectories: false)
        XCTAssertEqual(chmod(readOnly, 0o555), 0)
        defer { chmod(readOnly, 0o755) }
        if geteuid() != 0 {
            XCTAssertThrowsError(try ParallelShardWriter(path: readOnly + "/part.jsonl.gz", compression: .gzip)) { error in
                guard case .file(let failure)? = error as? ShardWriteError else {
                    return XCTFail("unexpected \(error)")
                }
                XCTAssertEqual(failure.code, EACCES)
            }
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: readOnly), [])
        }
    }

    func testLineErrorsAndFinishedWriter() throws {
        let writer = try ParallelShardWriter(path: path("lines.jsonl.gz"), compression: .gzip, threads: 2)
        try writer.write(line: Array("ok".utf8))
        XCTAssertThrowsError(try writer.write(line: Array("two\nlines".utf8))) { error in
            XCTAssertEqual(error as? ShardWriteError, .newlineInLine(path: self.path("lines.jsonl.gz"), lineNumber: 2))
        }
        // A rejected line is not written and does not end the shard.
        try writer.write(line: Array("still ok".utf8))
        let info = try writer.commit()
        XCTAssertEqual(info.lines, 2)
        XCTAssertEqual(try ShardReader.readAll(path: info.path), [Array("ok".utf8), Array("still ok".utf8)])
        XCTAssertThrowsError(try writer.commit()) { error in
            XCTAssertEqual(error as? ShardWriteError, .finished(path: info.path))
        }
        XCTAssertThrowsError(try writer.write(line: Array("late".utf8)))
    }

    func testWorkerFailureSurfacesAndLeavesNothing() throws {
        let lines = sampleLines(20_000)
        for failingChunk in [0, 5] {
            let target = path("failing-\(failingChunk).jsonl.gz")
            let writer = try ParallelShardWriter(path: target, compression: .gzip, level: nil, threads: 2,
                                                 chunkBytes: 8_192, failingChunk: failingChunk)
            var caught: Error?
            do {
                for line in lines { try writer.write(line: line) }
                _ = try writer.commit()
            } catch {
                caught = error
            }
            XCTAssertEqual(caught as? ShardWriteError,
                           .libarchive(path: target, message: "injected failure in chunk \(failingChunk)"))
            XCTAssertThrowsError(try writer.write(line: Array("after".utf8))) { error in
                XCTAssertEqual(error as? ShardWriteError, .finished(path: target))
            }
            waitForCompressionThreads(0)
            XCTAssertEqual(try directoryEntries(), [])
        }
    }

    func testWorkerFailureInTheLastChunkSurfacesFromCommit() throws {
        let target = path("late-failure.jsonl.zst")
        let writer = try ParallelShardWriter(path: target, compression: .zstd, level: nil, threads: 2,
                                             chunkBytes: 1 << 20, failingChunk: 0)
        for line in sampleLines(100) { try writer.write(line: line) }
        XCTAssertThrowsError(try writer.commit()) { error in
            XCTAssertEqual(error as? ShardWriteError, .libarchive(path: target, message: "injected failure in chunk 0"))
        }
        XCTAssertEqual(try directoryEntries(), [])
    }

    #if os(Linux)
    /// A file size limit makes the writes to disk fail midway, which no permission trick can do for root.
    func testDiskWriteFailureSurfacesAndLeavesNothing() throws {
        var saved = rlimit()
        XCTAssertEqual(getrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved), 0)
        // Over the limit the kernel would kill the process with SIGXFSZ instead of failing the write.
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        var limited = saved
        limited.rlim_cur = 64 << 10
        XCTAssertEqual(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limited), 0)
        var caught: Error?
        do {
            let writer = try ParallelShardWriter(path: path("full.jsonl.zst"), compression: .zstd, threads: 2,
                                                 chunkBytes: 16_384)
            for line in sampleLines(50_000) { try writer.write(line: line) }
            _ = try writer.commit()
        } catch {
            caught = error
        }
        XCTAssertEqual(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved), 0)
        signal(SIGXFSZ, previousHandler)
        guard case .file(let failure)? = caught as? ShardWriteError else {
            return XCTFail("unexpected \(String(describing: caught))")
        }
        XCTAssertEqual(failure.operation, "write")
        XCTAssertEqual(failure.code, EFBIG)
        waitForCompressionThreads(0)
        XCTAssertEqual(try directoryEntries(), [])
    }
    #endif

    // MARK: - Throughput

    /// Not a check: with PIPE_PGZ_BENCH set to a JSON Lines file, prints how long each writer takes over it,
    /// reading and splitting the lines on this thread as an export does. Build with -c release to mean anything.
    func testThroughputOnAFile() throws {
        guard let input = ProcessInfo.processInfo.environment["PIPE_PGZ_BENCH"] else {
            throw XCTSkip("set PIPE_PGZ_BENCH to a JSON Lines file to measure")
        }
        let environment = ProcessInfo.processInfo.environment
        let threads = Int(environment["PIPE_PGZ_THREADS"] ?? "") ?? 2
        // PIPE_PGZ_CASE picks one writer, so a script can time it alone, e.g. "ParallelShardWriter gzip".
        let cases: [(String, Compression, Bool)] = [
            ("ShardWriter gzip", .gzip, false), ("ParallelShardWriter gzip", .gzip, true),
            ("ShardWriter zstd", .zstd, false), ("ParallelShardWriter zstd", .zstd, true),
        ].filter { environment["PIPE_PGZ_CASE"] == nil || environment["PIPE_PGZ_CASE"] == $0.0 }
        for (label, compression, parallel) in cases {
            let output = path("bench.jsonl" + compression.fileExtension)
            let cpuBefore = processorSeconds()
            let started = Date()
            let info: ShardFileInfo
            if parallel {
                let writer = try ParallelShardWriter(path: output, compression: compression, threads: threads)
                try forEachLine(of: input) { try writer.write(line: $0) }
                info = try writer.commit()
            } else {
                let writer = try ShardWriter(path: output, compression: compression)
                try forEachLine(of: input) { try writer.write(line: $0) }
                info = try writer.commit()
            }
            let seconds = Date().timeIntervalSince(started)
            let cpu = processorSeconds() - cpuBefore
            print(String(format: "%@: %.2f s wall, %.2f s CPU, %lld -> %lld bytes, %@", label, seconds, cpu,
                         info.uncompressedBytes, info.bytes, info.sha256))
            try FileManager.default.removeItem(atPath: output)
        }
    }

    /// User and system time of the whole process, every thread included.
    private func processorSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Streams the lines of a plain file in 1 MiB reads, without the newline.
    private func forEachLine(of file: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var carried: [UInt8] = []
        while true {
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got < 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            if got == 0 { break }
            try buffer.withUnsafeBytes { whole in
                let block = UnsafeRawBufferPointer(rebasing: whole[0..<got])
                guard let base = block.baseAddress else { return }
                var start = 0
                while start < got, let newline = memchr(base + start, 0x0A, got - start) {
                    let end = base.distance(to: UnsafeRawPointer(newline))
                    let piece = UnsafeRawBufferPointer(rebasing: block[start..<end])
                    if carried.isEmpty {
                        try body(piece)
                    } else {
                        carried.append(contentsOf: piece)
                        try carried.withUnsafeBytes { try body($0) }
                        carried.removeAll(keepingCapacity: true)
                    }
                    start = end + 1
                }
                carried.append(contentsOf: block[start...])
            }
        }
        if !carried.isEmpty { try carried.withUnsafeBytes { try body($0) } }
    }
}
