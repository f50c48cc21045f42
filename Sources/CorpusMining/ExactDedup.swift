import PipeCore

/// The exact-duplicate key: SHA-256 of the content with line endings unified and trailing blanks
/// removed from every line, nothing else, so that copies differing in anything more are left to
/// near deduplication.
public enum ExactDedup {
    /// `\r\n` and `\r` become `\n`; spaces, tabs, vertical tabs and form feeds before a line end (or
    /// the end of the file) are removed. Lines are copied whole: most bytes need no change.
    public static func normalize(_ content: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(content.count)
        content.withUnsafeBufferPointer { bytes in
            let count = bytes.count
            var lineStart = 0
            var keptEnd = 0
            var index = 0
            while index < count {
                let byte = bytes[index]
                if byte == 0x0A || byte == 0x0D {
                    if keptEnd > lineStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[lineStart..<keptEnd])) }
                    out.append(0x0A)
                    if byte == 0x0D, index + 1 < count, bytes[index + 1] == 0x0A { index += 1 }
                    index += 1
                    lineStart = index
                    keptEnd = index
                    continue
                }
                if byte != 0x20 && byte != 0x09 && byte != 0x0B && byte != 0x0C { keptEnd = index + 1 }
                index += 1
            }
            if keptEnd > lineStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[lineStart..<keptEnd])) }
        }
        return out
    }

    /// Lower-case hex SHA-256 of the normalized content.
    public static func key(_ content: [UInt8]) -> String {
        StableHash.sha256Hex(normalize(content))
    }
}
