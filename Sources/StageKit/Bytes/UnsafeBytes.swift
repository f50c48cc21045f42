// StageKit's designated low-level file: with JSON/JSONParser.swift (the parser reads borrowed raw buffers),
// the only place in the module that touches pointers. Everything here is reached through safe APIs over
// `[UInt8]`, strings and file descriptors; no pointer leaves a function of this file.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - JSON string escaping

extension JSONWriter {
    /// Appends the escaped form of a string's UTF-8, straight from its storage when it has one.
    static func escapeUTF8(of text: String, into out: inout [UInt8]) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { escape($0, into: &out) }
        if done == nil {
            var copy = text
            copy.withUTF8 { escape($0, into: &out) }
        }
    }

    /// Appends the escaped form of `utf8[range]`; the range must lie inside the array.
    static func escape(_ utf8: [UInt8], _ range: Range<Int>, into out: inout [UInt8]) {
        guard range.lowerBound >= 0, range.upperBound <= utf8.count else { return }
        utf8.withUnsafeBufferPointer { whole in
            escape(UnsafeBufferPointer(rebasing: whole[range]), into: &out)
        }
    }

    /// Appends the escaped form of a string's bytes, copying the runs that need no escape at once: record
    /// strings (file contents, code, keys) are long and mostly plain.
    private static func escape(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var runStart = 0
        var index = 0
        let count = bytes.count
        while index < count {
            index = nextSpecial(bytes, from: index)
            guard index < count else { break }
            let byte = bytes[index]
            if index > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            appendEscape(of: byte, to: &out)
            index += 1
            runStart = index
        }
        if count > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count])) }
    }

    /// The index of the first byte at or after `start` that needs an escape (a control character, `"` or
    /// `\`), or `bytes.count`. Eight bytes are tested at a time with the usual word tricks: for a word `x`,
    /// `(x - 0x01..01 * n) & ~x & 0x80..80` marks the bytes below `n` (exactly for the lowest marked
    /// byte, which is all that is used), and a byte equal to `c` is a zero byte of `x ^ 0x01..01 * c`.
    private static func nextSpecial(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let count = bytes.count
        var index = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let quote = word ^ (ones &* 0x22)
                let backslash = word ^ (ones &* 0x5C)
                let marks = ((word &- ones &* 0x20) & ~word)
                    | ((quote &- ones) & ~quote)
                    | ((backslash &- ones) & ~backslash)
                let found = marks & highs
                if found != 0 { return index + found.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < count {
            let byte = bytes[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return index }
            index += 1
        }
        return count
    }
}

// MARK: - Key comparison

extension RecordKey {
    /// Byte-wise three-way comparison of two strings' UTF-8: negative, zero or positive. Sorting and merging
    /// records compare keys millions of times; `memcmp` over the contiguous UTF-8 is several times faster
    /// than comparing the views element by element, and orders the same (unsigned bytes, shorter first).
    static func compareBytes(_ lhs: String, _ rhs: String) -> Int {
        let fast: Int?? = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                let common = min(left.count, right.count)
                if common > 0, let a = left.baseAddress, let b = right.baseAddress {
                    let order = memcmp(a, b, common)
                    if order != 0 { return Int(order) }
                }
                return left.count - right.count
            }
        }
        if let fast, let order = fast { return order }
        if lhs.utf8.elementsEqual(rhs.utf8) { return 0 }
        return lhs.utf8.lexicographicallyPrecedes(rhs.utf8) ? -1 : 1
    }
}

// MARK: - Artifact and file writes

extension ArtifactOutput {
    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }
}

extension AtomicArtifact {
    func write(_ bytes: UnsafeRawBufferPointer) throws { try file.write(bytes) }
}

extension AtomicFile {
    /// Appends bytes to the temporary file. Kept for callers that hold a borrowed buffer (the engine's
    /// artifact outputs); code in this module writes arrays.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try checkWritable()
        guard var next = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = systemWrite(descriptor, next, remaining)
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw AtomicFileError(path: path, operation: "write", code: code, message: systemErrorText(code))
            }
            next += written
            remaining -= written
            bytesWritten += Int64(written)
        }
    }

    /// Appends bytes to the temporary file.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }
}

/// The C `write`, named apart from the methods called `write` above.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}

// MARK: - File reads

/// `read` and `fread` into arrays, so that callers never hold the array's storage themselves.
enum PosixIO {
    /// `read(2)` into `bytes[offset...]`: the byte count, 0 at the end of the file (or when there is no room
    /// left), or -1 with `errno` set.
    static func read(_ fd: Int32, into bytes: inout [UInt8], at offset: Int) -> Int {
        guard offset >= 0, offset < bytes.count else { return 0 }
        return bytes.withUnsafeMutableBytes { buffer in
            #if canImport(Glibc)
            Glibc.read(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            #else
            Darwin.read(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            #endif
        }
    }

    /// `fread` into the whole of `bytes`: how many bytes it filled (fewer at the end of the file or on an
    /// error, which `ferror` tells apart).
    static func read(_ handle: UnsafeMutablePointer<FILE>, into bytes: inout [UInt8]) -> Int {
        bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
    }
}

// MARK: - Buffered stdio files

/// A stdio file with a buffer of its own, written and read through arrays and strings.
///
/// stdio ignores a size given without a buffer (glibc keeps 4 KiB); files written record by record (sort
/// runs, hundreds of MB) want one system call per buffer, not per record.
public final class BufferedFile {
    private let handle: UnsafeMutablePointer<FILE>
    private let buffer: UnsafeMutablePointer<CChar>
    private var closed = false

    /// Nil when the file cannot be opened; `errno` says why.
    public init?(path: String, mode: String, bufferBytes: Int = 1 << 20) {
        guard let handle = fopen(path, mode) else { return nil }
        self.handle = handle
        buffer = .allocate(capacity: bufferBytes)
        setvbuf(handle, buffer, _IOFBF, bufferBytes)
    }

    deinit {
        if !closed { fclose(handle) }
        buffer.deallocate()
    }

    /// Appends bytes; a failure shows in `hasError`.
    public func write(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
    }

    /// Appends a string's UTF-8; a failure shows in `hasError`.
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, handle) }
    }

    /// Appends an integer's bytes, least significant first; a failure shows in `hasError`.
    public func write<Value: FixedWidthInteger>(littleEndian value: Value) {
        var value = value.littleEndian
        _ = withUnsafeBytes(of: &value) { fwrite($0.baseAddress, 1, $0.count, handle) }
    }

    /// Whether a read or write has failed.
    public var hasError: Bool { ferror(handle) != 0 }

    /// Fills `bytes` from the file: how many bytes were read (fewer at the end of the file or on an error).
    public func read(into bytes: inout [UInt8]) -> Int {
        bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
    }

    /// Flushes and closes; false when the flush failed.
    public func close() -> Bool {
        guard !closed else { return true }
        closed = true
        return fclose(handle) == 0
    }
}
