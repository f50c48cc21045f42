import StageKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a shard file's bytes are compressed on disk.
public enum Compression: String, Sendable, CaseIterable {
    case zstd
    case gzip
    case none

    /// The suffix appended to `.jsonl` for this compression.
    public var fileExtension: String {
        switch self {
        case .zstd: return ".zst"
        case .gzip: return ".gz"
        case .none: return ""
        }
    }

    /// The compression a file name announces by its suffix; anything unknown is `.none`.
    public static func forFileName(_ name: String) -> Compression {
        if name.hasSuffix(".zst") { return .zstd }
        if name.hasSuffix(".gz") { return .gzip }
        return .none
    }

    /// The compression announced by the leading bytes of a file (at least 4 are needed to see zstd).
    public static func detect<Bytes: Collection<UInt8>>(magic: Bytes) -> Compression {
        var head: [UInt8] = []
        head.reserveCapacity(4)
        for byte in magic.prefix(4) { head.append(byte) }
        if head.count >= 2, head[0] == 0x1F, head[1] == 0x8B { return .gzip }
        if head.count >= 4 {
            let word = UInt32(head[0]) | UInt32(head[1]) << 8 | UInt32(head[2]) << 16 | UInt32(head[3]) << 24
            if word == 0xFD2F_B528 { return .zstd }
            // Skippable frames may open a zstd stream, and libarchive accepts them there.
            if word & 0xFFFF_FFF0 == 0x184D_2A50 { return .zstd }
        }
        return .none
    }

    /// The compression of the file at `path`, read from its magic bytes rather than its name.
    public static func detect(path: String) throws -> Compression {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ShardReadError.cannotOpen(path: path, message: systemErrorText(errno))
        }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 4)
        var filled = 0
        while filled < head.count {
            let got = DecodedStream.readSome(fd, into: &head, at: filled)
            if got < 0 {
                throw ShardReadError.io(path: path, offset: Int64(filled), message: systemErrorText(errno))
            }
            if got == 0 { break }
            filled += got
        }
        return detect(magic: head[0..<filled])
    }

    /// Names compressions pipe does not read (xz, lz4, bzip2), recognised from the leading bytes so that the
    /// error says what the file is.
    public static func unsupported(_ head: some Collection<UInt8>) -> String? {
        let head = Array(head.prefix(16))
        if head.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return "xz" }
        if head.starts(with: [0x04, 0x22, 0x4D, 0x18]) { return "lz4" }
        if head.count >= 10, head.starts(with: [0x42, 0x5A, 0x68]), (0x31...0x39).contains(head[3]) {
            let block = Array(head[4..<10])
            if block == [0x31, 0x41, 0x59, 0x26, 0x53, 0x59] || block == [0x17, 0x72, 0x45, 0x38, 0x50, 0x90] {
                return "bzip2"
            }
        }
        return nil
    }
}

