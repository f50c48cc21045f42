// Pointer code: the raw-deflate call into zlib (`inflate`) works on borrowed buffers; everything else reads the
// archive through bounds-checked array indexing.
import CZlib

/// The entries of a zip archive held in memory (a `.keras` model arrives from a tar archive as bytes), read
/// through the central directory: stored and deflated entries, sizes capped.
public struct ZipArchive: Sendable {
    private let bytes: [UInt8]
    private var entries: [String: Entry] = [:]

    private struct Entry: Sendable {
        var method: Int
        var compressedSize: Int
        var size: Int
        var localHeader: Int
    }

    /// Indexes the archive; throws `Hls4mlProblem` when it is not a readable zip.
    public init(bytes: [UInt8], name: String) throws {
        self.bytes = bytes
        let damaged = Hls4mlProblem(Hls4mlProblem.configMalformed, "\(name): not a readable zip archive")
        // The end-of-central-directory record is in the last 64 KiB + 22 bytes (its comment is at most 64 KiB).
        guard bytes.count >= 22 else { throw damaged }
        var end = -1
        var index = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while index >= lowest {
            if bytes[index] == 0x50, bytes[index + 1] == 0x4b, bytes[index + 2] == 5, bytes[index + 3] == 6 { end = index; break }
            index -= 1
        }
        guard end >= 0 else { throw damaged }
        let count = Self.u16(bytes, end + 10)
        var offset = Self.u32(bytes, end + 16)
        for _ in 0..<count {
            guard offset + 46 <= bytes.count, Self.u32(bytes, offset) == 0x0201_4b50 else { throw damaged }
            let nameLength = Self.u16(bytes, offset + 28)
            let extra = Self.u16(bytes, offset + 30)
            let comment = Self.u16(bytes, offset + 32)
            guard offset + 46 + nameLength <= bytes.count else { throw damaged }
            let entryName = String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self)
            entries[entryName] = Entry(method: Self.u16(bytes, offset + 10), compressedSize: Self.u32(bytes, offset + 20),
                                       size: Self.u32(bytes, offset + 24), localHeader: Self.u32(bytes, offset + 42))
            offset += 46 + nameLength + extra + comment
        }
    }

    /// The entry names.
    public var names: [String] { entries.keys.sorted() }

    /// The content of entry `name`, or nil when there is none; throws when it is damaged, larger than `limit`
    /// or compressed by a method other than stored or deflate.
    public func content(of name: String, limit: Int = 64 << 20) throws -> [UInt8]? {
        guard let entry = entries[name] else { return nil }
        let damaged = Hls4mlProblem(Hls4mlProblem.configMalformed, "zip entry \(name) is damaged")
        guard entry.size <= limit else {
            throw Hls4mlProblem(Hls4mlProblem.configMalformed, "zip entry \(name) is larger than \(limit) bytes")
        }
        let header = entry.localHeader
        guard header + 30 <= bytes.count, Self.u32(bytes, header) == 0x0403_4b50 else { throw damaged }
        let start = header + 30 + Self.u16(bytes, header + 26) + Self.u16(bytes, header + 28)
        guard start + entry.compressedSize <= bytes.count else { throw damaged }
        let data = Array(bytes[start..<(start + entry.compressedSize)])
        switch entry.method {
        case 0:
            guard data.count == entry.size else { throw damaged }
            return data
        case 8:
            guard let inflated = Self.inflateRaw(data, size: entry.size), inflated.count == entry.size else { throw damaged }
            return inflated
        default:
            throw Hls4mlProblem(Hls4mlProblem.configMalformed, "zip entry \(name) uses compression method \(entry.method)")
        }
    }

    private static func u16(_ bytes: [UInt8], _ at: Int) -> Int {
        guard at + 2 <= bytes.count else { return 0 }
        return Int(bytes[at]) | Int(bytes[at + 1]) << 8
    }

    private static func u32(_ bytes: [UInt8], _ at: Int) -> Int {
        guard at + 4 <= bytes.count else { return 0 }
        return Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
    }

    // Raw deflate (window bits -15: no zlib or gzip framing, as in zip); the output size is the directory's, so
    // a bomb cannot grow past it.
    private static func inflateRaw(_ input: [UInt8], size: Int) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: size)
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = UInt32(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(outBuffer.count)
                return inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END || (status == Z_BUF_ERROR && size == 0) else { return nil }
        return Array(output.prefix(Int(stream.total_out)))
    }
}
