// One of the two designated low-level files of Readers (with ShardReader.swift): zlib and libzstd interop
// over buffers of our own, and the reads that fill them. Legitimately unsafe; the rest of the module calls
// the safe APIs here and in ShardReader.swift.
import CZlib
import CZstd
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The compressions pipe decodes itself (archives and shards) instead of leaving them to libarchive.
public enum StreamCodec: Sendable {
    case gzip
    case zstd

    /// The codec announced by a file's first bytes, if it is one pipe decodes itself.
    public static func sniff(_ head: UnsafeRawBufferPointer) -> StreamCodec? {
        if head.count >= 2, head[0] == 0x1F, head[1] == 0x8B { return .gzip }
        if head.count >= 4, head[0] == 0x28, head[1] == 0xB5, head[2] == 0x2F, head[3] == 0xFD { return .zstd }
        return nil
    }
}

/// The decompressed bytes of a gzip (multi-member) or zstd (multi-frame) file, block by block: for archives
/// (fed to libarchive through `decodedStreamRead`) and for shards (read by `ShardReader`).
///
/// libarchive's own gzip and zstd filters fill a 64 KiB output block before handing any of it on, and
/// throw the block away when the input ends early: a truncated `.tar.gz` lost the entries of its last
/// 64 KiB, a small one failed to open at all, and a truncated shard lost its last records. Decoding here
/// hands on every byte decoded before the damage, then reports a clean end of stream; the damage is kept
/// in `damage` for the reader to report. gzip CRCs and lengths are checked by zlib at each member's end.
public final class DecodedStream {
    private static let inputCapacity = 1 << 20
    private static let outputCapacity = 256 << 10

    public let codec: StreamCodec
    /// Why decoding stopped before the end of the compressed stream, if it did.
    public private(set) var damage: String?
    /// True when that was a failed `read`, not damaged data.
    public private(set) var readFailed = false
    /// Whether anything but zero bytes (tape padding) after the last gzip member is damage; else it ends the stream.
    private let strictTrailer: Bool
    /// Compressed bytes decoded so far, for the archive's compression-ratio cap.
    public private(set) var compressedBytes: Int64 = 0
    /// Decompressed bytes handed on so far.
    public private(set) var decodedBytes: Int64 = 0

    private var descriptor: Int32
    private let input: UnsafeMutableRawPointer
    private let output: UnsafeMutableRawPointer
    /// Unread compressed bytes are `input[inputStart..<inputEnd]`.
    private var inputStart = 0
    private var inputEnd = 0
    private var fileAtEnd = false
    /// True once the stream ended, cleanly or not: nothing more is handed on.
    private var finished = false
    private var gzip = z_stream()
    private var gzipReady = false
    private var zstd: OpaquePointer?
    /// zstd's last hint: 0 when the last frame was complete and flushed.
    private var zstdPending = 0

    /// Opens `path` and recognises its compression; nil when it is neither gzip nor zstd (or unreadable,
    /// which the caller then reports when it opens the file itself). `strictTrailer`: see the property.
    public init?(path: String, strictTrailer: Bool = false) {
        self.strictTrailer = strictTrailer
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        let input = UnsafeMutableRawPointer.allocate(byteCount: Self.inputCapacity, alignment: 16)
        // The head may arrive in pieces from odd file systems: read until 4 bytes or the end.
        var count = 0
        while count < 4 {
            let got = Self.readSome(fd, into: input + count, capacity: Self.inputCapacity - count)
            if got <= 0 { break }
            count += got
        }
        guard let codec = StreamCodec.sniff(UnsafeRawBufferPointer(start: input, count: count)) else {
            input.deallocate()
            Self.closeDescriptor(fd)
            return nil
        }
        #if canImport(Glibc)
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif
        self.codec = codec
        self.descriptor = fd
        self.input = input
        self.inputEnd = count
        self.output = UnsafeMutableRawPointer.allocate(byteCount: Self.outputCapacity, alignment: 16)
        switch codec {
        case .gzip:
            if pipe_inflate_init_gzip(&gzip) == Z_OK {
                gzipReady = true
            } else {
                fail("cannot start the gzip decoder")
            }
        case .zstd:
            zstd = ZSTD_createDCtx()
            if zstd == nil { fail("cannot start the zstd decoder") }
        }
    }

    deinit {
        if gzipReady { inflateEnd(&gzip) }
        if let zstd { ZSTD_freeDCtx(zstd) }
        close()
        input.deallocate()
        output.deallocate()
    }

    /// The next decoded bytes for libarchive; 0 at the end of the stream, damaged or not.
    public func nextBlock(_ block: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        block.pointee = UnsafeRawPointer(output)
        guard !finished else { return 0 }
        let count: Int
        switch codec {
        case .gzip: count = decodeGzip()
        case .zstd: count = decodeZstd()
        }
        decodedBytes += Int64(count)
        return count
    }

    /// Decodes what is left, up to `limit` decompressed bytes, so damage in the last bytes of the stream
    /// (a gzip trailer's CRC after the tar end-of-archive blocks) is found too. Whether the rest is intact
    /// stays unknown when more than `limit` bytes follow.
    public func drain(limit: Int64) {
        var left = limit
        while left > 0 && !finished {
            var block: UnsafeRawPointer?
            let count = nextBlock(&block)
            if count == 0 { return }
            left -= Int64(count)
        }
    }

    // MARK: gzip

    private func decodeGzip() -> Int {
        gzip.next_out = output.assumingMemoryBound(to: Bytef.self)
        gzip.avail_out = uInt(Self.outputCapacity)
        while gzip.avail_out > 0 && !finished {
            if inputStart == inputEnd && !refill() {
                fail("truncated gzip data")
                break
            }
            let available = inputEnd - inputStart
            gzip.next_in = (input + inputStart).assumingMemoryBound(to: Bytef.self)
            gzip.avail_in = uInt(available)
            let status = inflate(&gzip, Z_NO_FLUSH)
            let used = available - Int(gzip.avail_in)
            inputStart += used
            compressedBytes += Int64(used)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                nextGzipMember()
            default:
                fail("corrupt gzip data: " + (gzip.msg.map { String(cString: $0) } ?? "zlib status \(status)"))
            }
        }
        return Self.outputCapacity - Int(gzip.avail_out)
    }

    /// After a member's trailer: another member follows (`cat a.gz b.gz`), or the stream ends. Bytes that
    /// are not a gzip header end it quietly, as they do for gzip itself and libarchive (tape padding), unless
    /// the trailer is strict: then only zero bytes may follow.
    private func nextGzipMember() {
        while inputEnd - inputStart < 2 && refill() {}
        let head = UnsafeRawBufferPointer(start: input + inputStart, count: inputEnd - inputStart)
        guard StreamCodec.sniff(head) == .gzip else {
            finished = true
            if strictTrailer && !restIsZero() { damage = damage ?? "bytes after the last gzip member are not a gzip member" }
            return
        }
        if inflateReset(&gzip) != Z_OK { fail("cannot restart the gzip decoder") }
    }

    // MARK: zstd

    private func decodeZstd() -> Int {
        guard let zstd else { return 0 }
        var out = ZSTD_outBuffer(dst: output, size: Self.outputCapacity, pos: 0)
        while out.pos < out.size && !finished {
            if inputStart == inputEnd && !refill() {
                // A hint of 0 means the last frame was complete and flushed: a clean end.
                if zstdPending == 0 {
                    finished = true
                    break
                }
                // Else the decoder may still hold output of the last frame; an empty call flushes it.
                var empty = ZSTD_inBuffer(src: input, size: 0, pos: 0)
                let before = out.pos
                let hint = ZSTD_decompressStream(zstd, &out, &empty)
                if ZSTD_isError(hint) != 0 {
                    fail("corrupt zstd data: " + String(cString: ZSTD_getErrorName(hint)))
                } else if out.pos == before {
                    fail("truncated zstd data")
                } else {
                    zstdPending = hint
                }
                continue
            }
            var chunk = ZSTD_inBuffer(src: input + inputStart, size: inputEnd - inputStart, pos: 0)
            let hint = ZSTD_decompressStream(zstd, &out, &chunk)
            inputStart += chunk.pos
            compressedBytes += Int64(chunk.pos)
            if ZSTD_isError(hint) != 0 {
                fail("corrupt zstd data: " + String(cString: ZSTD_getErrorName(hint)))
            } else {
                zstdPending = hint
            }
        }
        return out.pos
    }

    // MARK: input

    /// Whether every byte left in the file is zero; reads it to the end.
    private func restIsZero() -> Bool {
        repeat {
            for index in inputStart..<inputEnd where input.load(fromByteOffset: index, as: UInt8.self) != 0 { return false }
            inputStart = inputEnd
        } while refill()
        return true
    }

    /// Moves the unread bytes to the front and reads more; false at the end of the file or on an error.
    private func refill() -> Bool {
        guard !fileAtEnd, descriptor >= 0 else { return false }
        if inputStart > 0 {
            let left = inputEnd - inputStart
            if left > 0 { input.copyMemory(from: input + inputStart, byteCount: left) }
            inputStart = 0
            inputEnd = left
        }
        let count = Self.readSome(descriptor, into: input + inputEnd, capacity: Self.inputCapacity - inputEnd)
        if count > 0 {
            inputEnd += count
            return true
        }
        if count < 0 {
            readFailed = damage == nil
            damage = damage ?? "read error: " + String(cString: strerror(errno))
        }
        fileAtEnd = true
        return false
    }

    /// One `read` into `bytes[offset...]`, retried when a signal interrupts it: the byte count, 0 at the end
    /// (or when there is no room left), -1 on an error.
    static func readSome(_ fd: Int32, into bytes: inout [UInt8], at offset: Int) -> Int {
        guard offset >= 0, offset < bytes.count else { return 0 }
        return bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            return readSome(fd, into: base + offset, capacity: buffer.count - offset)
        }
    }

    /// One `read`, retried when a signal interrupts it: the byte count, 0 at the end, -1 on an error.
    private static func readSome(_ fd: Int32, into buffer: UnsafeMutableRawPointer, capacity: Int) -> Int {
        while true {
            let count = read(fd, buffer, capacity)
            if count >= 0 || errno != EINTR { return count }
        }
    }

    private static func closeDescriptor(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }

    private func fail(_ reason: String) {
        damage = damage ?? reason
        finished = true
    }

    private func close() {
        guard descriptor >= 0 else { return }
        Self.closeDescriptor(descriptor)
        descriptor = -1
    }
}
