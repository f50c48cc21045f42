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
        ByteScanning.statistics(of: content)
    }

    /// Python's `isalnum` for one scalar: letters (`isalpha`) and characters with a numeric value.
    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return properties.numericType != nil
        }
    }
}

/// The classes of a byte that `FileStatistics` counts, as bits of one table entry.
enum ByteKind {
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
        ByteScanning.firstInvalidUTF8Offset(bytes)
    }
}
