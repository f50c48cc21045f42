

/// Edits of records already in pipe's canonical JSON form, without parsing their (possibly large)
/// `content` or `code`.
///
/// Safe because a JSON string never holds an unescaped `"`: a pattern that starts with `"key":` can
/// only match a member name. Keys are sorted, and every key read or patched here sorts after the
/// record's one large string, so searches run backwards from the end over a short tail.
public enum RecordBytes {
    /// The start of the last occurrence of `pattern` in `bytes`.
    public static func lastIndex(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard let first = pattern.first, pattern.count <= bytes.count else { return nil }
        var start = bytes.count - pattern.count
        while start >= 0 {
            if bytes[start] == first, bytes[start..<(start + pattern.count)].elementsEqual(pattern) { return start }
            start -= 1
        }
        return nil
    }

    /// Replaces the last occurrence of `pattern`; nil when it does not occur.
    public static func replacingLast(_ pattern: [UInt8], with replacement: [UInt8], in bytes: [UInt8]) -> [UInt8]? {
        guard let start = lastIndex(of: pattern, in: bytes) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + replacement.count - pattern.count)
        out.append(contentsOf: bytes[0..<start])
        out.append(contentsOf: replacement)
        out.append(contentsOf: bytes[(start + pattern.count)...])
        return out
    }

    /// The value of a string member (`"key":"value"`, the last one), unescaped; nil when absent.
    public static func stringMember(_ key: String, in bytes: [UInt8]) -> String? {
        let pattern = Array("\"\(key)\":\"".utf8)
        guard let start = lastIndex(of: pattern, in: bytes) else { return nil }
        let open = start + pattern.count - 1
        var index = open + 1
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if bytes[index] == UInt8(ascii: "\"") { break }
            index += 1
        }
        guard index < bytes.count else { return nil }
        return (try? JSONParser.parse(bytes[open...index]))?.stringValue
    }

    /// A string as a canonical JSON string literal, quotes included.
    public static func literal(_ text: String) -> [UInt8] { JSONWriter.compact(.string(text)) }
}
