// One of Storage's designated low-level files (with ShardWriter.swift and Archives/ArchiveReader.swift):
// libarchive compresses chunks on pthreads workers, through C callbacks and our own buffers. Legitimately
// unsafe; callers use the `LineShardWriter` API.
import StageKit
import Readers
import CLibArchive
import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one JSON Lines shard like `ShardWriter`, but compresses it in chunks on worker threads, as pigz does.
///
/// Lines are gathered into chunks, each closed at the first line boundary at or after `chunkBytes`, and
/// each chunk becomes a complete gzip member or zstd frame. Boundaries depend only on the lines, so the
/// file's bytes are the same whatever `threads` is; every gzip and zstd reader accepts the concatenation.
/// At most about two chunks per thread are in memory at once, however large the file grows. gzip
/// members have no file name and a zero mtime, as in `ShardWriter`. Not thread-safe: one writer per
/// file, used from one task at a time; the worker threads are internal.
public final class ParallelShardWriter {
    /// Chunk size used when none is given: each chunk starts the compressor's history afresh, which at this
    /// size costs about 0.1% more bytes for gzip (32 KiB window) and under 1% for zstd level 3 (larger window).
    public static let defaultChunkBytes = 4 << 20
    /// The most worker threads one writer starts, whatever is asked for.
    public static let maxThreads = 64

    /// The final path of the shard.
    public let path: String
    /// How the shard is compressed.
    public let compression: Compression
    /// Worker threads compressing chunks; none are started for `.none`.
    public let threads: Int
    /// A chunk is closed at the first line boundary at or after this many uncompressed bytes.
    public let chunkBytes: Int
    /// Bytes of JSON Lines text written so far, newlines included.
    public private(set) var uncompressedBytes: Int64 = 0
    /// Lines written so far.
    public private(set) var lines: Int64 = 0

    /// Room beyond `chunkBytes` reserved up front, so the line that closes a chunk rarely regrows it.
    private static let chunkSlack = 64 << 10

    private let file: AtomicFile
    private var hasher = SHA256()
    private var bytesOnDisk: Int64 = 0
    /// nil for `.none`, whose chunks need no work and go straight to the file.
    private let pool: ChunkPool?
    /// Chunks handed to the pool but not yet written; beyond this the writer waits for the oldest.
    private let maxInFlight: Int
    private var chunk: [UInt8] = []
    private var spareJobs: [ChunkJob] = []
    private var nextSequence = 0
    private var nextToWrite = 0
    private var finished = false

    /// Opens a temporary file next to `path` and starts `threads` compression workers.
    ///
    /// `level` defaults to 3 for zstd and 6 for gzip and is ignored for `.none`; `threads` defaults to the
    /// active processor count and is kept within 1...`maxThreads`; `chunkBytes` is at least 1.
    public convenience init(path: String, compression: Compression, level: Int? = nil, threads: Int? = nil,
                            chunkBytes: Int = ParallelShardWriter.defaultChunkBytes) throws {
        try self.init(path: path, compression: compression, level: level, threads: threads, chunkBytes: chunkBytes,
                      failingChunk: nil)
    }

    /// The designated initializer; `failingChunk` makes the worker compressing that chunk fail, so tests can
    /// see how a worker's error travels back to the caller.
    init(path: String, compression: Compression, level: Int?, threads: Int?, chunkBytes: Int,
         failingChunk: Int?) throws {
        self.path = path
        self.compression = compression
        self.threads = min(max(threads ?? ProcessInfo.processInfo.activeProcessorCount, 1), ParallelShardWriter.maxThreads)
        self.chunkBytes = max(chunkBytes, 1)
        maxInFlight = 2 * self.threads
        let codec: ChunkCodec?
        switch compression {
        case .gzip:
            codec = try ChunkCodec(path: path, compression: compression, level: level ?? ShardWriter.defaultGzipLevel,
                                   valid: 0...9, failingChunk: failingChunk)
        case .zstd:
            codec = try ChunkCodec(path: path, compression: compression, level: level ?? ShardWriter.defaultZstdLevel,
                                   valid: 1...22, failingChunk: failingChunk)
        case .none:
            codec = nil
        }
        do {
            file = try AtomicFile(path: path)
        } catch let error as AtomicFileError {
            throw ShardWriteError.file(error)
        }
        if let codec {
            let pool = ChunkPool(codec: codec)
            pool.start(workers: self.threads)
            self.pool = pool
        } else {
            pool = nil
        }
        chunk.reserveCapacity(self.chunkBytes + ParallelShardWriter.chunkSlack)
    }

    deinit {
        if !finished {
            pool?.stop()
            file.abandon()
        }
    }

    /// Appends one line; `bytes` must not contain a newline, which is added here.
    ///
    /// A worker's failure is thrown by the next call, and the file is then abandoned.
    public func write(line bytes: UnsafeRawBufferPointer) throws {
        guard !finished else { throw ShardWriteError.finished(path: path) }
        try surfaceWorkerFailure()
        if let base = bytes.baseAddress, memchr(base, 0x0A, bytes.count) != nil {
            throw ShardWriteError.newlineInLine(path: path, lineNumber: lines + 1)
        }
        chunk.append(contentsOf: bytes)
        chunk.append(0x0A)
        uncompressedBytes += Int64(bytes.count + 1)
        lines += 1
        if chunk.count >= chunkBytes { try closeChunkOrFail() }
    }

    /// Appends `count` complete lines at once: `bytes` holds them with their newlines, the last byte a newline.
    ///
    /// Chunks close at the same line boundaries as when the lines are written one by one, so the file's
    /// bytes do not depend on how lines were grouped into calls.
    public func write(lines bytes: UnsafeRawBufferPointer, count: Int) throws {
        guard !finished else { throw ShardWriteError.finished(path: path) }
        try surfaceWorkerFailure()
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        guard bytes.last == 0x0A, count > 0 else { throw ShardWriteError.unterminatedLines(path: path, lineNumber: lines + 1) }
        var start = 0
        while start < bytes.count {
            let remaining = bytes.count - start
            // The line that brings the chunk to `chunkBytes` closes it: find its newline.
            let closingFrom = max(chunkBytes - chunk.count - 1, 0)
            guard closingFrom < remaining, let newline = memchr(base + start + closingFrom, 0x0A, remaining - closingFrom) else {
                chunk.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start...]))
                break
            }
            let end = base.distance(to: UnsafeRawPointer(newline)) + 1
            chunk.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            start = end
            try closeChunkOrFail()
        }
        uncompressedBytes += Int64(bytes.count)
        lines += Int64(count)
    }

    /// Appends one JSON value as a line, in pipe's canonical compact form.
    public func writeLine(_ json: JSONValue) throws {
        guard !finished else { throw ShardWriteError.finished(path: path) }
        try surfaceWorkerFailure()
        let before = chunk.count
        JSONWriter.append(json, to: &chunk)
        chunk.append(0x0A)
        uncompressedBytes += Int64(chunk.count - before)
        lines += 1
        if chunk.count >= chunkBytes { try closeChunkOrFail() }
    }

    /// Compresses the last chunk, writes every chunk still in flight, makes the file durable and renames it into place.
    public func commit() throws -> ShardFileInfo {
        guard !finished else { throw ShardWriteError.finished(path: path) }
        finished = true
        do {
            if let pool, let failure = pool.firstFailure() { throw failure }
            // An empty shard still gets one (empty) member or frame: a zero-byte .gz or .zst is not a valid
            // stream to gzip -t, zstd -t and most readers.
            if !chunk.isEmpty || (nextSequence == 0 && pool != nil) {
                try closeChunk()
            }
            try writeFinishedChunks(leavingInFlight: 0)
            pool?.stop()
            do {
                try file.commit()
            } catch let error as AtomicFileError {
                throw ShardWriteError.file(error)
            }
        } catch {
            pool?.stop()
            file.abandon()
            throw error
        }
        return ShardFileInfo(path: path, compression: compression, bytes: bytesOnDisk, sha256: StableHash.hex(hasher.finalize()),
                             lines: lines, uncompressedBytes: uncompressedBytes)
    }

    /// Drops everything written and stops the workers; no file appears under the final name.
    public func abandon() {
        guard !finished else { return }
        finished = true
        pool?.stop()
        file.abandon()
    }

    // MARK: - Chunks

    private func surfaceWorkerFailure() throws {
        guard let pool, let failure = pool.firstFailure() else { return }
        abandon()
        throw failure
    }

    /// After any failure here the compressed stream has a gap, so the file cannot be finished.
    private func closeChunkOrFail() throws {
        do {
            try closeChunk()
        } catch {
            abandon()
            throw error
        }
    }

    private func closeChunk() throws {
        guard let pool else {
            try append(chunk)
            chunk.removeAll(keepingCapacity: true)
            return
        }
        let job = spareJobs.popLast() ?? ChunkJob()
        swap(&job.input, &chunk)
        if chunk.capacity < chunkBytes {
            chunk.reserveCapacity(chunkBytes + ParallelShardWriter.chunkSlack)
        }
        job.sequence = nextSequence
        nextSequence += 1
        pool.submit(job)
        // Leaving one slot free keeps the chunk being filled within the 2 × threads bound.
        try writeFinishedChunks(leavingInFlight: maxInFlight - 1)
    }

    /// Writes finished chunks in order, waiting for the oldest while more than `limit` are in flight.
    private func writeFinishedChunks(leavingInFlight limit: Int) throws {
        guard let pool else { return }
        while nextToWrite < nextSequence {
            let mustWait = nextSequence - nextToWrite > limit
            guard let job = pool.take(sequence: nextToWrite, waiting: mustWait) else { return }
            nextToWrite += 1
            if let failure = job.failure { throw failure }
            try append(job.output)
            recycle(job)
        }
    }

    private func recycle(_ job: ChunkJob) {
        // A huge line leaves a huge buffer behind; keeping it would hold that memory for the rest of the file.
        let keepable = 2 * (chunkBytes + ParallelShardWriter.chunkSlack)
        if job.input.capacity > keepable { job.input = [] } else { job.input.removeAll(keepingCapacity: true) }
        if job.output.capacity > keepable { job.output = [] } else { job.output.removeAll(keepingCapacity: true) }
        job.failure = nil
        spareJobs.append(job)
    }

    private func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            do {
                try file.write(buffer)
            } catch let error as AtomicFileError {
                throw ShardWriteError.file(error)
            } catch {
                throw ShardWriteError.file(AtomicFileError(path: path, operation: "write", code: 0, message: "\(error)"))
            }
            hasher.update(bufferPointer: buffer)
            bytesOnDisk += Int64(buffer.count)
        }
    }
}

// MARK: - Workers

/// One chunk on its way through the pool; owned by one thread at a time, handed over under the pool's lock.
private final class ChunkJob: @unchecked Sendable {
    var sequence = 0
    var input: [UInt8] = []
    var output: [UInt8] = []
    var failure: ShardWriteError?
}

/// Worker threads that compress chunks in any order and hand them back by sequence number.
private final class ChunkPool: @unchecked Sendable {
    let codec: ChunkCodec
    private let condition = NSCondition()
    private var waiting: [ChunkJob] = []
    private var done: [Int: ChunkJob] = [:]
    private var failure: ShardWriteError?
    private var stopping = false
    /// Touched only by the owning writer's thread, so it needs no lock.
    private var workers: [pthread_t] = []

    init(codec: ChunkCodec) {
        self.codec = codec
    }

    /// Starts up to `count` threads; if none can be started, `submit` compresses on the caller's thread instead.
    func start(workers count: Int) {
        for _ in 0..<count {
            // The thread holds its own reference, so the pool cannot go away under a running worker.
            let context = Unmanaged.passRetained(self).toOpaque()
            #if canImport(Darwin)
            var handle: pthread_t?
            let status = pthread_create(&handle, nil, { runChunkWorker($0) }, context)
            guard status == 0 else {
                Unmanaged<ChunkPool>.fromOpaque(context).release()
                break
            }
            if let handle { workers.append(handle) }
            #else
            var handle = pthread_t()
            let status = pthread_create(&handle, nil, { runChunkWorker($0) }, context)
            guard status == 0 else {
                Unmanaged<ChunkPool>.fromOpaque(context).release()
                break
            }
            workers.append(handle)
            #endif
        }
    }

    func submit(_ job: ChunkJob) {
        if workers.isEmpty {
            codec.compress(job)
            condition.lock()
            finish(job)
            condition.unlock()
            return
        }
        condition.lock()
        waiting.append(job)
        condition.signal()
        condition.unlock()
    }

    /// The job with `sequence` once compressed; without `waiting`, nil when it is not done yet.
    func take(sequence: Int, waiting mustWait: Bool) -> ChunkJob? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let job = done.removeValue(forKey: sequence) { return job }
            if !mustWait { return nil }
            condition.wait()
        }
    }

    func firstFailure() -> ShardWriteError? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    /// Drops queued chunks, lets running ones finish and joins every worker; safe to call more than once.
    func stop() {
        guard !workers.isEmpty else { return }
        condition.lock()
        stopping = true
        waiting.removeAll()
        condition.broadcast()
        condition.unlock()
        for worker in workers {
            pthread_join(worker, nil)
        }
        workers.removeAll()
    }

    /// The body of each worker thread.
    func work() {
        // A name makes the workers recognisable in top, a debugger or /proc (Glibc does not export pthread_setname_np).
        Thread.current.name = "pipe-compress"
        condition.lock()
        while true {
            while waiting.isEmpty && !stopping { condition.wait() }
            if stopping {
                condition.unlock()
                return
            }
            let job = waiting.removeFirst()
            condition.unlock()
            codec.compress(job)
            condition.lock()
            finish(job)
            // The writer may wait for this chunk while idle workers wait for work; both check their own condition.
            condition.broadcast()
        }
    }

    /// Called with the lock held.
    private func finish(_ job: ChunkJob) {
        if failure == nil, let error = job.failure { failure = error }
        done[job.sequence] = job
    }
}

/// pthread's entry point; C cannot call a closure that captures, so the pool rides in `context`.
private func runChunkWorker(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let context else { return nil }
    let pool = Unmanaged<ChunkPool>.fromOpaque(context).takeRetainedValue()
    pool.work()
    return nil
}

/// Compresses one chunk into a complete gzip member or zstd frame with the settings `ShardWriter` uses.
private struct ChunkCodec: Sendable {
    let path: String
    let compression: Compression
    let level: Int
    let failingChunk: Int?

    /// Checks `level` now, so a bad one fails the writer's init rather than the first chunk.
    init(path: String, compression: Compression, level: Int, valid: ClosedRange<Int>, failingChunk: Int?) throws {
        guard valid.contains(level) else {
            throw ShardWriteError.invalidLevel(path: path, compression: compression, level: level)
        }
        self.path = path
        self.compression = compression
        self.level = level
        self.failingChunk = failingChunk
        // libarchive may still refuse a level its own build does not support; finding out costs one empty member.
        let probe = ChunkJob()
        compress(probe)
        if let failure = probe.failure { throw failure }
    }

    func compress(_ job: ChunkJob) {
        job.output.removeAll(keepingCapacity: true)
        if let failingChunk, failingChunk == job.sequence, !job.input.isEmpty {
            job.failure = .libarchive(path: path, message: "injected failure in chunk \(job.sequence)")
            return
        }
        do {
            try job.input.withUnsafeBytes { input in
                try encode(input, into: job)
            }
        } catch let error as ShardWriteError {
            job.failure = error
        } catch {
            job.failure = .libarchive(path: path, message: "\(error)")
        }
    }

    private func encode(_ input: UnsafeRawBufferPointer, into job: ChunkJob) throws {
        guard let archive = archive_write_new() else {
            throw ShardWriteError.libarchive(path: path, message: "archive_write_new failed")
        }
        defer { archive_write_free(archive) }
        try check(archive_write_set_format_raw(archive), archive, "selecting the raw format")
        switch compression {
        case .gzip:
            try check(archive_write_add_filter_gzip(archive), archive, "adding the gzip filter")
            try setLevel(archive, filter: "gzip")
            // Without this libarchive stamps the clock into every member's header.
            try check(archive_write_set_filter_option(archive, "gzip", "timestamp", nil), archive,
                      "turning off the gzip timestamp")
        case .zstd:
            try check(archive_write_add_filter_zstd(archive), archive, "adding the zstd filter")
            try setLevel(archive, filter: "zstd")
        case .none:
            try check(archive_write_add_filter_none(archive), archive, "selecting no compression")
        }
        // No padding (gzip -t rejects it) and no blocking: output goes to `job` as the filter produces it.
        try check(archive_write_set_bytes_in_last_block(archive, 1), archive, "turning off block padding")
        try check(archive_write_set_bytes_per_block(archive, 0), archive, "turning off blocking")
        let context = Unmanaged.passUnretained(job).toOpaque()
        try check(archive_write_open(archive, context, nil, chunkOutputWrite, nil), archive, "opening the stream")
        guard let entry = archive_entry_new() else {
            throw ShardWriteError.libarchive(path: path, message: "archive_entry_new failed")
        }
        defer { archive_entry_free(entry) }
        // The raw format takes exactly one regular-file entry; AE_IFREG is a cast macro Swift cannot import.
        archive_entry_set_filetype(entry, 0o100000)
        archive_entry_set_pathname(entry, "data")
        try check(archive_write_header(archive, entry), archive, "starting the raw entry")
        if var next = input.baseAddress {
            var remaining = input.count
            while remaining > 0 {
                let written = archive_write_data(archive, next, remaining)
                if written <= 0 {
                    throw ShardWriteError.libarchive(
                        path: path, message: archiveMessage(archive, fallback: "writing compressed data failed"))
                }
                next += written
                remaining -= written
            }
        }
        try check(archive_write_close(archive), archive, "closing the stream")
    }

    private func setLevel(_ archive: OpaquePointer, filter: String) throws {
        if archive_write_set_filter_option(archive, filter, "compression-level", String(level)) != ARCHIVE_OK {
            throw ShardWriteError.invalidLevel(path: path, compression: compression, level: level)
        }
    }

    private func check(_ status: Int32, _ archive: OpaquePointer, _ step: String) throws {
        guard status == ARCHIVE_OK else {
            throw ShardWriteError.libarchive(
                path: path, message: "\(step): \(archiveMessage(archive, fallback: "status \(status)"))")
        }
    }
}

/// libarchive's write callback for one chunk: appends the compressed bytes to the job's output.
private func chunkOutputWrite(_ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?,
                              _ buffer: UnsafeRawPointer?, _ length: Int) -> Int {
    guard let context else { return -1 }
    guard length > 0, let buffer else { return 0 }
    let job = Unmanaged<ChunkJob>.fromOpaque(context).takeUnretainedValue()
    job.output.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
    return length
}
