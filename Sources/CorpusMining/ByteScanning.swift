// CorpusMining's designated low-level file: the module's only pointer code. The mining hot loops (UTF-8
// check, file statistics, token hashing, MinHash minima) read raw memory here, where bounds checks would
// cost throughput; the rest of the module calls the safe functions below over `[UInt8]`, and no pointer
// leaves a function of this file.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte searches over arrays, through `memchr` where the C library scans many bytes at a time.
enum ByteScanning {
    /// Whether `byte` occurs in `bytes`.
    static func contains(_ byte: UInt8, in bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, Int32(byte), buffer.count) != nil
        }
    }

    /// The first index at or after `start` that holds `byte`, or nil.
    static func firstIndex(of byte: UInt8, in bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress, start >= 0, start < buffer.count,
                let found = memchr(base + start, Int32(byte), buffer.count - start)
            else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The FastHash of every maximal run of bytes for which `isWord` holds, in order.
    @inline(__always)
    static func runHashes(in content: [UInt8], seed: UInt64, reserving capacity: Int,
                          isWord: (UInt8) -> Bool) -> [UInt64]
    {
        var hashes: [UInt64] = []
        hashes.reserveCapacity(capacity)
        content.withUnsafeBytes { buffer in
            let count = buffer.count
            var index = 0
            while index < count {
                while index < count, !isWord(buffer[index]) { index += 1 }
                let start = index
                while index < count, isWord(buffer[index]) { index += 1 }
                if index > start { hashes.append(FastHash.hash(buffer, offset: start, count: index - start, seed: seed)) }
            }
        }
        return hashes
    }

    /// For each permutation `i` (as many as there are multipliers and increments), the minimum over the
    /// shingles of `(multipliers[i] · shingle + increments[i]) >> 32`; `UInt32.max` without shingles.
    static func minimumPermutedHashes(of shingles: [UInt64], multipliers: [UInt64], increments: [UInt64]) -> [UInt32] {
        let count = min(multipliers.count, increments.count)
        var signature = [UInt32](repeating: UInt32.max, count: count)
        multipliers.withUnsafeBufferPointer { a in
            increments.withUnsafeBufferPointer { b in
                signature.withUnsafeMutableBufferPointer { out in
                    for shingle in shingles {
                        for index in 0..<count {
                            let value = UInt32(truncatingIfNeeded: (a[index] &* shingle &+ b[index]) >> 32)
                            if value < out[index] { out[index] = value }
                        }
                    }
                }
            }
        }
        return signature
    }

    /// Where the first invalid UTF-8 sequence starts, or nil for valid text.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            let count = buffer.count
            let raw = buffer.baseAddress.map { UnsafeRawPointer($0) }
            while index < count {
                // Source text is nearly all ASCII: skip it eight bytes at a time (no byte with its top bit set).
                if index + 8 <= count, let raw,
                    raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
                {
                    index += 8
                    continue
                }
                let lead = buffer[index]
                if lead < 0x80 {
                    index += 1
                    continue
                }
                let length: Int
                let minimum: UInt32
                var value: UInt32
                switch lead {
                case 0xC2...0xDF: length = 2; minimum = 0x80; value = UInt32(lead & 0x1F)
                case 0xE0...0xEF: length = 3; minimum = 0x800; value = UInt32(lead & 0x0F)
                case 0xF0...0xF4: length = 4; minimum = 0x10000; value = UInt32(lead & 0x07)
                default: return index
                }
                guard index + length <= count else { return index }
                for offset in 1..<length {
                    let next = buffer[index + offset]
                    guard next & 0xC0 == 0x80 else { return index }
                    value = value << 6 | UInt32(next & 0x3F)
                }
                // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
                if value < minimum || (0xD800...0xDFFF).contains(value) || value > 0x10FFFF { return index }
                index += length
            }
            return nil
        }
    }

    /// `FileStatistics` of valid UTF-8 content, in one pass.
    static func statistics(of content: [UInt8]) -> FileStatistics {
        content.withUnsafeBufferPointer { content in
            ByteKind.table.withUnsafeBufferPointer { measure(content, kinds: $0) }
        }
    }

    private static func measure(_ content: UnsafeBufferPointer<UInt8>, kinds: UnsafeBufferPointer<UInt8>)
        -> FileStatistics
    {
        var lines = 0
        var tokens = 0
        var inToken = 0
        var maxLine = 0
        var lineChars = 0
        var lineTotal = 0
        var scalars = 0
        var alnum = 0
        var previousCR = false
        let count = content.count
        var index = 0
        while index < count {
            let byte = content[index]
            let kind = kinds[Int(byte)]
            if kind & (ByteKind.lineBreak | ByteKind.nonASCII) == 0 {
                // The common case, an ASCII byte inside a line, without branches on its class.
                let solid = Int((kind & ByteKind.blank) >> 1) ^ 1
                tokens += solid & (inToken ^ 1)
                inToken = solid
                alnum += Int(kind & ByteKind.alphanumeric)
                scalars += 1
                lineChars += 1
                previousCR = false
                index += 1
                continue
            }
            if kind & ByteKind.lineBreak != 0 {
                scalars += 1
                // `\r\n` is one break: its `\n` does not end another line.
                if !(byte == 0x0A && previousCR) {
                    lines += 1
                    lineTotal += lineChars
                    if lineChars > maxLine { maxLine = lineChars }
                }
                lineChars = 0
                previousCR = byte == 0x0D
                inToken = 0
                index += 1
                continue
            }
            previousCR = false
            let (scalar, length) = decodeScalar(content, at: index)
            scalars += 1
            lineChars += 1
            tokens += inToken ^ 1
            inToken = 1
            if let scalar, FileStatistics.isAlphanumeric(scalar) { alnum += 1 }
            index += length
        }
        // A last line without a break still counts; an empty one (after a final break) does not.
        if lineChars > 0 {
            lines += 1
            lineTotal += lineChars
            if lineChars > maxLine { maxLine = lineChars }
        }
        return FileStatistics(
            bytes: count, lines: lines, whitespaceTokens: tokens, maxLineLength: maxLine,
            meanLineLength: lines == 0 ? 0 : Double(lineTotal) / Double(lines),
            alnumFraction: scalars == 0 ? 0 : Double(alnum) / Double(scalars))
    }

    /// Decodes one multi-byte scalar of valid UTF-8; the length is at least 1 so a scan always advances.
    private static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar?, Int) {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        if lead & 0xE0 == 0xC0 {
            length = 2
            value = UInt32(lead & 0x1F)
        } else if lead & 0xF0 == 0xE0 {
            length = 3
            value = UInt32(lead & 0x0F)
        } else if lead & 0xF8 == 0xF0 {
            length = 4
            value = UInt32(lead & 0x07)
        } else {
            return (nil, 1)
        }
        guard index + length <= bytes.count else { return (nil, 1) }
        for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
        return (Unicode.Scalar(value), length)
    }
}

extension FastHash {
    /// Hashes `count` bytes at `offset` of a buffer.
    @inline(__always)
    static func hash(_ buffer: UnsafeRawBufferPointer, offset: Int, count: Int, seed: UInt64 = 0) -> UInt64 {
        var h = seed ^ p0 ^ (UInt64(truncatingIfNeeded: count) &* p1)
        var position = offset
        var remaining = count
        while remaining >= 8 {
            let word = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            h = mum(h ^ word ^ p2, p3 ^ (h >> 29))
            position += 8
            remaining -= 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while remaining > 0 {
            tail |= UInt64(buffer[position]) << shift
            shift += 8
            position += 1
            remaining -= 1
        }
        h = mum(h ^ tail ^ p1, p2 ^ UInt64(truncatingIfNeeded: count))
        return mum(h ^ p3, p0) ^ h
    }

    /// Hashes a byte array.
    public static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, offset: 0, count: $0.count, seed: seed) }
    }
}
