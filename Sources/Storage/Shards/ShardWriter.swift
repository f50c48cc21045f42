// One of Storage's designated low-level files, all libarchive interop (with ParallelShardWriter.swift and
// Archives/ArchiveReader.swift): the compressor is fed from our own buffers through C callbacks. The line
// writing protocol lives here too: its requirements take borrowed buffers because exports hand over blocks
// of lines without copying them; the module's other code writes arrays.
import StageKit
import Readers
import CLibArchive
import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a committed shard file holds, for manifests and the catalog.
public struct ShardFileInfo: Sendable, Equatable, Hashable {
    /// The final path of the file.
    public var path: String
    /// How the file is compressed.
    public var compression: Compression
    /// Size of the file on disk.
    public var bytes: Int64
    /// SHA-256 of the file's bytes on disk, lowercase hex.
    public var sha256: String
    /// Number of lines (records) written.
    public var lines: Int64
    /// Size of the JSON Lines text before compression, newlines included.
    public var uncompressedBytes: Int64

    public init(path: String, compression: Compression, bytes: Int64, sha256: String, lines: Int64, uncompressedBytes: Int64) {
        self.path = path
        self.compression = compression
        self.bytes = bytes
        self.sha256 = sha256
        self.lines = lines
        self.uncompressedBytes = uncompressedBytes
    }
}

/// Writes one JSON Lines shard, compressed through libarchive's raw format, visible only once committed.
///
/// gzip output has no file name and a zero mtime, so equal lines give equal bytes. libarchive 3.6
/// writes zstd frames without a content checksum; the SHA-256 in `ShardFileInfo` covers that.
/// Not thread-safe: one writer per file, used from one task at a time.
public final class ShardWriter {
    /// zstd level used when none is given (the workspace default).
    public static let defaultZstdLevel = 3
    /// gzip level used when none is given (what `gzip` itself uses).
    public static let defaultGzipLevel = 6

    /// The final path of the shard.
    public let path: String
    /// How the shard is compressed.
    public let compression: Compression
    /// Bytes of JSON Lines text written so far, newlines included.
    public private(set) var uncompressedBytes: Int64 = 0
    /// Lines written so far.
    public private(set) var lines: Int64 = 0

    /// Lines are gathered up to this size before going to the compressor, so per-call costs vanish.
    private static let stagingCapacity = 1 << 20

    private let sink: CompressedSink
    private var archive: OpaquePointer?
    private var staging: [UInt8] = []
    private var finished = false

    /// Opens a temporary file next to `path` and starts a compressed stream into it.
    ///
    /// `level` defaults to 3 for zstd and 6 for gzip, and is ignored for `.none`.
    public init(path: String, compression: Compression, level: Int? = nil) throws {
        self.path = path
        self.compression = compression
        let file: AtomicFile
        do {
            file = try AtomicFile(path: path)
        } catch let error as AtomicFileError {
            throw ShardWriteError.file(error)
        }
        sink = CompressedSink(file: file)
        staging.reserveCapacity(ShardWriter.stagingCapacity + 4096)
        do {
            try startArchive(level: level)
        } catch {
            releaseArchive()
            file.abandon()
            finished = true
            throw error
        }
    }

    deinit {
        if !finished {
            releaseArchive()
            sink.file.abandon()
        }
    }

    /// Appends one line; `bytes` must not contain a newline, which is added here.
    public func write(line bytes: UnsafeRawBufferPointer) throws {
        guard !finished else { throw ShardWriteError.finished(path: path) }
        if let base = bytes.baseAddress, memchr(base, 0x0A, bytes.count) != nil {
            throw ShardWriteError.newlineInLine(path: path, lineNumber: lines + 1)
        }
        if staging.count + bytes.count + 1 > ShardWriter.stagingCapacity {
            try flushStaging()
            if bytes.count >= ShardWriter.stagingCapacity {
                // A huge line goes straight to the compressor instead of through the staging copy.
                try compress(bytes)
                staging.append(0x0A)
                account(bytes.count + 1)
                return
            }
        }
        staging.append(contentsOf: bytes)
        staging.append(0x0A)
        account(bytes.count + 1)
    }

    /// Appends `count` complete lines at once: `bytes` holds them with their newlines, the last byte a newline.
    ///
    /// For callers that gather lines themselves (exports): the block goes to the compressor without the
    /// per-line checks and copy of `write(line:)`, and the output is the same bytes as writing the lines one by one.
    public func write(lines bytes: UnsafeRawBufferPointer, count: Int) throws {
        guard !finished else { throw ShardWriteError.finished(path: path) }
        guard !bytes.isEmpty else { return }
        guard bytes.last == 0x0A, count > 0 else { throw ShardWriteError.unterminatedLines(path: path, lineNumber: lines + 1) }
        try flushStaging()
        try compress(bytes)
        uncompressedBytes += Int64(bytes.count)
        lines += Int64(count)
    }

    /// Appends one JSON value as a line, in pipe's canonical compact form.
    public func writeLine(_ json: JSONValue) throws {
        guard !finished else { throw ShardWriteError.finished(path: path) }
        let before = staging.count
        JSONWriter.append(json, to: &staging)
        staging.append(0x0A)
        account(staging.count - before)
        if staging.count >= ShardWriter.stagingCapacity {
            try flushStaging()
        }
    }

    /// Finishes the stream, makes the file durable, renames it into place and describes it.
    public func commit() throws -> ShardFileInfo {
        guard !finished else { throw ShardWriteError.finished(path: path) }
        finished = true
        do {
            try flushStaging()
            guard let archive else { throw ShardWriteError.libarchive(path: path, message: "no open archive") }
            let closed = archive_write_close(archive)
            if let error = sink.error { throw ShardWriteError.file(error) }
            if closed != ARCHIVE_OK {
                throw ShardWriteError.libarchive(path: path, message: archiveMessage(archive, fallback: "closing the stream failed"))
            }
            releaseArchive()
            try sink.file.commit()
        } catch let error as AtomicFileError {
            releaseArchive()
            sink.file.abandon()
            throw ShardWriteError.file(error)
        } catch {
            releaseArchive()
            sink.file.abandon()
            throw error
        }
        return ShardFileInfo(path: path, compression: compression, bytes: sink.bytes, sha256: StableHash.hex(sink.hasher.finalize()),
                             lines: lines, uncompressedBytes: uncompressedBytes)
    }

    /// Drops everything written; no file appears under the final name.
    public func abandon() {
        guard !finished else { return }
        finished = true
        releaseArchive()
        sink.file.abandon()
    }

    private func account(_ byteCount: Int) {
        uncompressedBytes += Int64(byteCount)
        lines += 1
    }

    private func flushStaging() throws {
        guard !staging.isEmpty else { return }
        try staging.withUnsafeBytes { try compress($0) }
        staging.removeAll(keepingCapacity: true)
    }

    private func compress(_ bytes: UnsafeRawBufferPointer) throws {
        guard let archive else { throw ShardWriteError.libarchive(path: path, message: "no open archive") }
        guard var next = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = archive_write_data(archive, next, remaining)
            if let error = sink.error {
                abandonAfterFailure()
                throw ShardWriteError.file(error)
            }
            if written <= 0 {
                let message = archiveMessage(archive, fallback: "writing compressed data failed")
                abandonAfterFailure()
                throw ShardWriteError.libarchive(path: path, message: message)
            }
            next += written
            remaining -= written
        }
    }

    /// A failed write leaves the compressor in an unknown state, so the file cannot be finished.
    private func abandonAfterFailure() {
        finished = true
        releaseArchive()
        sink.file.abandon()
    }

    private func startArchive(level: Int?) throws {
        guard let archive = archive_write_new() else {
            throw ShardWriteError.libarchive(path: path, message: "archive_write_new failed")
        }
        self.archive = archive
        try check(archive_write_set_format_raw(archive), archive, "selecting the raw format")
        switch compression {
        case .zstd:
            try check(archive_write_add_filter_zstd(archive), archive, "adding the zstd filter")
            try setLevel(level ?? ShardWriter.defaultZstdLevel, valid: 1...22, filter: "zstd", archive)
        case .gzip:
            try check(archive_write_add_filter_gzip(archive), archive, "adding the gzip filter")
            try setLevel(level ?? ShardWriter.defaultGzipLevel, valid: 0...9, filter: "gzip", archive)
            // libarchive stamps the current time into the gzip header unless told not to; data files must not
            // depend on the clock.
            try check(archive_write_set_filter_option(archive, "gzip", "timestamp", nil), archive,
                      "turning off the gzip timestamp")
        case .none:
            try check(archive_write_add_filter_none(archive), archive, "selecting no compression")
        }
        // Without this libarchive pads the last block with zeros, which gzip -t and zstd -t reject.
        try check(archive_write_set_bytes_in_last_block(archive, 1), archive, "turning off block padding")
        try check(archive_write_set_bytes_per_block(archive, Int32(ShardWriter.stagingCapacity)), archive,
                  "setting the block size")
        let context = Unmanaged.passUnretained(sink).toOpaque()
        let opened = archive_write_open(archive, context, nil, compressedSinkWrite, nil)
        if let error = sink.error { throw ShardWriteError.file(error) }
        try check(opened, archive, "opening the stream")
        guard let entry = archive_entry_new() else {
            throw ShardWriteError.libarchive(path: path, message: "archive_entry_new failed")
        }
        defer { archive_entry_free(entry) }
        // The raw format takes exactly one regular-file entry; AE_IFREG is a cast macro Swift cannot import.
        archive_entry_set_filetype(entry, 0o100000)
        archive_entry_set_pathname(entry, "data")
        try check(archive_write_header(archive, entry), archive, "starting the raw entry")
    }

    private func setLevel(_ level: Int, valid: ClosedRange<Int>, filter: String, _ archive: OpaquePointer) throws {
        guard valid.contains(level) else {
            throw ShardWriteError.invalidLevel(path: path, compression: compression, level: level)
        }
        if archive_write_set_filter_option(archive, filter, "compression-level", String(level)) != ARCHIVE_OK {
            throw ShardWriteError.invalidLevel(path: path, compression: compression, level: level)
        }
    }

    private func check(_ status: Int32, _ archive: OpaquePointer, _ step: String) throws {
        guard status == ARCHIVE_OK else {
            throw ShardWriteError.libarchive(path: path, message: "\(step): \(archiveMessage(archive, fallback: "status \(status)"))")
        }
    }

    private func releaseArchive() {
        guard let archive else { return }
        self.archive = nil
        // archive_write_free closes first; after a failure that flush may fail too, which changes nothing.
        archive_write_free(archive)
    }
}

/// The message libarchive left on `archive`, or `fallback` when it left none.
func archiveMessage(_ archive: OpaquePointer, fallback: String) -> String {
    guard let text = archive_error_string(archive) else { return fallback }
    return String(cString: text)
}

/// Receives libarchive's compressed output: hashes it, counts it and writes it to the temporary file.
private final class CompressedSink {
    let file: AtomicFile
    var hasher = SHA256()
    var bytes: Int64 = 0
    var error: AtomicFileError?

    init(file: AtomicFile) {
        self.file = file
    }

    func accept(_ buffer: UnsafeRawBufferPointer) -> Bool {
        do {
            try file.write(buffer)
        } catch let failure as AtomicFileError {
            error = failure
            return false
        } catch {
            self.error = AtomicFileError(path: file.path, operation: "write", code: 0, message: "\(error)")
            return false
        }
        hasher.update(bufferPointer: buffer)
        bytes += Int64(buffer.count)
        return true
    }
}

/// libarchive's write callback; C cannot call a closure that captures, so the sink rides in `context`.
private func compressedSinkWrite(_ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?,
                                 _ buffer: UnsafeRawPointer?, _ length: Int) -> Int {
    guard let context else { return -1 }
    let sink = Unmanaged<CompressedSink>.fromOpaque(context).takeUnretainedValue()
    guard length > 0, let buffer else { return 0 }
    return sink.accept(UnsafeRawBufferPointer(start: buffer, count: length)) ? length : -1
}

/// What a JSON Lines shard is written through: one thread (`ShardWriter`) or chunk-parallel compression
/// (`ParallelShardWriter`).
public protocol LineShardWriter: AnyObject {
    /// Appends one line; `bytes` must not contain a newline, which is added here.
    func write(line bytes: UnsafeRawBufferPointer) throws
    /// Appends `count` complete lines at once: `bytes` holds them with their newlines, the last byte a newline.
    func write(lines bytes: UnsafeRawBufferPointer, count: Int) throws
    /// Finishes the file, makes it durable, renames it into place and describes it.
    func commit() throws -> ShardFileInfo
    /// Drops everything written; no file appears under the final name.
    func abandon()
}

extension LineShardWriter {
    /// Appends one line from any byte collection; `bytes` must not contain a newline, which is added here.
    public func write(line bytes: some Collection<UInt8>) throws {
        let done: Void? = try bytes.withContiguousStorageIfAvailable { buffer in
            try write(line: UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            let copy = Array(bytes)
            try copy.withUnsafeBytes { try write(line: $0) }
        }
    }
}

extension ShardWriter: LineShardWriter {}
extension ParallelShardWriter: LineShardWriter {}
