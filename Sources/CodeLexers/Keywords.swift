/// One keyword: its kind and its index among the language's keywords (type names first).
struct KeywordEntry {
    var kind: TokenKind
    var index: Int32
}

/// A language's keywords are a `ByteKeyTable` whose values pack a word's index (above bit 0) and whether it is a
/// type name (bit 0), so that one lookup gives both.
extension ByteKeyTable {
    convenience init(keywords: [String], typeKeywords: [String], foldsCase: Bool) {
        var builder = Builder(capacity: keywords.count + typeKeywords.count, foldsCase: foldsCase)
        var index: Int32 = 0
        // Type names win over plain keywords when a word is in both lists; a repeated word keeps its first index.
        for (words, typeBit) in [(typeKeywords, Int32(1)), (keywords, Int32(0))] {
            for word in words where builder.lookup(word) == nil {
                builder.insert(Array(word.utf8), value: index << 1 | typeBit)
                index += 1
            }
        }
        self.init(builder)
    }

    /// The keyword spelled by `length` bytes at `base`, or nil.
    @inline(__always)
    func keyword(_ base: UnsafePointer<UInt8>, _ length: Int) -> KeywordEntry? {
        guard let value = lookup(base, length) else { return nil }
        return KeywordEntry(kind: value & 1 != 0 ? .typeKeyword : .keyword, index: value >> 1)
    }

    /// The index of a keyword, or nil.
    func keywordIndex(of word: String) -> Int32? { lookup(word).map { $0 >> 1 } }

    /// The keywords of a language (Fortran's matched case-insensitively), built once.
    static func keywords(of language: Language) -> ByteKeyTable {
        switch language {
        case .c: return LanguageKeywords.c
        case .cpp: return LanguageKeywords.cpp
        case .cuda: return LanguageKeywords.cuda
        case .opencl: return LanguageKeywords.opencl
        case .fortran: return LanguageKeywords.fortran
        }
    }
}

/// The keyword tables of the languages, each built on first use.
private enum LanguageKeywords {
    static let c = table(.c)
    static let cpp = table(.cpp)
    static let cuda = table(.cuda)
    static let opencl = table(.opencl)
    static let fortran = table(.fortran)

    static func table(_ language: Language) -> ByteKeyTable {
        let tables = LexicalTables.of(language)
        return ByteKeyTable(keywords: tables.keywords, typeKeywords: tables.typeKeywords, foldsCase: language == .fortran)
    }
}
