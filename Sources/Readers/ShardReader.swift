import StageKit
// One of the two designated low-level files of Readers (with DecodedStream.swift): lines are framed in the
// decoded blocks with memchr and handed to callers as borrowed buffers, with no copy per line. The pointer
// API (`forEachLine`) is kept public for the exporters and commands that hold a line only as long as the
// call; `next()` gives arrays.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One non-empty line of a shard and where it was found.
public struct ShardLine: Sendable, Equatable {
    /// The line's bytes, without the newline or a carriage return before it.
    public var bytes: [UInt8]
    /// 1-based line number; empty lines are skipped but counted.
    public var lineNumber: Int
    /// Decompressed byte offset of the line's first byte.
    public var offset: Int64

    public init(bytes: [UInt8], lineNumber: Int, offset: Int64) {
        self.bytes = bytes
        self.lineNumber = lineNumber
        self.offset = offset
    }
}

/// Streams the lines of a plain, gzip (multi-member) or zstd (multi-frame) JSON Lines file.
///
/// The compression is found from the file's magic bytes, not its name. Memory stays bounded: the
/// file is decompressed block by block (zlib and libzstd through `DecodedStream`), and one line may be at
/// most `maxLineBytes` long. A truncated or corrupt file ends with `ShardReadError.damaged` after every
/// complete line decoded before the fault (zstd decodes whole blocks of up to 128 KiB, so the lines of a
/// zstd block cut short are lost with it); a partial last line is never returned as a record. gzip CRCs can
/// only be checked at the end of each member, so a checksum failure is reported after that member's lines.
/// Zero bytes after the last gzip member are padding; anything else there is damage. Not thread-safe.
public final class ShardReader {
    /// The longest line accepted when none is given: 64 MiB.
    public static let defaultMaxLineBytes = 64 << 20

    /// The file being read.
    public let path: String
    /// Lines longer than this (in bytes, before the newline) raise `lineTooLong`.
    public let maxLineBytes: Int
    /// The compression found from the file's magic bytes.
    public let compression: Compression
    /// Decompressed bytes delivered by libarchive so far.
    public private(set) var decompressedBytes: Int64 = 0

    private enum State {
        case reading
        /// libarchive reported the end; the end-of-stream checks and an unterminated last line remain.
        case atEnd
        case finished
    }

    /// The file's bytes: read as they are when plain, and for recognising the compression.
    private let source: CompressedSource
    /// The decoder of a gzip or zstd file.
    private var decoder: DecodedStream?
    private var checkedInnerCompression = false
    private var state = State.reading
    private var block = UnsafeRawBufferPointer(start: nil, count: 0)
    private var position = 0
    private var blockOffset: Int64 = 0
    private let pending = LineBuffer()
    private var hasPending = false
    private var pendingStart: Int64 = 0
    private var skippingLongLine = false
    private var lineNumber = 0
    /// A problem found while opening, thrown by the first read.
    private var deferredError: ShardReadError?

    /// Opens `path` and reads far enough to recognise its compression.
    ///
    /// Only `cannotOpen` is thrown here; damage found while opening is thrown by the first read.
    public init(path: String, maxLineBytes: Int = ShardReader.defaultMaxLineBytes) throws {
        self.path = path
        self.maxLineBytes = max(1, maxLineBytes)
        source = try CompressedSource(path: path)
        let head = source.firstBytes
        compression = Compression.detect(magic: head)
        // Problems with the content are reported by the first read, so callers handle every
        // content problem in one place, next to the records read before it.
        do {
            if let message = source.ioError {
                throw ShardReadError.io(path: path, offset: 0, message: message)
            }
            if let name = Compression.unsupported(head) {
                throw ShardReadError.unsupported(path: path, message: "\(name) compression; shards are plain, gzip or zstd")
            }
            if compression != .none {
                source.close()
                guard let decoder = DecodedStream(path: path, strictTrailer: true) else {
                    throw ShardReadError.io(path: path, offset: 0, message: "cannot open the file again to decode it")
                }
                self.decoder = decoder
            }
        } catch let error as ShardReadError {
            state = .finished
            deferredError = error
        }
    }

    /// The next non-empty line, or nil at the end; after `damaged` or `io` errors it returns nil.
    ///
    /// After `lineTooLong` reading may go on: the next call resumes after the long line.
    public func next() throws -> ShardLine? {
        guard let line = try nextLine() else { return nil }
        let bytes = [UInt8](unsafeUninitializedCapacity: line.bytes.count) { storage, initialized in
            if let target = storage.baseAddress, let origin = line.bytes.baseAddress {
                memcpy(target, origin, line.bytes.count)
            }
            initialized = line.bytes.count
        }
        return ShardLine(bytes: bytes, lineNumber: line.lineNumber, offset: line.offset)
    }

    /// Calls `body` for each remaining non-empty line without copying it; the bytes are valid only during the call.
    ///
    /// After `lineTooLong` a new call resumes after the long line.
    public func forEachLine(_ body: (_ line: UnsafeRawBufferPointer, _ lineNumber: Int, _ offset: Int64) throws -> Void) throws {
        while let line = try nextLine() {
            try body(line.bytes, line.lineNumber, line.offset)
        }
    }

    /// Every non-empty line of the file at `path`, for tests and small files.
    public static func readAll(path: String, maxLineBytes: Int = ShardReader.defaultMaxLineBytes) throws -> [[UInt8]] {
        let reader = try ShardReader(path: path, maxLineBytes: maxLineBytes)
        var lines: [[UInt8]] = []
        while let line = try reader.next() { lines.append(line.bytes) }
        return lines
    }

    /// Releases libarchive and the file early; later calls return nil.
    public func close() {
        state = .finished
        deferredError = nil
        decoder = nil
        source.close()
    }

    // MARK: - Lines

    private struct RawLine {
        var bytes: UnsafeRawBufferPointer
        var lineNumber: Int
        var offset: Int64
    }

    /// The next non-empty line; its bytes point into libarchive's block or `pending`, valid until the next call.
    private func nextLine() throws -> RawLine? {
        if let error = deferredError {
            deferredError = nil
            throw error
        }
        while true {
            switch state {
            case .finished:
                return nil
            case .atEnd:
                state = .finished
                if skippingLongLine {
                    skippingLongLine = false
                    return nil
                }
                guard hasPending else { return nil }
                hasPending = false
                lineNumber += 1
                let line = ShardReader.withoutCarriageReturn(pending.bytes)
                if line.isEmpty { return nil }
                return RawLine(bytes: line, lineNumber: lineNumber, offset: pendingStart)
            case .reading:
                break
            }
            guard position < block.count, let base = block.baseAddress else {
                try fetchBlock()
                continue
            }
            let start = base + position
            let available = block.count - position
            let lineOffset = blockOffset + Int64(position)
            if let newline = memchr(start, 0x0A, available) {
                let length = start.distance(to: UnsafeRawPointer(newline))
                position += length + 1
                if skippingLongLine {
                    skippingLongLine = false
                    continue
                }
                lineNumber += 1
                if hasPending {
                    hasPending = false
                    if pending.count + length > maxLineBytes {
                        pending.removeAll()
                        throw ShardReadError.lineTooLong(path: path, lineNumber: lineNumber, offset: pendingStart, limit: maxLineBytes)
                    }
                    pending.append(start, length)
                    let line = ShardReader.withoutCarriageReturn(pending.bytes)
                    if line.isEmpty { continue }
                    return RawLine(bytes: line, lineNumber: lineNumber, offset: pendingStart)
                }
                if length > maxLineBytes {
                    throw ShardReadError.lineTooLong(path: path, lineNumber: lineNumber, offset: lineOffset, limit: maxLineBytes)
                }
                let line = ShardReader.withoutCarriageReturn(UnsafeRawBufferPointer(start: start, count: length))
                if line.isEmpty { continue }
                return RawLine(bytes: line, lineNumber: lineNumber, offset: lineOffset)
            }
            // The line goes on in the next block, so its bytes so far must be kept.
            position = block.count
            if skippingLongLine { continue }
            if !hasPending {
                hasPending = true
                pendingStart = lineOffset
                pending.removeAll()
            }
            if pending.count + available > maxLineBytes {
                hasPending = false
                pending.removeAll()
                skippingLongLine = true
                lineNumber += 1
                throw ShardReadError.lineTooLong(path: path, lineNumber: lineNumber, offset: pendingStart, limit: maxLineBytes)
            }
            pending.append(start, available)
        }
    }

    private static func withoutCarriageReturn(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let last = line.last, last == 0x0D else { return line }
        return UnsafeRawBufferPointer(rebasing: line.dropLast())
    }

    // MARK: - Blocks

    private func fetchBlock() throws {
        blockOffset += Int64(block.count)
        block = UnsafeRawBufferPointer(start: nil, count: 0)
        position = 0
        var start: UnsafeRawPointer?
        let count: Int
        if let decoder {
            count = decoder.nextBlock(&start)
            if count == 0 {
                if let damage = decoder.damage {
                    if decoder.readFailed { throw ioFailure(damage) }
                    throw damaged(damage)
                }
                state = .atEnd
                return
            }
        } else {
            count = source.nextBlock(&start)
            if count < 0 { throw ioFailure(source.ioError ?? "read failed") }
            if count == 0 {
                state = .atEnd
                return
            }
        }
        guard let start else { return }
        block = UnsafeRawBufferPointer(start: start, count: count)
        decompressedBytes += Int64(count)
        if decoder != nil && !checkedInnerCompression {
            checkedInnerCompression = true
            // A second layer would be read as text; say what the file is instead.
            let head = Array(UnsafeRawBufferPointer(rebasing: block.prefix(16)))
            if Compression.detect(magic: head) != .none || Compression.unsupported(head) != nil {
                state = .finished
                hasPending = false
                throw ShardReadError.unsupported(path: path, message: "compressed more than once")
            }
        }
    }

    private func ioFailure(_ message: String) -> ShardReadError {
        state = .finished
        hasPending = false
        return .io(path: path, offset: decompressedBytes, message: message)
    }

    private func damaged(_ message: String) -> ShardReadError {
        state = .finished
        hasPending = false
        return .damaged(path: path, offset: decompressedBytes, message: message)
    }

}

/// Reads a file block by block, its first bytes read ahead to recognise the compression.
private final class CompressedSource {
    private static let blockSize = 1 << 20
    /// Enough for every magic number `Compression.detect` and `foreignCompression` look at.
    private static let headBytes = 16

    let path: String
    private var descriptor: Int32
    private let buffer: UnsafeMutableRawPointer
    /// Bytes read ahead to recognise the compression (only those, since a compressed file is then read
    /// by `DecodedStream` instead), handed out first.
    private var primedCount = 0
    private(set) var firstBytes: [UInt8] = []
    private(set) var ioError: String?
    private var atEnd = false

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ShardReadError.cannotOpen(path: path, message: systemErrorText(errno))
        }
        var status = stat()
        if fstat(fd, &status) == 0, status.st_mode & 0o170000 == 0o040000 {
            systemClose(fd)
            throw ShardReadError.cannotOpen(path: path, message: "is a directory")
        }
        #if canImport(Glibc)
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif
        descriptor = fd
        buffer = UnsafeMutableRawPointer.allocate(byteCount: CompressedSource.blockSize, alignment: 16)
        while primedCount < CompressedSource.headBytes {
            let count = fill(upTo: CompressedSource.headBytes - primedCount, at: primedCount)
            if count <= 0 { break }
            primedCount += count
        }
        firstBytes = Array(UnsafeRawBufferPointer(start: buffer, count: primedCount))
    }

    deinit {
        close()
        buffer.deallocate()
    }

    /// The next block: 0 at the end, -1 on a read error (kept in `ioError`).
    func nextBlock(_ output: inout UnsafeRawPointer?) -> Int {
        output = UnsafeRawPointer(buffer)
        if primedCount > 0 {
            let count = primedCount
            primedCount = 0
            return count
        }
        return fill()
    }

    func close() {
        if descriptor >= 0 {
            systemClose(descriptor)
            descriptor = -1
        }
    }

    private func fill(upTo capacity: Int = CompressedSource.blockSize, at offset: Int = 0) -> Int {
        guard !atEnd, descriptor >= 0 else { return 0 }
        while true {
            let count = read(descriptor, buffer + offset, capacity)
            if count >= 0 {
                if count == 0 { atEnd = true }
                return count
            }
            if errno == EINTR { continue }
            ioError = systemErrorText(errno)
            atEnd = true
            return -1
        }
    }
}

/// The C `close`, named apart from the `close()` methods above.
private func systemClose(_ fd: Int32) {
    #if canImport(Glibc)
    _ = Glibc.close(fd)
    #else
    _ = Darwin.close(fd)
    #endif
}

/// A growable byte buffer for a line that spans blocks; raw memory so its bytes can be lent out by pointer.
private final class LineBuffer {
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    private(set) var count = 0

    init() {
        capacity = 64 << 10
        storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        storage.deallocate()
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }

    func append(_ source: UnsafeRawPointer, _ length: Int) {
        if count + length > capacity {
            var grown = capacity * 2
            while grown < count + length { grown *= 2 }
            let larger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
            larger.copyMemory(from: storage, byteCount: count)
            storage.deallocate()
            storage = larger
            capacity = grown
        }
        (storage + count).copyMemory(from: source, byteCount: length)
        count += length
    }

    func removeAll() {
        count = 0
        // One huge line should not pin its memory for the rest of the file.
        if capacity > 8 << 20 {
            storage.deallocate()
            capacity = 64 << 10
            storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        }
    }
}
