#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Crypto

/// Content hashes that never change between runs, machines or task counts.
public enum StableHash {
    /// Lower-case hex SHA-256 of bytes.
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return hex(hasher.finalize())
    }

    /// Lower-case hex SHA-256 of a string's UTF-8.
    public static func sha256Hex(_ text: String) -> String { sha256Hex(Array(text.utf8)) }

    /// The first 8 bytes of the SHA-256 of `text`, big-endian: a well-mixed 64-bit key.
    public static func hash64(_ text: String) -> UInt64 {
        let digest = SHA256.hash(data: Array(text.utf8))
        var value: UInt64 = 0
        for byte in digest.prefix(8) { value = value << 8 | UInt64(byte) }
        return value
    }

    /// The first 16 bytes of the SHA-256 of `text` as two big-endian words: the first 32 hex digits of
    /// `sha256Hex(text)`, without writing and reading them back.
    public static func hash128(_ text: String) -> (high: UInt64, low: UInt64) {
        let digest = SHA256.hash(data: Array(text.utf8))
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in digest.prefix(16).enumerated() {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        return (high, low)
    }

    /// The task that owns an input item, from its locator alone (known before its content is read).
    public static func owner(ofLocator locator: String, taskCount: Int) -> Int {
        Int(hash64(locator) % UInt64(max(taskCount, 1)))
    }

    /// SHA-256 of a whole file, read in blocks.
    public static func sha256(fileAt path: String) throws -> String {
        guard let handle = fopen(path, "rb") else {
            throw PipeError("io.read", "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(handle) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = PosixIO.read(handle, into: &buffer)
            if count > 0 { hasher.update(data: buffer[0..<count]) }
            if count < buffer.count {
                if ferror(handle) != 0 { throw PipeError("io.read", "cannot read \(path)") }
                break
            }
        }
        return hex(hasher.finalize())
    }

    /// Lower-case hex digits of bytes.
    public static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
