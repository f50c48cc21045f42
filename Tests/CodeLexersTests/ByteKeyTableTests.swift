import XCTest
@testable import CodeLexers

final class ByteKeyTableTests: XCTestCase {
    /// A builder and the table frozen from it, filled with the same words.
    private func tables(_ words: [(String, Int32)], capacity: Int = 64, foldsCase: Bool = false)
        -> (ByteKeyTable.Builder, ByteKeyTable) {
        var builder = ByteKeyTable.Builder(capacity: capacity, foldsCase: foldsCase)
        for (word, value) in words { builder.insert(Array(word.utf8), value: value) }
        return (builder, ByteKeyTable(builder))
    }

    /// Looks `length` bytes up at `offset` in `text`, in the builder and in the frozen table; fails if they disagree.
    private func lookup(_ tables: (ByteKeyTable.Builder, ByteKeyTable), _ text: [UInt8], offset: Int = 0, length: Int? = nil,
                        file: StaticString = #filePath, line: UInt = #line) -> Int32? {
        // A padding byte gives even an empty text a base address.
        let padded = text + [0]
        return padded.withUnsafeBufferPointer { buffer -> Int32? in
            guard let base = buffer.baseAddress else { return nil }
            let count = length ?? text.count - offset
            let built = tables.0.lookup(base + offset, count)
            let frozen = tables.1.lookup(base + offset, count)
            XCTAssertEqual(built, frozen, "builder and frozen table disagree at offset \(offset), length \(count) of \(text)",
                           file: file, line: line)
            return frozen
        }
    }

    private func lookup(_ tables: (ByteKeyTable.Builder, ByteKeyTable), _ text: String,
                        file: StaticString = #filePath, line: UInt = #line) -> Int32? {
        lookup(tables, Array(text.utf8), file: file, line: line)
    }

    func testHitsAndMisses() {
        let t = tables([("int", 1), ("double", 2), ("__launch_bounds__", 3), ("<<=", 4), ("x", 5), ("unsigned", 6)])
        XCTAssertEqual(t.1.count, 6)
        XCTAssertEqual(lookup(t, "int"), 1)
        XCTAssertEqual(lookup(t, "double"), 2)
        XCTAssertEqual(lookup(t, "__launch_bounds__"), 3)
        XCTAssertEqual(lookup(t, "<<="), 4)
        XCTAssertEqual(lookup(t, "x"), 5)
        XCTAssertEqual(lookup(t, "unsigned"), 6)
        for miss in ["in", "intx", "nt", "doubl", "doublf", "__launch_bounds_", "__launch_bounds_a", "__launch_bounds__x",
                     "<<", "y", "X", "Int", "unsignee", "unsigned_", ""] {
            XCTAssertNil(lookup(t, miss), miss)
        }
        // A key inside a larger buffer: only `length` bytes count.
        XCTAssertEqual(lookup(t, Array("(int)".utf8), offset: 1, length: 3), 1)
        XCTAssertEqual(lookup(t, Array("unsigned int".utf8), offset: 0, length: 8), 6)
        XCTAssertEqual(lookup(t, Array("a__launch_bounds__b".utf8), offset: 1, length: 17), 3)
        XCTAssertNil(lookup(t, Array("(int)".utf8), offset: 1, length: 2))
        // Array and string forms.
        XCTAssertEqual(t.1.lookup("double"), 2)
        XCTAssertEqual(t.0.lookup("double"), 2)
        XCTAssertEqual(t.1.lookup(Array("__launch_bounds__".utf8)), 3)
        XCTAssertNil(t.1.lookup("doubles"))
        XCTAssertNil(t.0.lookup(Array("doubles".utf8)))
    }

    func testCaseFolding() {
        let folding = tables([("MPI_Comm", 1), ("end", 2), ("ALLOCATABLE", 3), ("a[", 4), ("b@", 5)], foldsCase: true)
        XCTAssertEqual(lookup(folding, "mpi_comm"), 1)
        XCTAssertEqual(lookup(folding, "MPI_COMM"), 1)
        XCTAssertEqual(lookup(folding, "Mpi_Comm"), 1)
        XCTAssertEqual(lookup(folding, "END"), 2)
        XCTAssertEqual(lookup(folding, "eNd"), 2)
        XCTAssertEqual(lookup(folding, "allocatable"), 3)
        XCTAssertEqual(lookup(folding, "AllocatablE"), 3)
        XCTAssertEqual(lookup(folding, "A["), 4)
        XCTAssertEqual(lookup(folding, "B@"), 5)
        // Only ASCII letters fold: `[` is not `{`, `@` is not a backquote, and bytes above 0x7F stay as they are.
        XCTAssertNil(lookup(folding, "a{"))
        XCTAssertNil(lookup(folding, "b`"))
        XCTAssertNil(lookup(folding, "endd"))
        XCTAssertNil(lookup(folding, "allocatables"))
        let high = tables([("\u{C1}", 6)], foldsCase: true)
        XCTAssertEqual(lookup(high, "\u{C1}"), 6)
        XCTAssertNil(lookup(high, "\u{E1}"))
        XCTAssertEqual(folding.1.lookup("MPI_COMM"), 1)
        XCTAssertEqual(folding.0.lookup("MPI_COMM"), 1)

        let exact = tables([("MPI_Comm", 1), ("end", 2), ("ALLOCATABLE", 3)])
        XCTAssertEqual(lookup(exact, "MPI_Comm"), 1)
        XCTAssertNil(lookup(exact, "mpi_comm"))
        XCTAssertNil(lookup(exact, "END"))
        XCTAssertNil(lookup(exact, "allocatable"))
        XCTAssertEqual(ByteKeyTable.fold(UInt8(ascii: "A")), UInt8(ascii: "a"))
        XCTAssertEqual(ByteKeyTable.fold(UInt8(ascii: "Z")), UInt8(ascii: "z"))
        XCTAssertEqual(ByteKeyTable.fold(UInt8(ascii: "@")), UInt8(ascii: "@"))
        XCTAssertEqual(ByteKeyTable.fold(UInt8(ascii: "[")), UInt8(ascii: "["))
        XCTAssertEqual(ByteKeyTable.fold(0xC1), 0xC1)
    }

    func testFirstValueWinsUnlessReplaced() {
        var builder = ByteKeyTable.Builder(foldsCase: true)
        XCTAssertEqual(builder.insert(Array("MPI_Offset".utf8), value: 1), 1)
        XCTAssertEqual(builder.insert(Array("MPI_OFFSET".utf8), value: 2), 1, "the stored value comes back")
        XCTAssertEqual(builder.count, 1)
        XCTAssertEqual(builder.lookup("mpi_offset"), 1)
        XCTAssertEqual(builder.insert(Array("MPI_OFFSET".utf8), value: 3, replace: true), 3)
        XCTAssertEqual(builder.lookup("mpi_offset"), 3)
        XCTAssertEqual(builder.count, 1)
        XCTAssertEqual(ByteKeyTable(builder).lookup("Mpi_Offset"), 3)
    }

    func testEmptyKey() {
        let without = tables([("a", 1), ("abcdefghij", 2)])
        XCTAssertNil(lookup(without, ""))
        XCTAssertNil(without.1.lookup([UInt8]()))
        XCTAssertNil(without.0.lookup(""))
        let with = tables([("a", 1), ("", 7), ("abcdefghij", 2)], foldsCase: true)
        XCTAssertEqual(with.1.count, 3)
        XCTAssertEqual(lookup(with, ""), 7)
        XCTAssertEqual(lookup(with, Array("xyz".utf8), offset: 1, length: 0), 7)
        XCTAssertEqual(with.1.lookup([UInt8]()), 7)
        XCTAssertEqual(with.1.lookup(""), 7)
        XCTAssertEqual(with.0.lookup(""), 7)
        XCTAssertEqual(lookup(with, "A"), 1)
        // An empty key alone, and through growth.
        var only = ByteKeyTable.Builder(capacity: 1)
        only.insert([], value: 9)
        XCTAssertEqual(ByteKeyTable(only).lookup(""), 9)
        for i in 0..<40 { only.insert(Array("k\(i)".utf8), value: Int32(i)) }
        XCTAssertEqual(only.lookup(""), 9)
        XCTAssertEqual(ByteKeyTable(only).lookup(""), 9)
        XCTAssertEqual(ByteKeyTable(only).lookup("k39"), 39)
        // A negative length finds nothing rather than reading anywhere.
        XCTAssertNil(lookup(with, Array("a".utf8), offset: 0, length: -1))
    }

    func testKeysWithZeroBytesAndEveryShortLength() {
        // Short keys are packed into one integer: a zero byte must not make "a" and "a\0" the same key.
        let words = ["a", "a\0", "\0a", "\0", "\0\0", "abcdefgh", "abcdefg\0", "abcdefghi", "abcdefgh\0"]
        let t = tables(words.enumerated().map { ($0.element, Int32($0.offset)) })
        for (index, word) in words.enumerated() { XCTAssertEqual(lookup(t, word), Int32(index), word.debugDescription) }
        XCTAssertNil(lookup(t, "\0\0\0"))
        XCTAssertNil(lookup(t, "abcdefg"))

        // Two keys that pack to the same integer (trailing zero bytes) where the probe for one runs into the other:
        // it must tell them apart by length. The keys and the fillers that make the probe run long enough are found
        // with the table's own hash (64 slots while it holds few keys).
        let empty = ByteKeyTable(ByteKeyTable.Builder())
        func slot(_ key: [UInt8]) -> Int {
            let packed = key.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.map { ByteKeyTable.pack($0, key.count, fold: false) } ?? 0
            }
            return ByteKeyTable.shortSlot(packed, key.count, shift: empty.shortShift)
        }
        func padded(_ stem: [UInt8], _ length: Int) -> [UInt8] { stem + [UInt8](repeating: 0, count: length - stem.count) }
        var pair: (stored: [UInt8], probe: [UInt8], distance: Int)?
        search: for n in 0..<10_000 {
            // Varied first bytes vary how the length mixes into the packed key's low bits.
            let stem = [UInt8(0x21 + n % 94)] + Array("\(n / 94)".utf8)
            for a in stem.count...8 {
                for b in stem.count...8 where a != b {
                    let distance = (slot(padded(stem, a)) - slot(padded(stem, b))) & empty.shortMask
                    if (1...6).contains(distance) {
                        pair = (padded(stem, a), padded(stem, b), distance)
                        break search
                    }
                }
            }
        }
        guard let pair else { return XCTFail("no two zero-padded keys lie within six slots") }
        var builder = ByteKeyTable.Builder()
        for offset in 0..<pair.distance {
            let target = (slot(pair.probe) + offset) & empty.shortMask
            guard let filler = (0..<100_000).lazy.map({ Array("f\($0)".utf8) }).first(where: { slot($0) == target }) else {
                return XCTFail("no filler for slot \(target)")
            }
            builder.insert(filler, value: 2)
        }
        builder.insert(pair.stored, value: 1)
        let same = ByteKeyTable(builder)
        XCTAssertEqual(same.lookup(pair.stored), 1)
        XCTAssertNil(same.lookup(pair.probe), "\(pair.probe) is not \(pair.stored)")
        XCTAssertNil(builder.lookup(pair.probe), "\(pair.probe) is not \(pair.stored)")
    }

    func testCollisionsInATinyTable() {
        // Capacity 1 starts with 16 slots: probe runs, wrap-around and growth all happen.
        var builder = ByteKeyTable.Builder(capacity: 1)
        var expected: [String: Int32] = [:]
        for i in 0..<300 {
            let word = i % 3 == 0 ? "name_with_a_long_spelling_\(i)" : "v\(i)"
            builder.insert(Array(word.utf8), value: Int32(i))
            expected[word] = Int32(i)
            // Every key inserted so far stays findable while the builder grows.
            if i % 37 == 0 {
                for (key, value) in expected { XCTAssertEqual(builder.lookup(key), value, key) }
            }
        }
        let frozen = ByteKeyTable(builder)
        XCTAssertEqual(frozen.count, 300)
        for (key, value) in expected {
            XCTAssertEqual(builder.lookup(key), value, key)
            XCTAssertEqual(frozen.lookup(key), value, key)
        }
        for i in 300..<600 {
            XCTAssertNil(frozen.lookup("v\(i)"))
            XCTAssertNil(frozen.lookup("name_with_a_long_spelling_\(i)"))
            XCTAssertNil(builder.lookup("v\(i)"))
        }
    }

    func testManyRandomKeysAgainstADictionary() {
        var random = SeededGenerator(seed: 20_260_101)
        // A small alphabet with both cases, a zero byte and a high byte makes near misses and folding clashes common.
        let alphabet: [UInt8] = Array("aAbBzZ_09[{@`".utf8) + [0, 0xC1, 0xE1]
        func randomKey() -> [UInt8] {
            let length = Int.random(in: 0...20, using: &random)
            return (0..<length).map { _ in alphabet.randomElement(using: &random) ?? 0 }
        }
        for foldsCase in [false, true] {
            var builder = ByteKeyTable.Builder(capacity: 8, foldsCase: foldsCase)
            var model: [[UInt8]: Int32] = [:]
            let normalize: ([UInt8]) -> [UInt8] = { foldsCase ? $0.map(ByteKeyTable.fold) : $0 }
            for i in 0..<5_000 {
                let key = randomKey()
                let replace = i % 5 == 0
                let stored = builder.insert(key, value: Int32(i), replace: replace)
                let normal = normalize(key)
                if replace || model[normal] == nil { model[normal] = Int32(i) }
                XCTAssertEqual(stored, model[normal], "insert returns the stored value")
            }
            XCTAssertEqual(builder.count, model.count)
            let frozen = ByteKeyTable(builder)
            XCTAssertEqual(frozen.count, model.count)
            for _ in 0..<20_000 {
                let key = randomKey()
                let expected = model[normalize(key)]
                XCTAssertEqual(builder.lookup(key), expected, "\(key) folds: \(foldsCase)")
                XCTAssertEqual(frozen.lookup(key), expected, "\(key) folds: \(foldsCase)")
            }
            for (key, value) in model {
                XCTAssertEqual(frozen.lookup(key), value)
                if foldsCase {
                    // Any capitalization of a stored (lowercase) key finds it.
                    let upper = key.map { $0 &- 0x61 < 26 ? $0 & ~0x20 : $0 }
                    XCTAssertEqual(frozen.lookup(upper), value)
                    XCTAssertEqual(builder.lookup(upper), value)
                }
            }
        }
    }

    func testKeywordTables() {
        // A word in both lists is a type name; indices count distinct words, type names first.
        let table = ByteKeyTable(keywords: ["for", "int", "return", "for"], typeKeywords: ["int", "double"], foldsCase: false)
        XCTAssertEqual(table.count, 4)
        func entry(_ word: String) -> KeywordEntry? {
            Array(word.utf8).withUnsafeBufferPointer { buffer in
                buffer.baseAddress.flatMap { table.keyword($0, buffer.count) }
            }
        }
        XCTAssertEqual(entry("int")?.kind, .typeKeyword)
        XCTAssertEqual(entry("int")?.index, 0)
        XCTAssertEqual(entry("double")?.kind, .typeKeyword)
        XCTAssertEqual(entry("double")?.index, 1)
        XCTAssertEqual(entry("for")?.kind, .keyword)
        XCTAssertEqual(entry("for")?.index, 2)
        XCTAssertEqual(entry("return")?.index, 3)
        XCTAssertNil(entry("FOR"))
        XCTAssertNil(entry("fo"))
        XCTAssertEqual(table.keywordIndex(of: "return"), 3)
        XCTAssertNil(table.keywordIndex(of: "while"))

        for language in Language.allCases {
            let tables = LexicalTables.of(language)
            let keywords = ByteKeyTable.keywords(of: language)
            XCTAssertEqual(keywords.count, Set(tables.keywords + tables.typeKeywords).count, "\(language)")
            var indices = Set<Int32>()
            for word in tables.keywords + tables.typeKeywords {
                let spellings = language == .fortran ? [word, word.uppercased()] : [word]
                for spelling in spellings {
                    let bytes = Array(spelling.utf8)
                    let found = bytes.withUnsafeBufferPointer { buffer in
                        buffer.baseAddress.flatMap { keywords.keyword($0, buffer.count) }
                    }
                    XCTAssertEqual(found?.kind, tables.typeKeywords.contains(word) ? .typeKeyword : .keyword, "\(language) \(spelling)")
                    if let index = found?.index { indices.insert(index) }
                }
            }
            XCTAssertEqual(indices, Set(0..<Int32(keywords.count)), "\(language): indices are dense")
            XCTAssertNil(keywords.keywordIndex(of: "not_a_keyword_at_all"))
            XCTAssertNil(keywords.keywordIndex(of: ""))
            if language != .fortran, let word = tables.keywords.first(where: { $0.contains { $0.isLowercase } }) {
                XCTAssertNil(keywords.keywordIndex(of: word.uppercased()), "\(language): C-family keywords keep their case")
            }
        }
    }
}
