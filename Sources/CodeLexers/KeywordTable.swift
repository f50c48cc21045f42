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

/// One keyword: its kind and an index into the table's word list.
struct KeywordEntry {
    var kind: TokenKind
    var index: Int32
}

/// An open-addressing hash set of keywords over raw bytes, built once per language and read without locks.
final class KeywordTable: @unchecked Sendable {
    private struct Slot {
        var offset: Int32 = 0
        var length: Int32 = 0
        var kind: TokenKind = .identifier
        var index: Int32 = -1
    }

    private let pool: UnsafeMutablePointer<UInt8>
    private let slots: UnsafeMutablePointer<Slot>
    private let mask: Int
    private let caseInsensitive: Bool
    private let minLength: Int
    private let maxLength: Int
    /// The words in table order; `KeywordEntry.index` points into it.
    let words: [String]

    init(keywords: [String], typeKeywords: [String], caseInsensitive: Bool) {
        self.caseInsensitive = caseInsensitive
        var unique: [(String, TokenKind)] = []
        var seen = Set<String>()
        // Type names win over plain keywords when a word is in both lists.
        for word in typeKeywords where seen.insert(word).inserted { unique.append((word, .typeKeyword)) }
        for word in keywords where seen.insert(word).inserted { unique.append((word, .keyword)) }
        words = unique.map { $0.0 }
        var capacity = 16
        while capacity < unique.count * 4 { capacity *= 2 }
        mask = capacity - 1
        let totalBytes = unique.reduce(0) { $0 + $1.0.utf8.count }
        pool = .allocate(capacity: max(1, totalBytes))
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(), count: capacity)
        var offset = 0
        var minimum = Int.max
        var maximum = 0
        for (index, (word, kind)) in unique.enumerated() {
            let bytes = Array(word.utf8)
            for (i, byte) in bytes.enumerated() { pool[offset + i] = byte }
            var slot = Int(KeywordTable.hash(bytes, caseInsensitive: caseInsensitive)) & mask
            while slots[slot].length != 0 { slot = (slot + 1) & mask }
            slots[slot] = Slot(offset: Int32(offset), length: Int32(bytes.count), kind: kind, index: Int32(index))
            offset += bytes.count
            minimum = min(minimum, bytes.count)
            maximum = max(maximum, bytes.count)
        }
        minLength = unique.isEmpty ? 1 : minimum
        maxLength = maximum
    }

    deinit {
        pool.deallocate()
        slots.deallocate()
    }

    private static func hash(_ bytes: [UInt8], caseInsensitive: Bool) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 2_166_136_261 }
            return hash(base, buffer.count, caseInsensitive: caseInsensitive)
        }
    }

    @inline(__always)
    private static func hash(_ base: UnsafePointer<UInt8>, _ length: Int, caseInsensitive: Bool) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for i in 0..<length {
            var byte = base[i]
            if caseInsensitive && byte &- 0x41 < 26 { byte |= 0x20 }
            h = (h ^ UInt32(byte)) &* 16_777_619
        }
        return h
    }

    /// The keyword spelled by `length` bytes at `base`, or nil.
    @inline(__always)
    func lookup(_ base: UnsafePointer<UInt8>, _ length: Int) -> KeywordEntry? {
        if length < minLength || length > maxLength { return nil }
        var slot = Int(KeywordTable.hash(base, length, caseInsensitive: caseInsensitive)) & mask
        while true {
            let candidate = slots[slot]
            if candidate.length == 0 { return nil }
            if Int(candidate.length) == length && matches(candidate, base, length) {
                return KeywordEntry(kind: candidate.kind, index: candidate.index)
            }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    private func matches(_ slot: Slot, _ base: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        let word = pool + Int(slot.offset)
        if caseInsensitive {
            for i in 0..<length {
                var byte = base[i]
                if byte &- 0x41 < 26 { byte |= 0x20 }
                if byte != word[i] { return false }
            }
        } else {
            for i in 0..<length where base[i] != word[i] { return false }
        }
        return true
    }

    /// The index of a word in `words`, or nil.
    func index(of word: String) -> Int32? {
        let bytes = Array(word.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> Int32? in
            guard let base = buffer.baseAddress else { return nil }
            return lookup(base, buffer.count)?.index
        }
    }

    static let c = KeywordTable(language: .c)
    static let cpp = KeywordTable(language: .cpp)
    static let cuda = KeywordTable(language: .cuda)
    static let opencl = KeywordTable(language: .opencl)
    static let fortran = KeywordTable(language: .fortran)

    private convenience init(language: Language) {
        let tables = LexicalTables.of(language)
        self.init(keywords: tables.keywords, typeKeywords: tables.typeKeywords, caseInsensitive: language == .fortran)
    }

    static func forLanguage(_ language: Language) -> KeywordTable {
        switch language {
        case .c: return c
        case .cpp: return cpp
        case .cuda: return cuda
        case .opencl: return opencl
        case .fortran: return fortran
        }
    }
}
