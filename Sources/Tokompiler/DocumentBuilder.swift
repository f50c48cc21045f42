import StageKit
import CodeLexers
/// One output token before ids are assigned.
struct Piece {
    enum Kind: UInt8 {
        /// A vocabulary token; `value` is its id.
        case fixed
        /// Source bytes outside the vocabulary; `extra` is the `UnknownKind` index.
        case raw
        /// A name or literal; `value` is the entry.
        case entry
        /// A member after a CUDA built-in; `value` is the member's field entry, `aux` the built-in's entry.
        case member
        /// `[NL]`.
        case newline
    }

    var kind: Kind
    var extra: UInt8 = 0
    var value: Int32
    var aux: Int32 = -1
    /// Byte range in the source (for raw text and scope membership).
    var start: Int
    var end: Int
}

/// A distinct name or literal: its key is a byte range of the source, compared with ASCII case folding for
/// Fortran names and numbers.
struct Entry {
    var space: EntrySpace
    var folded: Bool
    var flags: UInt16 = 0
    var start: Int
    var length: Int
    /// The entry whose placeholder this one shares (itself unless aliased).
    var representative: Int32
    var category: Category = .variable
    /// The vocabulary id when the name is kept as a library name, else -1.
    var kept: Int32 = -1
}

/// Collects the pieces of one document, then resolves categories, numbers placeholders and writes the output.
struct DocumentBuilder {
    let bytes: UnsafeRawBufferPointer
    let base: UnsafePointer<UInt8>
    let vocabulary: Vocabulary
    let language: TokenizerLanguage
    let options: TokenizerOptions
    /// The lookups of the hot path, held directly.
    let exact: ByteKeyTable
    let fixedTable: ByteKeyTable
    let fortran: Bool

    private(set) var pieces: [Piece] = []
    var entries: [Entry] = []
    private var slots: [Int32]
    private var mask: Int

    init(bytes: UnsafeRawBufferPointer, base: UnsafePointer<UInt8>, vocabulary: Vocabulary, language: TokenizerLanguage,
         options: TokenizerOptions, expectedTokens: Int) {
        self.bytes = bytes
        self.base = base
        self.vocabulary = vocabulary
        self.language = language
        self.options = options
        exact = vocabulary.exact
        fortran = language == .fortran
        fixedTable = fortran ? vocabulary.fortranFixed : vocabulary.exact
        pieces.reserveCapacity(expectedTokens)
        var size = 256
        while size < expectedTokens / 2 { size *= 2 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        entries.reserveCapacity(size / 2)
    }

    // MARK: Adding pieces

    mutating func addFixed(_ id: Int32, start: Int, end: Int) {
        pieces.append(Piece(kind: .fixed, value: id, start: start, end: end))
    }

    mutating func addNewline(at offset: Int) {
        if let last = pieces.last, last.kind == .newline { return }
        guard !pieces.isEmpty else { return }
        pieces.append(Piece(kind: .newline, value: Int32(vocabulary.newlineID), start: offset, end: offset))
    }

    mutating func addRaw(start: Int, end: Int, kind: UnknownKind) {
        let extra = UInt8(UnknownKind.allCases.firstIndex(of: kind) ?? 2)
        pieces.append(Piece(kind: .raw, extra: extra, value: Int32(vocabulary.unknownID), start: start, end: end))
    }

    /// A keyword or operator spelled by the source bytes: its vocabulary token, or a raw UNK.
    mutating func addFixedText(start: Int, end: Int, unknown: UnknownKind) {
        if let id = fixedID(start: start, end: end) {
            addFixed(id, start: start, end: end)
        } else {
            addRaw(start: start, end: end, kind: unknown)
        }
    }

    mutating func fixedID(start: Int, end: Int) -> Int32? {
        fixedTable.lookup(base + start, end - start)
    }

    /// Adds a token as the classifier decided.
    mutating func add(_ role: Role, start: Int, end: Int, unknown: UnknownKind = .other) {
        let fold = fortran
        switch role {
        case .skip:
            return
        case .fixed:
            addFixedText(start: start, end: end, unknown: unknown)
        case .raw:
            addRaw(start: start, end: end, kind: unknown)
        case .fixedIdentifier:
            addFixedText(start: start, end: end, unknown: .other)
        case .variable: addName(.ordinary, OccurrenceFlag.variable, start, end, fold)
        case .array: addName(.ordinary, OccurrenceFlag.array, start, end, fold)
        case .function: addName(.ordinary, OccurrenceFlag.function, start, end, fold)
        case .argument: addName(.ordinary, OccurrenceFlag.argument, start, end, fold)
        case .variableDecl: addName(.ordinary, OccurrenceFlag.declaredVariable, start, end, fold)
        case .arrayDecl: addName(.ordinary, OccurrenceFlag.declaredArray, start, end, fold)
        case .functionDecl: addName(.ordinary, OccurrenceFlag.declaredFunction, start, end, fold)
        case .argumentDecl: addName(.ordinary, OccurrenceFlag.declaredArgument, start, end, fold)
        case .objectDecl:
            addName(.ordinary, OccurrenceFlag.declaredVariable | OccurrenceFlag.declaredObject, start, end, fold)
        case .castOrCallee: addName(.ordinary, OccurrenceFlag.castOrCallee, start, end, fold)
        case .castOrVariable: addName(.ordinary, OccurrenceFlag.castOrVariable, start, end, fold)
        case .field: addName(.field, OccurrenceFlag.variable, start, end, fold)
        case .fieldCall: addName(.field, OccurrenceFlag.function, start, end, fold)
        case .fieldDecl: addName(.field, OccurrenceFlag.declaredVariable, start, end, fold)
        case .type: addName(.type, OccurrenceFlag.variable, start, end, fold)
        case .typeDecl: addName(.type, OccurrenceFlag.declaredVariable, start, end, fold)
        case .number: addName(.number, 0, start, end, fold)
        case .character: addName(.character, 0, start, end, false)
        case .string: addName(.string, 0, start, end, false)
        case .header:
            if let id = exact.lookup(base + start, end - start),
               vocabulary.groups[Int(id)].contains(.header) {
                addFixed(id, start: start, end: end)
            } else {
                addName(.string, 0, start, end, false)
            }
        case .word:
            if let id = wordID(start: start, end: end) {
                addFixed(id, start: start, end: end)
            } else {
                addName(.ordinary, OccurrenceFlag.variable, start, end, fold)
            }
        case .directiveWord:
            if let id = fixedID(start: start, end: end) {
                addFixed(id, start: start, end: end)
            } else {
                addName(.ordinary, OccurrenceFlag.variable, start, end, fold)
            }
        case .member:
            // The built-in is the name two pieces back (`threadIdx` `.` `x`).
            let count = pieces.count
            let builtin = count >= 2 && pieces[count - 2].kind == .entry ? pieces[count - 2].value : -1
            let field = entry(.field, start: start, end: end, fold: fold)
            entries[Int(field)].flags |= OccurrenceFlag.variable
            pieces.append(Piece(kind: .member, value: field, aux: builtin, start: start, end: end))
        }
    }

    /// The vocabulary word for a pragma, attribute or specifier word, if any.
    mutating func wordID(start: Int, end: Int) -> Int32? {
        if fortran { return vocabulary.fortranWords.lookup(base + start, end - start) }
        guard let id = exact.lookup(base + start, end - start) else { return nil }
        return vocabulary.groups[Int(id)].isDisjoint(with: [.word, .keyword]) ? nil : id
    }

    private mutating func addName(_ space: EntrySpace, _ flag: UInt16, _ start: Int, _ end: Int, _ fold: Bool) {
        let index = entry(space, start: start, end: end, fold: fold && space != .string && space != .character)
        entries[Int(index)].flags |= flag
        pieces.append(Piece(kind: .entry, value: index, start: start, end: end))
    }

    // MARK: Entry table

    @inline(__always)
    private mutating func hash(_ space: EntrySpace, _ start: Int, _ length: Int, _ fold: Bool) -> Int {
        Self.hashBytes(base + start, length, fold: fold, seed: UInt64(space.rawValue))
    }

    /// A hash of bytes that reads eight at a time (names are mostly a few words of bytes); with `fold`, ASCII
    /// letters hash as lowercase, eight bytes at once.
    @inline(__always)
    static func hashBytes(_ p: UnsafePointer<UInt8>, _ length: Int, fold: Bool, seed: UInt64) -> Int {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* (seed &+ UInt64(length) &+ 1)
        let raw = UnsafeRawPointer(p)
        var i = 0
        while i + 8 <= length {
            var word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if fold { word = foldWord(word) }
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < length {
            let byte = fold ? ByteKeyTable.fold(p[i]) : p[i]
            tail |= UInt64(byte) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// Eight bytes with their ASCII capitals made lowercase (SWAR: no byte's arithmetic carries into another).
    @inline(__always)
    static func foldWord(_ word: UInt64) -> UInt64 {
        let low = word & 0x7F7F_7F7F_7F7F_7F7F
        let atLeastA = low &+ 0x3F3F_3F3F_3F3F_3F3F
        let pastZ = low &+ 0x2525_2525_2525_2525
        let upper = atLeastA & ~pastZ & ~word & 0x8080_8080_8080_8080
        return word | (upper >> 2)
    }

    @inline(__always)
    private mutating func same(_ entry: Entry, _ space: EntrySpace, _ start: Int, _ length: Int, _ fold: Bool) -> Bool {
        guard entry.space == space, entry.length == length else { return false }
        let a = UnsafeRawPointer(base + entry.start)
        let b = UnsafeRawPointer(base + start)
        var i = 0
        while i + 8 <= length {
            var x = a.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            var y = b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if fold {
                x = Self.foldWord(x)
                y = Self.foldWord(y)
            }
            if x != y { return false }
            i += 8
        }
        let p = base + entry.start
        let q = base + start
        while i < length {
            if fold ? ByteKeyTable.fold(p[i]) != ByteKeyTable.fold(q[i]) : p[i] != q[i] { return false }
            i += 1
        }
        return true
    }

    /// The entry for a key, or nil.
    mutating func find(_ space: EntrySpace, start: Int, length: Int, fold: Bool) -> Int32? {
        var slot = hash(space, start, length, fold) & mask
        while true {
            let index = slots[slot]
            if index < 0 { return nil }
            if same(entries[Int(index)], space, start, length, fold) { return index }
            slot = (slot + 1) & mask
        }
    }

    mutating func entry(_ space: EntrySpace, start: Int, end: Int, fold: Bool) -> Int32 {
        let length = end - start
        var slot = hash(space, start, length, fold) & mask
        while true {
            let index = slots[slot]
            if index < 0 { break }
            if same(entries[Int(index)], space, start, length, fold) { return index }
            slot = (slot + 1) & mask
        }
        let index = Int32(entries.count)
        entries.append(Entry(space: space, folded: fold, start: start, length: length, representative: index,
                             category: space.category))
        slots[slot] = index
        if entries.count * 2 > slots.count { rehash() }
        return index
    }

    private mutating func rehash() {
        let size = slots.count * 2
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for (index, entry) in entries.enumerated() {
            var slot = hash(entry.space, entry.start, entry.length, entry.folded) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}
