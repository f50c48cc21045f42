import StageKit

/// The exact-duplicate key: SHA-256 of the content with line endings unified and trailing blanks
/// removed from every line, nothing else, so that copies differing in anything more are left to
/// near deduplication.
public enum ExactDedup {
    /// `\r\n` and `\r` become `\n`; spaces, tabs, vertical tabs and form feeds before a line end (or
    /// the end of the file) are removed. Lines are copied whole: most bytes need no change.
    public static func normalize(_ content: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(content.count)
        let count = content.count
        // Most files have no `\r`: then every line ends at the next `\n`, which memchr finds many bytes at a time.
        let hasCR = ByteScanning.contains(0x0D, in: content)
        var lineStart = 0
        while lineStart < count {
            let lineEnd: Int
            if hasCR {
                var index = lineStart
                while index < count, content[index] != 0x0A, content[index] != 0x0D { index += 1 }
                lineEnd = index
            } else {
                lineEnd = ByteScanning.firstIndex(of: 0x0A, in: content, from: lineStart) ?? count
            }
            var keptEnd = lineEnd
            while keptEnd > lineStart, isBlank(content[keptEnd - 1]) { keptEnd -= 1 }
            out.append(contentsOf: content[lineStart..<keptEnd])
            guard lineEnd < count else { break }
            out.append(0x0A)
            let crlf = content[lineEnd] == 0x0D && lineEnd + 1 < count && content[lineEnd + 1] == 0x0A
            lineStart = lineEnd + (crlf ? 2 : 1)
        }
        return out
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C
    }

    /// Whether normalizing would leave the content as it is: no `\r` and no blank at the end of a line or
    /// of the file. True for most source files, whose key is then the SHA-256 of the content itself.
    static func isNormalized(_ content: [UInt8]) -> Bool {
        let count = content.count
        guard count > 0 else { return true }
        if ByteScanning.contains(0x0D, in: content) || isBlank(content[count - 1]) { return false }
        var start = 0
        while let newline = ByteScanning.firstIndex(of: 0x0A, in: content, from: start) {
            if newline > 0 && isBlank(content[newline - 1]) { return false }
            start = newline + 1
        }
        return true
    }

    /// Lower-case hex SHA-256 of the normalized content; `contentSHA256`, the hash of the content as it
    /// is, saves hashing the same bytes twice when normalizing changes nothing.
    public static func key(_ content: [UInt8], contentSHA256: String? = nil) -> String {
        guard isNormalized(content) else { return StableHash.sha256Hex(normalize(content)) }
        return contentSHA256 ?? StableHash.sha256Hex(content)
    }
}
