import StageKit
import CodeLexers

/// The placeholder map of one function when ids restart per function.
public struct ScopeMap: Sendable, Equatable {
    /// Index of the scope's first token in `TokenizedDocument.ids`.
    public var start: Int
    /// Index one past its last token.
    public var end: Int
    /// Placeholder (`var_0`) to the original name or literal, for the tokens of this scope.
    public var map: [String: String]

    /// Creates a scope map.
    public init(start: Int, end: Int, map: [String: String]) {
        self.start = start
        self.end = end
        self.map = map
    }
}

/// The tokenizer's output for one file.
public struct TokenizedDocument: Sendable, Equatable {
    /// The tokens joined by single spaces (`#define var 0 num 0 [NL] typedef struct { ...`).
    public var text: String
    /// One vocabulary id per token of `text`.
    public var ids: [Int32]
    /// Placeholder (`var_0`) to the original name or literal; with per-function ids, only for the tokens outside
    /// every function.
    public var map: [String: String]
    /// With per-function ids, one map per function definition, in order; empty otherwise.
    public var scopes: [ScopeMap]
    /// Tokens written as `[UNK]` in `ids`, with their counts.
    public var unknown: [String: Int]
    /// UNK counts by what the lexer called the token.
    public var unknownByKind: [UnknownKind: Int]

    /// Number of tokens.
    public var tokenCount: Int { ids.count }

    /// The tokens of `text`.
    public var tokens: [Substring] { text.split(separator: " ") }
}

extension DocumentBuilder {
    /// Decides each entry's category, library status and representative.
    mutating func resolve() {
        let keepLibrary = !options.anonymizeLibraryCalls
        let fortran = language == .fortran
        let cPlusPlus = language.isCPlusPlus
        for index in entries.indices {
            var entry = entries[index]
            let declared = entry.flags & OccurrenceFlag.declared != 0
            var merged = entry.flags | (entry.flags >> 4)
            switch entry.space {
            case .ordinary:
                if entry.flags & OccurrenceFlag.castOrCallee != 0 { merged |= OccurrenceFlag.function }
                if entry.flags & OccurrenceFlag.declaredObject != 0 && entry.flags & OccurrenceFlag.declaredFunction == 0 {
                    // A variable of a built-in type cannot be called: a call of the name elsewhere is inside a macro's
                    // arguments or another entity of the same name (one placeholder per name).
                    merged &= ~OccurrenceFlag.function
                }
                // The original fills one map category by category (ARG, VAR, ARR, FUNC), after moving VAR and FUNC
                // occurrences of parameter names to ARG; the last write wins.
                if merged & OccurrenceFlag.argument != 0 {
                    entry.category = merged & OccurrenceFlag.array != 0 ? .array : .argument
                } else if merged & OccurrenceFlag.function != 0 {
                    entry.category = .function
                } else if merged & OccurrenceFlag.array != 0 {
                    entry.category = .array
                } else {
                    entry.category = .variable
                }
                guard !declared else { break }
                let called = merged & OccurrenceFlag.function != 0
                if keepLibrary, let id = libraryID(entry, called: called, space: .ordinary) {
                    entry.kept = id
                } else if keepLibrary, !fortran, entry.length > 2, base[entry.start] == 0x5F,
                          base[entry.start + 1] == 0x5F,
                          DialectKeywords.table.lookup(base + entry.start, entry.length) != nil,
                          let id = exact.lookup(base + entry.start, entry.length) {
                    // A keyword of another C-family dialect used as a macro (`__global__` in HIP code compiled as
                    // C++): it carries the same meaning, and nothing in the file declares it.
                    entry.kept = id
                } else if let type = find(.type, start: entry.start, length: entry.length, fold: entry.folded),
                          entries[Int(type)].flags & OccurrenceFlag.declared != 0
                            || entry.flags != 0 && entry.flags & ~OccurrenceFlag.possibleCast == 0 {
                    // A name only ever used where a type was declared: a type in a context the classifier could
                    // not tell (`sizeof(T)`, a cast). A name seen only as `(T)(z)` or `(T) -x` is a cast when the
                    // file uses it as a type anywhere, declared or not.
                    entry.representative = type
                } else if cPlusPlus, let field = find(.field, start: entry.start, length: entry.length, fold: false),
                          entries[Int(field)].flags & OccurrenceFlag.declared != 0 {
                    // A member used inside a member function without `this->`.
                    entry.representative = field
                }
            case .field:
                if keepLibrary && !declared && !fortran,
                   let id = libraryID(entry, called: merged & OccurrenceFlag.function != 0, space: .field) {
                    entry.kept = id
                }
            case .type:
                if keepLibrary && !declared, let id = libraryID(entry, called: false, space: .type) {
                    entry.kept = id
                } else if !declared, let ordinary = find(.ordinary, start: entry.start, length: entry.length, fold: entry.folded),
                          entries[Int(ordinary)].flags & OccurrenceFlag.declared != 0 {
                    // A name read in a type position (a template argument) that the file declares as a variable or
                    // macro.
                    entry.representative = ordinary
                }
            case .number, .character, .string:
                break
            }
            entries[index] = entry
        }
    }

    /// The vocabulary id that keeps a library name, or nil.
    private mutating func libraryID(_ entry: Entry, called: Bool, space: EntrySpace) -> Int32? {
        let pointer = base + entry.start
        if language == .fortran {
            guard let id = vocabulary.fortranLibrary.lookup(pointer, entry.length) else { return nil }
            let groups = vocabulary.groups[Int(id)]
            if groups.contains(.fortranName) { return id }
            return called && groups.contains(.fortranFunction) && space == .ordinary ? id : nil
        }
        guard let id = vocabulary.exact.lookup(pointer, entry.length) else { return nil }
        let groups = vocabulary.groups[Int(id)]
        if groups.contains(.cName) { return id }
        return called && groups.contains(.cFunction) && space != .type ? id : nil
    }

    /// Numbers placeholders and writes the text, ids and maps. `functions` are the byte ranges of the outermost
    /// function definitions, used when ids restart per function.
    mutating func finish(functions: [Range<Int>], contentSeed: UInt64) -> TokenizedDocument {
        resolve()
        let perFunction = options.scope == .function
        let spans = perFunction ? functions : []
        let categoryCount = Category.allCases.count

        // The scope of each piece: 0 outside functions, k inside the k-th function.
        var scopeOfPiece = [Int32](repeating: 0, count: perFunction ? pieces.count : 0)
        if perFunction {
            var span = 0
            for index in pieces.indices {
                let start = pieces[index].start
                while span < spans.count && start >= spans[span].upperBound { span += 1 }
                if span < spans.count && spans[span].contains(start) { scopeOfPiece[index] = Int32(span + 1) }
            }
        }
        // Sequential ids are given while writing, in first-occurrence order. Random ids need each scope's count per
        // category first: a pass of their own gives every placeholder piece its ordinal, then the draws map ordinals
        // to ids.
        var ordinals: [Int32] = []
        var draws: [[[Int32]]] = []
        if case .random(let seed) = options.ids {
            ordinals = [Int32](repeating: -1, count: pieces.count)
            var outsideOrdinal = [Int32](repeating: -1, count: entries.count)
            var insideOrdinal = [Int32](repeating: -1, count: entries.count)
            var insideStamp = [Int32](repeating: -1, count: entries.count)
            var counts = [[Int32]](repeating: [Int32](repeating: 0, count: categoryCount), count: spans.count + 1)
            for index in pieces.indices {
                guard let placeholder = placeholderEntry(pieces[index]) else { continue }
                let scope = perFunction ? Int(scopeOfPiece[index]) : 0
                let category = Int(entries[Int(placeholder)].category.rawValue)
                if scope == 0 {
                    if outsideOrdinal[Int(placeholder)] < 0 {
                        outsideOrdinal[Int(placeholder)] = counts[0][category]
                        counts[0][category] += 1
                    }
                    ordinals[index] = outsideOrdinal[Int(placeholder)]
                } else {
                    if insideStamp[Int(placeholder)] != Int32(scope) {
                        insideStamp[Int(placeholder)] = Int32(scope)
                        insideOrdinal[Int(placeholder)] = counts[scope][category]
                        counts[scope][category] += 1
                    }
                    ordinals[index] = insideOrdinal[Int(placeholder)]
                }
            }
            draws = counts.enumerated().map { scope, perCategory in
                var generator = SplitMix64(seed: seed ^ contentSeed ^ (UInt64(scope) &* 0x9E37_79B9_7F4A_7C15))
                var result = [[Int32]](repeating: [], count: categoryCount)
                for category in RandomIDs.drawOrder {
                    let count = Int(perCategory[Int(category.rawValue)])
                    result[Int(category.rawValue)] = RandomIDs.draw(count, from: max(1001, count), using: &generator)
                }
                return result
            }
        }
        let random = !draws.isEmpty
        // Per entry: its id outside functions, and its id in the current function (valid when the stamp matches).
        var outsideID = [Int32](repeating: -1, count: entries.count)
        var insideID = [Int32](repeating: -1, count: perFunction ? entries.count : 0)
        var insideStamp = [Int32](repeating: -1, count: perFunction ? entries.count : 0)
        var outsideCounts = [Int32](repeating: 0, count: categoryCount)
        var insideCounts = [Int32](repeating: 0, count: categoryCount)

        // Pass 2: text, ids and maps.
        let heads = vocabulary.headIDs
        let (text, ids, outsideMap, scopeMaps, unknown, unknownByKind) = vocabulary.tokenBytes.withUnsafeBufferPointer { tokenBytes in
            vocabulary.tokenOffsets.withUnsafeBufferPointer { tokenOffsets in
                vocabulary.numberIDs.withUnsafeBufferPointer { numbers in
                    var out = OutputWriter(tokenBytes: tokenBytes, tokenOffsets: tokenOffsets, numbers: numbers,
                                           vocabulary: vocabulary, capacity: pieces.count * 2)
                    defer { out.release() }
                    var outsideMap: [String: String] = [:]
                    outsideMap.reserveCapacity(perFunction ? 64 : entries.count)
                    var scopeMaps: [ScopeMap] = []
                    var currentScope: Int32 = 0
                    var unknown: [String: Int] = [:]
                    var unknownByKind: [UnknownKind: Int] = [:]
                    for index in pieces.indices {
                        let piece = pieces[index]
                        if perFunction {
                            let scope = scopeOfPiece[index]
                            if scope != currentScope {
                                if currentScope != 0 { scopeMaps[scopeMaps.count - 1].end = out.idCount }
                                if scope != 0 {
                                    scopeMaps.append(ScopeMap(start: out.idCount, end: out.idCount, map: [:]))
                                    insideCounts = [Int32](repeating: 0, count: categoryCount)
                                }
                                currentScope = scope
                            }
                        }
                        switch piece.kind {
                        case .fixed, .newline:
                            out.token(piece.value)
                        case .raw:
                            let written = out.raw(base: base, start: piece.start, end: piece.end)
                            unknown[written, default: 0] += 1
                            let kind = UnknownKind.allCases[Int(min(piece.extra, 2))]
                            unknownByKind[kind, default: 0] += 1
                        case .entry, .member:
                            if piece.kind == .member, let id = keptMember(piece) {
                                out.token(id)
                                continue
                            }
                            let representative = Int(entries[Int(piece.value)].representative)
                            let entry = entries[representative]
                            if entry.kept >= 0 {
                                out.token(entry.kept)
                                continue
                            }
                            let category = Int(entry.category.rawValue)
                            let scope = perFunction ? Int(scopeOfPiece[index]) : 0
                            var id: Int
                            if scope == 0 {
                                id = Int(outsideID[representative])
                                if id < 0 {
                                    id = random ? Int(draws[0][category][Int(ordinals[index])]) : Int(outsideCounts[category])
                                    outsideCounts[category] += 1
                                    outsideID[representative] = Int32(id)
                                    outsideMap[PlaceholderID.key(entry.category, id)] = originalText(entry)
                                }
                            } else {
                                if insideStamp[representative] != Int32(scope) {
                                    id = random ? Int(draws[scope][category][Int(ordinals[index])]) : Int(insideCounts[category])
                                    insideCounts[category] += 1
                                    insideStamp[representative] = Int32(scope)
                                    insideID[representative] = Int32(id)
                                    scopeMaps[scopeMaps.count - 1].map[PlaceholderID.key(entry.category, id)] = originalText(entry)
                                } else {
                                    id = Int(insideID[representative])
                                }
                            }
                            out.token(heads[category])
                            out.placeholderID(id)
                        }
                    }
                    if currentScope != 0 { scopeMaps[scopeMaps.count - 1].end = out.idCount }
                    let (text, ids) = out.result()
                    return (text, ids, outsideMap, scopeMaps, unknown, unknownByKind)
                }
            }
        }
        return TokenizedDocument(text: text, ids: ids, map: outsideMap, scopes: scopeMaps, unknown: unknown,
                                 unknownByKind: unknownByKind)
    }

    /// The entry whose placeholder a piece writes, or nil when it writes a vocabulary token.
    private mutating func placeholderEntry(_ piece: Piece) -> Int32? {
        switch piece.kind {
        case .entry:
            let representative = entries[Int(piece.value)].representative
            return entries[Int(representative)].kept >= 0 ? nil : representative
        case .member:
            if keptMember(piece) != nil { return nil }
            let representative = entries[Int(piece.value)].representative
            return entries[Int(representative)].kept >= 0 ? nil : representative
        default:
            return nil
        }
    }

    /// The vocabulary token of a member (`x` of `threadIdx.x`) when its built-in is kept.
    private mutating func keptMember(_ piece: Piece) -> Int32? {
        guard piece.aux >= 0 else { return nil }
        let builtin = entries[Int(entries[Int(piece.aux)].representative)]
        guard builtin.kept >= 0, let id = exact.lookup(base + piece.start, piece.end - piece.start),
              vocabulary.groups[Int(id)].contains(.member) else { return nil }
        return id
    }

    private func originalText(_ entry: Entry) -> String {
        String(decoding: UnsafeBufferPointer(start: base + entry.start, count: entry.length), as: UTF8.self)
    }
}

/// The `__`-spelled qualifiers of the C-family dialects (`__global__`, `__kernel`, `__restrict__`): code in one
/// dialect uses another's through macros (HIP compiled as C++ writes `__global__`).
enum DialectKeywords {
    static let table: ByteKeyTable = {
        var table = ByteKeyTable.Builder(capacity: 64)
        for word in LexicalTables.cudaKeywords + LexicalTables.openCLKeywords + LexicalTables.gnuKeywords
            where word.hasPrefix("__") {
            table.insert(Array(word.utf8), value: 1)
        }
        return ByteKeyTable(table)
    }()
}

/// The token text and ids being written, into buffers it manages itself: appending to arrays held in a struct
/// that is itself being mutated costs uniqueness and exclusivity checks per token, which showed in profiles.
struct OutputWriter {
    private let tokenBytes: UnsafeBufferPointer<UInt8>
    private let tokenOffsets: UnsafeBufferPointer<Int32>
    private let numbers: UnsafeBufferPointer<Int32>
    private let unknownID: Int32
    private let extended2: Int32
    private let extended3: Int32
    private var text: UnsafeMutablePointer<UInt8>
    private var textCount = 0
    private var textCapacity: Int
    private var ids: UnsafeMutablePointer<Int32>
    private(set) var idCount = 0
    private var idCapacity: Int

    /// The pointers must stay valid while the writer is used (the caller holds them in `withUnsafeBufferPointer`).
    init(tokenBytes: UnsafeBufferPointer<UInt8>, tokenOffsets: UnsafeBufferPointer<Int32>,
         numbers: UnsafeBufferPointer<Int32>, vocabulary: Vocabulary, capacity: Int) {
        self.tokenBytes = tokenBytes
        self.tokenOffsets = tokenOffsets
        self.numbers = numbers
        unknownID = Int32(vocabulary.unknownID)
        extended2 = Int32(vocabulary.extendedID2)
        extended3 = Int32(vocabulary.extendedID3)
        textCapacity = max(64, capacity * 6)
        idCapacity = max(16, capacity + 16)
        text = .allocate(capacity: textCapacity)
        ids = .allocate(capacity: idCapacity)
    }

    /// Frees the buffers.
    func release() {
        text.deallocate()
        ids.deallocate()
    }

    private mutating func reserveText(_ extra: Int) {
        guard textCount + extra > textCapacity else { return }
        let capacity = max(textCapacity * 2, textCount + extra)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: text, count: textCount)
        text.deallocate()
        text = grown
        textCapacity = capacity
    }

    private mutating func appendID(_ id: Int32) {
        if idCount == idCapacity {
            let capacity = idCapacity * 2
            let grown = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
            grown.update(from: ids, count: idCount)
            ids.deallocate()
            ids = grown
            idCapacity = capacity
        }
        ids[idCount] = id
        idCount += 1
    }

    @inline(__always)
    mutating func token(_ id: Int32) {
        let start = Int(tokenOffsets[Int(id)])
        let length = Int(tokenOffsets[Int(id) + 1]) - start
        reserveText(length + 17)
        if idCount > 0 {
            text[textCount] = 0x20
            textCount += 1
        }
        if let source = tokenBytes.baseAddress {
            if length <= 16 {
                // Nearly every token: two unaligned eight-byte moves (the vocabulary's bytes and the text buffer
                // both have sixteen spare bytes), instead of a call to memmove per token.
                let from = UnsafeRawPointer(source + start)
                let to = UnsafeMutableRawPointer(text + textCount)
                to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
            } else {
                (text + textCount).update(from: source + start, count: length)
            }
        }
        textCount += length
        appendID(id)
    }

    mutating func raw(base: UnsafePointer<UInt8>, start: Int, end: Int) -> String {
        reserveText(1 + 4 * (end - start))
        if idCount > 0 {
            text[textCount] = 0x20
            textCount += 1
        }
        appendID(unknownID)
        let mark = textCount
        textCount += RawToken.write(base: base, start: start, end: end, to: text + textCount)
        return String(decoding: UnsafeBufferPointer(start: text + mark, count: textCount - mark), as: UTF8.self)
    }

    /// The number tokens of a placeholder id (see `PlaceholderID`).
    mutating func placeholderID(_ id: Int) {
        if id <= PlaceholderID.maxDirect {
            token(numbers[id])
        } else if id < 1_000_000 {
            token(extended2)
            token(numbers[id / 1000])
            token(numbers[id % 1000])
        } else {
            token(extended3)
            token(numbers[min(999, id / 1_000_000)])
            token(numbers[id / 1000 % 1000])
            token(numbers[id % 1000])
        }
    }

    /// The text and ids written.
    func result() -> (String, [Int32]) {
        (String(decoding: UnsafeBufferPointer(start: text, count: textCount), as: UTF8.self),
         Array(UnsafeBufferPointer(start: ids, count: idCount)))
    }
}

/// The text form of a token outside the vocabulary: printable ASCII as it is; anything else (control bytes,
/// non-ASCII, a backslash in a longer token) as `\xHH` per byte, so that the text form stays one
/// whitespace-free token and restores exactly.
enum RawToken {
    /// Writes the text form at `out` (room for 4 bytes per source byte); returns the bytes written.
    static func write(base: UnsafePointer<UInt8>, start: Int, end: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var plain = true
        for i in start..<end {
            let byte = base[i]
            if byte < 0x21 || byte > 0x7E || (byte == 0x5C && end - start > 1) { plain = false }
        }
        if plain {
            out.update(from: base + start, count: end - start)
            return end - start
        }
        let digits: StaticString = "0123456789ABCDEF"
        let hex = digits.utf8Start
        var written = 0
        for i in start..<end {
            out[written] = 0x5C
            out[written + 1] = 0x78
            out[written + 2] = hex[Int(base[i] >> 4)]
            out[written + 3] = hex[Int(base[i] & 15)]
            written += 4
        }
        return written
    }

    /// The bytes of a text token written by `write`, when it is an escaped token.
    static func unescape(_ token: Substring) -> [UInt8]? {
        let bytes = Array(token.utf8)
        guard bytes.count >= 4, bytes.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: return b - 0x30
            case 0x41...0x46: return b - 0x41 + 10
            default: return nil
            }
        }
        while i < bytes.count {
            guard bytes[i] == 0x5C, bytes[i + 1] == 0x78, let high = hex(bytes[i + 2]), let low = hex(bytes[i + 3]) else {
                return nil
            }
            out.append(high << 4 | low)
            i += 4
        }
        return out
    }
}

extension SplitMix64 {
    /// A uniform value in 0..<bound (bound > 0), by rejection so that no value is favoured.
    mutating func below(_ bound: UInt64) -> UInt64 {
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = next()
            if value < limit { return value % bound }
        }
    }
}

/// Seeded draws of distinct placeholder ids.
enum RandomIDs {
    /// The order in which categories draw from one scope's generator: the original's fill order.
    static let drawOrder: [Category] = [.argument, .variable, .array, .function, .field, .type, .number, .character, .string]

    /// The first `count` values of a uniform random permutation of 0..<range (a partial Fisher-Yates shuffle that
    /// keeps only the displaced values, so that it costs O(count) whatever the range).
    static func draw(_ count: Int, from range: Int, using generator: inout SplitMix64) -> [Int32] {
        var displaced: [Int: Int] = [:]
        var result: [Int32] = []
        result.reserveCapacity(count)
        for i in 0..<count {
            let j = i + Int(generator.below(UInt64(range - i)))
            let value = displaced[j] ?? j
            displaced[j] = displaced[i] ?? i
            result.append(Int32(value))
        }
        return result
    }
}

extension TokenizedDocument {
    /// Total UNK tokens.
    public var unknownCount: Int { unknown.values.reduce(0, +) }
}
