#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CRC-32 as gzip uses it (IEEE polynomial, reflected), sliced by 8 bytes for speed.
enum CRC32 {
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for index in 0..<256 {
            var value = UInt32(index)
            for _ in 0..<8 {
                value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1
            }
            tables[index] = value
        }
        for slice in 1..<8 {
            for index in 0..<256 {
                let previous = tables[(slice - 1) * 256 + index]
                tables[slice * 256 + index] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    /// The CRC of the bytes seen so far followed by `buffer`; start from 0.
    static func update(_ crc: UInt32, _ buffer: UnsafeRawBufferPointer) -> UInt32 {
        guard var pointer = buffer.baseAddress else { return crc }
        var remaining = buffer.count
        var value = ~crc
        tables.withUnsafeBufferPointer { table in
            while remaining >= 8 {
                let low = pointer.loadUnaligned(as: UInt32.self).littleEndian ^ value
                let high = pointer.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
                value = table[7 * 256 + Int(low & 0xFF)]
                    ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ table[5 * 256 + Int((low >> 16) & 0xFF)]
                    ^ table[4 * 256 + Int(low >> 24)]
                    ^ table[3 * 256 + Int(high & 0xFF)]
                    ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ table[1 * 256 + Int((high >> 16) & 0xFF)]
                    ^ table[Int(high >> 24)]
                pointer += 8
                remaining -= 8
            }
            while remaining > 0 {
                let byte = pointer.load(as: UInt8.self)
                value = (value >> 8) ^ table[Int((value ^ UInt32(byte)) & 0xFF)]
                pointer += 1
                remaining -= 1
            }
        }
        return ~value
    }
}

/// Checks every gzip member's CRC-32 and length, which libarchive 3.6 reads but never verifies.
///
/// libarchive hands over one decompressed stream with the member boundaries erased, so the boundaries
/// are recovered from the compressed side: every place where 8 trailer-like bytes are followed by a
/// gzip header (`1f 8b 08`) is a candidate, and it is confirmed when the decompressed bytes since the
/// last boundary have exactly its length and CRC. A true boundary always matches an intact member; a
/// false candidate would need a 32-bit CRC collision at exactly its claimed length. The last member's
/// trailer must then end the file, give or take zero padding (which gzip and Python both accept).
struct GzipVerifier {
    private struct Candidate {
        /// Compressed offset of the next member's header.
        var position: Int64
        var crc: UInt32
        var size: UInt32
    }

    /// A file full of fake headers (a gzip stored inside a gzip, uncompressed) must not cost unbounded memory
    /// or time; past this many pending candidates the check gives up rather than guess. Chance hits in
    /// deflate data come about once per 16 MiB, so only members of tens of GiB reach it by accident.
    private static let maxCandidates = 4096
    /// A member is at least a 10-byte header, a 2-byte deflate stream and an 8-byte trailer.
    private static let minMemberBytes: Int64 = 20

    private var compressedCount: Int64 = 0
    /// The last bytes of the compressed stream, so headers and trailers split across reads are still seen.
    private var carry: [UInt8] = []
    private var candidates: [Candidate] = []
    private var gaveUp = false

    /// Up to 8 bytes ending at the last non-zero compressed byte, and the zeros after it.
    private var beforeZeros: [UInt8] = []
    private var trailingZeros: Int64 = 0

    private var memberStart: Int64 = 0
    private var segmentCRC: UInt32 = 0
    private var segmentLength: Int64 = 0
    /// Members confirmed so far, for the error message.
    private(set) var confirmedMembers = 0

    /// Takes the next compressed bytes, in file order.
    mutating func consumeCompressed(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        let start = compressedCount
        let count = buffer.count
        let end = start + Int64(count)
        let carryStart = start - Int64(carry.count)

        func byte(at position: Int64) -> UInt8 {
            if position >= start { return base.load(fromByteOffset: Int(position - start), as: UInt8.self) }
            return carry[Int(position - carryStart)]
        }

        func consider(_ position: Int64) {
            guard position >= memberStart + GzipVerifier.minMemberBytes, position - 8 >= carryStart else { return }
            guard byte(at: position + 1) == 0x8B, byte(at: position + 2) == 0x08 else { return }
            var crc: UInt32 = 0
            var size: UInt32 = 0
            for index in 0..<4 {
                crc |= UInt32(byte(at: position - 8 + Int64(index))) << (8 * index)
                size |= UInt32(byte(at: position - 4 + Int64(index))) << (8 * index)
            }
            guard candidates.count < GzipVerifier.maxCandidates else {
                gaveUp = true
                return
            }
            candidates.append(Candidate(position: position, crc: crc, size: size))
        }

        if !gaveUp {
            // Headers starting in the last two bytes of the previous read could not be checked then.
            var position = max(carryStart, start - 2)
            while position < min(start, end - 2) {
                if byte(at: position) == 0x1F { consider(position) }
                position += 1
            }
            var index = 0
            while index < count - 2 {
                guard let hit = memchr(base + index, 0x1F, count - 2 - index) else { break }
                let offset = base.distance(to: UnsafeRawPointer(hit))
                consider(start + Int64(offset))
                if gaveUp { break }
                index = offset + 1
            }
        }

        if let lastNonZero = lastNonZeroIndex(base, count) {
            var window = carry
            let from = max(0, lastNonZero + 1 - 8)
            window.append(contentsOf: UnsafeRawBufferPointer(start: base + from, count: lastNonZero + 1 - from))
            beforeZeros = Array(window.suffix(8))
            trailingZeros = Int64(count - 1 - lastNonZero)
        } else {
            trailingZeros += Int64(count)
        }

        var window = carry
        window.append(contentsOf: UnsafeRawBufferPointer(start: base + max(0, count - 10), count: min(count, 10)))
        carry = Array(window.suffix(10))
        compressedCount = end
    }

    /// Takes the next decompressed bytes, in stream order.
    mutating func consumeDecompressed(_ buffer: UnsafeRawBufferPointer) {
        guard !gaveUp else { return }
        confirmBoundaries()
        guard let base = buffer.baseAddress else { return }
        var index = 0
        while index < buffer.count {
            let remaining = buffer.count - index
            let lengthBits = UInt32(truncatingIfNeeded: segmentLength)
            var step = remaining
            for candidate in candidates where candidate.position > memberStart {
                let distance = Int(candidate.size &- lengthBits)
                if distance > 0, distance < step { step = distance }
            }
            segmentCRC = CRC32.update(segmentCRC, UnsafeRawBufferPointer(start: base + index, count: step))
            segmentLength += Int64(step)
            index += step
            confirmBoundaries()
        }
    }

    /// Called at the end of the stream: nil when every member checked out, else what is wrong.
    mutating func finish() -> String? {
        guard !gaveUp else { return nil }
        confirmBoundaries()
        let lengthBits = UInt32(truncatingIfNeeded: segmentLength)
        // The last trailer ends somewhere in the final run of zeros (padding); `inside` of its bytes are zeros.
        for inside in 0...Int(min(trailingZeros, 8)) {
            let fromBefore = 8 - inside
            guard beforeZeros.count >= fromBefore else { continue }
            let trailerEnd = inside == 8 ? compressedCount : compressedCount - trailingZeros + Int64(inside)
            guard trailerEnd - memberStart >= GzipVerifier.minMemberBytes else { continue }
            var trailer = Array(beforeZeros.suffix(fromBefore))
            trailer.append(contentsOf: repeatElement(0, count: inside))
            var storedCRC: UInt32 = 0
            var storedSize: UInt32 = 0
            for index in 0..<4 {
                storedCRC |= UInt32(trailer[index]) << (8 * index)
                storedSize |= UInt32(trailer[4 + index]) << (8 * index)
            }
            if storedCRC == segmentCRC && storedSize == lengthBits { return nil }
        }
        return "gzip member \(confirmedMembers + 1) fails its CRC-32 or length check"
            + " (corrupt data, or bytes after the last member)"
    }

    /// Moves the member start past every candidate that the decompressed data reached exactly and matches.
    private mutating func confirmBoundaries() {
        while true {
            let lengthBits = UInt32(truncatingIfNeeded: segmentLength)
            var match: Candidate?
            for candidate in candidates where candidate.position > memberStart
                && candidate.size == lengthBits && candidate.crc == segmentCRC {
                if let earlier = match, earlier.position <= candidate.position { continue }
                match = candidate
            }
            guard let match else { return }
            // An empty member's trailer (zero CRC, zero length) fits the start of any segment, so it may only
            // be taken once every candidate header before it is settled; otherwise it would swallow them.
            if match.size == 0,
               candidates.contains(where: { $0.position > memberStart && $0.position < match.position }) {
                return
            }
            memberStart = match.position
            segmentCRC = 0
            segmentLength = 0
            confirmedMembers += 1
            candidates.removeAll { $0.position <= match.position }
        }
    }

    private func lastNonZeroIndex(_ base: UnsafeRawPointer, _ count: Int) -> Int? {
        var index = count - 1
        while index >= 0 {
            if base.load(fromByteOffset: index, as: UInt8.self) != 0 { return index }
            index -= 1
        }
        return nil
    }
}
