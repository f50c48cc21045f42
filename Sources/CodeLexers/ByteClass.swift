/// Byte classes shared by the scanners; a 256-entry table avoids branchy range tests in the hot loops.
enum ByteClass {
    static let identifierStart: UInt8 = 1
    static let identifierContinue: UInt8 = 2
    static let digit: UInt8 = 4
    static let blank: UInt8 = 8
}

/// The byte-class table, allocated once and never freed (it lives as long as the process).
final class ByteClassTable: @unchecked Sendable {
    static let shared = ByteClassTable()
    let classes: UnsafePointer<UInt8>

    private init() {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        table.initialize(repeating: 0, count: 256)
        for byte in 0..<256 {
            var value: UInt8 = 0
            let isLetter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            let isDigit = byte >= 0x30 && byte <= 0x39
            // Bytes of multi-byte UTF-8 sequences (and invalid bytes) are identifier characters, as in C++ and GCC;
            // so is `$`, a GCC extension.
            if isLetter || byte == 0x5F || byte == 0x24 || byte >= 0x80 { value |= ByteClass.identifierStart }
            if isLetter || isDigit || byte == 0x5F || byte == 0x24 || byte >= 0x80 { value |= ByteClass.identifierContinue }
            if isDigit { value |= ByteClass.digit }
            if byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C { value |= ByteClass.blank }
            table[byte] = value
        }
        classes = UnsafePointer(table)
    }
}
