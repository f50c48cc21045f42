import StageKit
/// The line and character statistics BigCode and HPCorpus filter on, measured in Unicode scalars over
/// lines split at `\n`, `\r\n` and `\r` (as Python's `splitlines` does for code).
public struct FileStatistics: Sendable, Equatable {
    public var bytes: Int
    /// Lines as `splitlines` counts them: a final line break does not start another line.
    public var lines: Int
    /// Maximal runs of non-whitespace (ASCII blanks and line breaks separate them).
    public var whitespaceTokens: Int
    public var maxLineLength: Int
    /// The mean over lines of each line's length; 0 for an empty file.
    public var meanLineLength: Double
    /// The share of scalars that are letters or digits (Python's `isalnum`), line breaks included.
    public var alnumFraction: Double

    public init(bytes: Int, lines: Int, whitespaceTokens: Int, maxLineLength: Int, meanLineLength: Double,
                alnumFraction: Double)
    {
        self.bytes = bytes
        self.lines = lines
        self.whitespaceTokens = whitespaceTokens
        self.maxLineLength = maxLineLength
        self.meanLineLength = meanLineLength
        self.alnumFraction = alnumFraction
    }

    /// Measures valid UTF-8 content in one pass.
    public static func measure(_ content: [UInt8]) -> FileStatistics {
        content.withUnsafeBufferPointer { measure($0) }
    }

    static func measure(_ content: UnsafeBufferPointer<UInt8>) -> FileStatistics {
        ByteKind.table.withUnsafeBufferPointer { measure(content, kinds: $0) }
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
            if let scalar, isAlphanumeric(scalar) { alnum += 1 }
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

    /// Python's `isalnum` for one scalar: letters (`isalpha`) and characters with a numeric value.
    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return properties.numericType != nil
        }
    }

    /// Decodes one multi-byte scalar of valid UTF-8; the length is at least 1 so a scan always advances.
    static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar?, Int) {
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

/// The classes of a byte that `FileStatistics` counts, as bits of one table entry.
private enum ByteKind {
    static let alphanumeric: UInt8 = 1
    static let blank: UInt8 = 2
    static let lineBreak: UInt8 = 4
    static let nonASCII: UInt8 = 8

    static let table: [UInt8] = (0..<256).map { value in
        let byte = UInt8(value)
        if byte >= 0x80 { return nonASCII }
        if byte == 0x0A || byte == 0x0D { return lineBreak }
        if byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C { return blank }
        let lower = byte | 0x20
        return (lower >= 0x61 && lower <= 0x7A) || (byte >= 0x30 && byte <= 0x39) ? alphanumeric : 0
    }
}

/// Where the first invalid UTF-8 sequence starts, or nil for valid text.
public enum UTF8Check {
    public static func firstInvalidOffset(_ bytes: [UInt8]) -> Int? {
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
}
